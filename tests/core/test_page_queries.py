"""Every main page and every admin changelist runs a constant number of queries (issue
16): the same number on the demo and on the demo with all its people copied once more
(their applications, participations, careers, bookings), its alumni profiles, events
and compact actions and meetings (``bench_pages.grow``), so a query per row (an N+1)
shows as a difference; and no page runs more than a small fixed number.

The pages are those the aggregate-join guard renders (``test_aggregate_joins``), as the
demo's people see them. Per-page tests keep their own tighter bounds; this one sees the
pages nobody wrote one for, and the pages added later."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_pages import grow
from tests.core.test_aggregate_joins import ADMIN, admin_changelists, demo, main_pages  # noqa: F401

pytestmark = pytest.mark.django_db

MOST_QUERIES = 25


def _query_counts(client, pages) -> dict:
    from talenthub.core.models import User

    counts = {}
    for who, url in pages:
        client.logout()
        if who:
            client.force_login(User.objects.get(email=who))
        client.get(url)  # the first view of a page may fill a cache; count a later one
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        counts[(who, url)] = len(captured)
    return counts


def test_no_page_runs_a_query_per_row(client, demo):  # noqa: F811
    pages = main_pages() + [page for page in admin_changelists() if page[0] == ADMIN]
    before = _query_counts(client, pages)
    grow(2)
    after = _query_counts(client, pages)
    grew = {page: (before[page], after[page]) for page in pages if after[page] > before[page]}
    assert grew == {}, "\n".join(f"{who} {url}: {n} → {m}" for (who, url), (n, m) in grew.items())
    too_many = {page: n for page, n in after.items() if n > MOST_QUERIES}
    assert too_many == {}


def test_the_member_pages_run_the_baseline_lists_three_queries(client, settings):
    """Issue 16's member pages against the baseline list (the session, the user, one
    query), for the bench's kind of member (a calendar feed, no bookings, no offers of
    places, not an alumnus): My bookings reads the feed's token with whether there is
    anything else to read; the kept alumni directory asks whether the viewer is an
    alumnus and a moderator in one query."""
    from tests.events.factories import CalendarFeedFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    member = CalendarFeedFactory().user
    client.force_login(member)
    counts = {}
    for url in ("/events/my-bookings/", "/alumni/"):
        client.get(url)  # the directory is kept on the first visit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    assert counts == {"/events/my-bookings/": 3, "/alumni/": 3}
