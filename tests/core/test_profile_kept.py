"""The profile page's form and links kept per person until the data changes (issue 16,
``ProfileUpdateView.get``): the same page as made afresh, another person's never shown,
a change showing on the next request."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.permissions import EQUALITY_PERMISSION
from tests.factories import FunctionalAreaFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}


def page(client) -> tuple[str, int]:
    """The profile page without its per-request CSRF token, and its query count."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("profile"))
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html, len(captured)


def afresh(settings, client) -> str:
    kept = settings.TALENTHUB
    settings.TALENTHUB = {**kept, "PUBLIC_PAGE_CACHE_SECONDS": 0}
    try:
        return page(client)[0]
    finally:
        settings.TALENTHUB = kept


@pytest.fixture
def people(db):
    organisation = OrganisationFactory(name="University of Derby")
    area = FunctionalAreaFactory(name="Workforce Intelligence")
    FunctionalAreaFactory(name="Reward")
    first = MemberFactory(full_name="Ada First", profile__job_title="Head of HR",
                          profile__organisation=organisation)  # fmt: skip
    first.profile.functional_areas.add(area)
    second = MemberFactory(full_name="Bo Second", profile__job_title="OD Adviser")
    return first, second


def test_the_kept_page_is_the_page_made_afresh_and_runs_fewer_queries(
    client, settings, keeping, people
):
    first, _second = people
    client.force_login(first)
    fresh = afresh(settings, client)
    made, made_queries = page(client)
    kept, kept_queries = page(client)
    assert fresh == made == kept
    assert "Ada First" in kept and "Head of HR" in kept and "Workforce Intelligence" in kept
    assert kept_queries <= 2  # the session and the user, as on any signed-in page
    assert kept_queries < made_queries


def test_another_persons_page_is_never_theirs(client, settings, keeping, people):
    """Seen failing with the person left out of the key."""
    first, second = people
    client.force_login(first)
    page(client)
    client.force_login(second)
    html, _queries = page(client)
    assert "Bo Second" in html and "OD Adviser" in html and "Ada First" not in html
    assert html == afresh(settings, client)


def test_a_change_shows_on_the_next_request(
    client, settings, keeping, people, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    first, _second = people
    client.force_login(first)
    before, _queries = page(client)
    assert "Head of HR" in before and reverse("insights:journey") not in before
    with django_capture_on_commit_callbacks(execute=True):
        first.profile.job_title = "Director of People"
        first.profile.save()
        codename = EQUALITY_PERMISSION.split(".", 1)[1]
        first.user_permissions.add(Permission.objects.get(codename=codename))
    after, _queries = page(client)
    assert "Director of People" in after and reverse("insights:journey") in after
    assert after == afresh(settings, client)


def test_a_form_with_errors_is_never_kept(client, settings, keeping, people):
    first, _second = people
    client.force_login(first)
    page(client)
    response = client.post(reverse("profile"), {"full_name": "", "cipd_grade": "nonsense"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert "govuk-error-summary" not in page(client)[0]
