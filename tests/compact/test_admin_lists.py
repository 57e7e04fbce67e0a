"""The compact changelists' kept filter choices and date hierarchies (issue 16,
docs/benchmarks.md, "Sixth round: compact changelists"): asked again, a list runs none
of its filters' or date hierarchy's queries and shows the same page; a committed row
shows on the next request; a superuser's related filters still offer every related row
and the secretariat's only their compact's; a date-and-time hierarchy is kept per time
zone."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact.admin.scoping import KeptRelatedFieldListFilter
from talenthub.core.admin_filters import RelatedExistsFieldListFilter
from tests.compact.factories import MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def kept(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    cache.clear()
    yield
    cache.clear()


def _page(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub("csrf", response.content.decode()), len(captured), response


def _filter_links(html, title):
    block = re.search(rf'<details data-filter-title="{title}" open>(.*?)</details>', html, re.S)
    return re.findall(r'<a href="\?[^"]*">([^<]*)</a>', block.group(1))


def test_action_list_filters_kept_for_the_superuser_and_the_secretariat(
    client, admin_user, world, secretariat_staff, kept, settings, django_capture_on_commit_callbacks
):
    PlanFactory(compact=world.other, title="Leicestershire action plan")
    url = "/admin/compact/action/"

    def filters(response):
        model_admin = response.context["cl"].model_admin
        return model_admin.get_list_filter(response.wsgi_request)

    client.force_login(admin_user)
    first, built, response = _page(client, url)
    assert filters(response) == [
        "status",
        ("plan__compact", KeptRelatedFieldListFilter),
        ("plan", KeptRelatedFieldListFilter),
    ]
    again, queries, _ = _page(client, url)
    assert again == first
    assert queries == built - 2  # the compact's and the plan's filter
    plans = _filter_links(first, "plan")
    assert "Leicestershire action plan" in plans  # every plan, as Django's filter offers
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 0}
    assert _page(client, url)[0] == first  # the page Django builds without keeping
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}

    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(compact=world.other, title="Another action plan")
    assert set(_filter_links(_page(client, url)[0], "plan")) == {*plans, "Another action plan"}

    client.force_login(secretariat_staff)
    theirs, built, response = _page(client, url)
    assert filters(response) == [  # scoped: only the plans of the actions they see
        "status",
        ("plan__compact", RelatedExistsFieldListFilter),
        ("plan", RelatedExistsFieldListFilter),
    ]
    assert "Leicestershire action plan" not in theirs
    assert "Another action plan" not in theirs
    again, queries, _ = _page(client, url)
    assert again == theirs
    assert queries == built - 2


def test_meeting_date_hierarchy_kept_per_time_zone(admin_client, world, kept, settings):
    """Half past eleven on New Year's Eve in London is New Year's Day in Tokyo: the
    hierarchy kept for one zone is not shown in the other."""
    group = world.steering
    new_year = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    MeetingFactory(group=group, starts_at=new_year)
    MeetingFactory(group=group, starts_at=new_year - datetime.timedelta(days=400))
    url = "/admin/compact/meeting/"

    def years(html):
        return re.findall(r'href="\?starts_at__year=(\d+)"', html)

    settings.TIME_ZONE = "Europe/London"
    first, built, _ = _page(admin_client, url)
    assert years(first) == ["2024", "2025"]
    again, queries, _ = _page(admin_client, url)
    assert again == first
    # The first and last dates, the years, the compact's and the group's filters.
    assert queries == built - 4

    settings.TIME_ZONE = "Asia/Tokyo"
    assert years(_page(admin_client, url)[0]) == ["2024", "2026"]
    months, _, _ = _page(admin_client, url + "?starts_at__year=2026")
    assert re.findall(r"starts_at__month=(\d+)", months) == ["1"]
