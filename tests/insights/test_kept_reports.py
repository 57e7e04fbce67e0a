"""Programme outcomes and event demand kept until the data changes (issue 16,
``insights.reports._kept``): the same figures as worked out afresh, for every reader's
scope, after a change to the data and as events start."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights import reports
from tests.cohorts.factories import ParticipantFactory
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import ManagerFactory, MemberFactory, ProviderFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .builders import ended_cohort
from .factories import AnalystFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}


def afresh(settings, work_out):
    """``work_out()`` with keeping off: the figures as the reports make them."""
    kept = settings.TALENTHUB
    settings.TALENTHUB = {**kept, "PUBLIC_PAGE_CACHE_SECONDS": 0}
    try:
        return work_out()
    finally:
        settings.TALENTHUB = kept


def started_event(organiser, starts_at, *, bookings=0, **kwargs):
    event = EventFactory(
        organiser=organiser,
        starts_at=starts_at,
        booking_opens_at=starts_at - datetime.timedelta(days=20),
        booking_closes_at=starts_at - datetime.timedelta(hours=1),
        **kwargs,
    )
    joined = starts_at - datetime.timedelta(days=10)
    for _ in range(bookings):
        BookingFactory(event=event, joined_at=joined, confirmed_at=joined)
    return event


def provider_data(provider, participants: int, bookings: int):
    programme = ProgrammeFactory(owner=provider)
    cohort = ended_cohort(version=ProgrammeVersionFactory(programme=programme), provider=provider)
    for _ in range(participants):
        ParticipantFactory(cohort=cohort)
    started_event(provider, timezone.now() - datetime.timedelta(days=3), bookings=bookings)
    return cohort


@pytest.fixture
def readers(db):
    """An analyst (everything), a superuser who is no analyst but manages programmes
    (everything, as ``provider_scoped`` gives a superuser), two providers' programme
    managers (their own), and a member of the first provider who is not a manager
    (nothing); each sees different figures."""
    first, second = ProviderFactory(), ProviderFactory()
    provider_data(first, participants=2, bookings=1)
    provider_data(second, participants=3, bookings=2)
    superuser = MemberFactory(is_superuser=True, is_staff=True, profile__organisation=first)
    return {
        "analyst": AnalystFactory(),
        "first manager": ManagerFactory(profile__organisation=first),
        "second manager": ManagerFactory(profile__organisation=second),
        "superuser": superuser,
        "member of the first": MemberFactory(profile__organisation=first),
    }


def figures(user):
    return (reports.programme_outcomes(user=user), reports.event_demand(user=user))


def test_each_scope_is_kept_apart(settings, keeping, readers):
    """Whatever order the readers come in, each gets the figures made for them: the key
    holds everything ``report_scope`` names (seen failing with the analyst's, the
    manager's, the superuser's or the provider's part left out)."""
    truth = {
        who: afresh(settings, lambda user=user: figures(user)) for who, user in readers.items()
    }
    enrolled = {who: sum(r.enrolled for r in outcomes) for who, (outcomes, _d) in truth.items()}
    booked = {who: sum(y.booked for y in demand) for who, (_o, demand) in truth.items()}
    assert enrolled == {"analyst": 5, "first manager": 2, "second manager": 3, "superuser": 5,
                        "member of the first": 0}  # fmt: skip
    assert booked == {"analyst": 3, "first manager": 1, "second manager": 2, "superuser": 3,
                      "member of the first": 0}  # fmt: skip
    for order in (list(readers), list(reversed(readers))):
        for who in order:
            assert figures(readers[who]) == truth[who], who
    with CaptureQueriesContext(connection) as kept:
        assert figures(readers["analyst"]) == truth["analyst"]
    assert not any("cohorts_participant" in q["sql"] for q in kept.captured_queries)


def test_a_change_to_the_data_shows_on_the_next_request(
    settings, keeping, readers, django_capture_on_commit_callbacks
):
    manager = readers["first manager"]
    before = figures(manager)
    assert figures(manager) == before  # kept
    cohort = ended_cohort(provider=manager.profile.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        ParticipantFactory(cohort=cohort, status="completed", completed_at=timezone.now())
        started_event(manager.profile.organisation, timezone.now() - datetime.timedelta(days=1),
                      bookings=4)  # fmt: skip
    after = figures(manager)
    assert after != before
    assert after == afresh(settings, lambda: figures(manager))
    assert sum(r.completed for r in after[0]) == sum(r.completed for r in before[0]) + 1
    assert sum(y.booked for y in after[1]) == sum(y.booked for y in before[1]) + 4


def test_an_event_that_starts_shows_without_a_change_to_the_data(settings, keeping, readers):
    """Event demand counts the events that have started: kept figures hold until the next
    event of the reader's starts, and for an earlier ``now`` only back to the last start
    they count."""
    manager = readers["first manager"]
    soon = timezone.now() + datetime.timedelta(hours=2)
    started_event(manager.profile.organisation, soon, bookings=2)
    now = reports.event_demand(user=manager)
    assert reports.event_demand(user=manager) == now
    assert sum(y.events for y in now) == 1
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        later = reports.event_demand(user=manager)
        assert later == afresh(settings, lambda: reports.event_demand(user=manager))
        assert sum(y.events for y in later) == 2
    earlier = timezone.now() - datetime.timedelta(days=5)
    assert reports.event_demand(user=manager, now=earlier) == []
    assert reports.event_demand(user=manager) == now


def test_the_year_of_an_event_is_the_time_zones(settings, keeping, readers):
    """An event that starts on 31 December in London and 1 January in Auckland: its year
    follows the site's time zone, which the key holds."""
    manager = readers["first manager"]
    started_event(manager.profile.organisation,
                  datetime.datetime(2025, 12, 31, 20, tzinfo=datetime.UTC), bookings=1)  # fmt: skip
    settings.TIME_ZONE = "Europe/London"
    london = {y.year for y in reports.event_demand(user=manager)}
    settings.TIME_ZONE = "Pacific/Auckland"
    auckland = {y.year for y in reports.event_demand(user=manager)}
    assert 2025 in london and 2025 not in auckland and 2026 in auckland


@pytest.mark.parametrize("name", ["programmes", "programmes_csv", "events", "events_csv"])
def test_pages_and_downloads_are_the_same_kept(client, settings, keeping, readers, name):
    """The page and its CSV, byte for byte, worked out afresh and kept; a kept visit runs
    none of the report's queries."""
    url = reverse(f"insights:{name}")
    for who in ("analyst", "second manager"):
        client.force_login(readers[who])
        fresh = afresh(settings, lambda: client.get(url))
        with CaptureQueriesContext(connection) as first:
            filled = client.get(url)
        with CaptureQueriesContext(connection) as again:
            kept = client.get(url)
        assert fresh.status_code == filled.status_code == kept.status_code == 200
        assert fresh.content == filled.content == kept.content
        assert len(again) < len(first)
