"""The way to the insights: the header's "Insights" link for everyone who may open an
insights page, and the insights navigation listing every page the user may open, both
decided by the same checks as the views."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import analyst_group

pytestmark = pytest.mark.django_db

HEADER_LINK = '<a class="govuk-service-navigation__link" href="/insights/">Insights</a>'
EQUALITY = ["journey", "representation"]
PROGRAMMES = ["programmes", "events"]
COMPACTS = ["compacts"]
REPORTS = [*EQUALITY, *PROGRAMMES, *COMPACTS]


def insights_nav(html: str) -> list[str]:
    (nav,) = re.findall(r'<nav [^>]*aria-label="Insights">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        ("analyst", REPORTS),
        ("manager", PROGRAMMES),
        ("secretariat", COMPACTS),
    ],
)
def test_the_header_and_the_navigation_link_every_page_the_user_may_open(
    client, request, who, pages
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert HEADER_LINK in client.get("/").content.decode()
    expected = [reverse("insights:index"), *(reverse(f"insights:{name}") for name in pages)]
    for name in REPORTS:
        response = client.get(reverse(f"insights:{name}"))
        if name not in pages:
            assert response.status_code == 403, name
            continue
        html = response.content.decode()
        assert insights_nav(html) == expected, name
        assert HEADER_LINK in html
        assert f'href="{reverse(f"insights:{name}")}" aria-current="page"' in html
    profile = client.get(reverse("profile")).content.decode()
    for href in expected:
        assert f'href="{href}"' in profile


def test_an_analyst_who_is_not_staff_has_the_header_link(client, analyst):
    assert not analyst.is_staff
    client.force_login(analyst)
    html = client.get("/").content.decode()
    assert HEADER_LINK in html
    assert reverse("admin:index") not in html  # "Manage" stays for staff


def test_a_member_sees_no_insights_link(client, member):
    """None but the public page that explains how the figures are protected."""
    client.force_login(member)
    protection = f'href="{reverse("insights:protection")}"'
    for path in ["/", reverse("profile"), reverse("monitoring")]:
        html = client.get(path).content.decode().replace(protection, "")
        assert 'href="/insights/' not in html, path


def test_a_superuser_without_the_grant_is_not_offered_the_equality_reports(client):
    from tests.factories import MemberFactory

    client.force_login(MemberFactory(is_superuser=True, is_staff=True))
    nav = insights_nav(client.get(reverse("insights:programmes")).content.decode())
    assert reverse("insights:journey") not in nav and reverse("insights:programmes") in nav


def test_the_header_link_costs_no_query_on_other_pages(client, member, analyst):
    for user in [member, analyst]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "auth_permission" not in sql and "compact_compactrole" not in sql, user


def test_access_given_or_taken_away_while_signed_in_shows_on_the_next_insights_page(
    client, member, analyst
):
    # Given: the header learns of it when the person opens an insights page.
    client.force_login(member)
    assert HEADER_LINK not in client.get("/").content.decode()
    member.groups.add(analyst_group())
    assert client.get(reverse("insights:journey")).status_code == 200
    assert HEADER_LINK in client.get("/").content.decode()
    # Taken away: the link still shown leads to a 403 once, then it goes.
    client.force_login(analyst)
    analyst.groups.remove(Group.objects.get(name="Insights analysts"))
    assert client.get(reverse("insights:index")).status_code == 403
    assert HEADER_LINK not in client.get("/").content.decode()
