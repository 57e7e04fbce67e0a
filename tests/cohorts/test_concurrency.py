"""Places under concurrency (PostgreSQL, real threads, each with its own connection): the
cohort row lock serialises every change of a cohort's places, and the subsidy scheme's
row lock (taken after the cohort's) serialises a scheme's places across cohorts.

Every run widens the race window: ``places.AFTER_COUNT_HOOK`` sleeps briefly between
counting places and writing. With the production locks that only makes the serialised
run slower; with the locks switched off (the control runs) it makes the race certain, so
the control runs must overbook or exceed the cap — proof that this harness can see a
race at all.
"""

import time

import pytest

from cohorts import services, tasks
from cohorts.models import Application, Participant
from cohorts.services import places
from programmes.models import SubsidyAllocation, SubsidySchemeQuerySet
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    OfferedApplicationFactory,
    WaitingApplicationFactory,
)
from tests.concurrency import run_at_once
from tests.factories import ManagerFactory, ProviderFactory
from tests.programmes.factories import SubsidySchemeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race_window(monkeypatch):
    monkeypatch.setattr(places, "AFTER_COUNT_HOOK", lambda: time.sleep(0.02))


@pytest.fixture
def no_locks(monkeypatch):
    """The control runs: no cohort lock and no scheme lock. The programmes service that
    records a subsidised place takes its own scheme lock, so that one is switched off
    too (by making ``select_for_update`` on schemes a no-op)."""
    monkeypatch.setattr(places, "LOCK_MODE", "none")
    monkeypatch.setattr(SubsidySchemeQuerySet, "select_for_update", lambda self, *a, **k: self)


def _cohort_with_queue(capacity, waiting):
    cohort = CohortFactory(capacity=capacity)
    queue = [WaitingApplicationFactory(cohort=cohort) for _ in range(waiting)]
    return cohort, queue


def _promotion_tasks(cohort, n):
    return [lambda: tasks.promote_cohort_waiting_list.apply((cohort.pk,)).result] * n


# One cohort's places ----------------------------------------------------------------


def test_eight_promotion_tasks_for_three_places(race_window):
    cohort, queue = _cohort_with_queue(capacity=3, waiting=12)
    results, errors = run_at_once(_promotion_tasks(cohort, 8))
    assert errors == []
    assert sum(results) == 3
    offered = Application.objects.filter(cohort=cohort, status="offered")
    assert {a.pk for a in offered} == {a.pk for a in queue[:3]}  # first in line first
    assert cohort.places_taken() == 3
    assert OutboundEmail.objects.filter(key__startswith="cohort.offered:").count() == 3


def _decisions_racing_promotions(capacity=3):
    """A cohort with free places, offer decisions waiting to be sent and a waiting list:
    sending the decisions and four promotion tasks, all at once, each count the same
    free places unless the cohort lock serialises them."""
    cohort, queue = _cohort_with_queue(capacity=capacity, waiting=6)
    manager = ManagerFactory(profile__organisation=cohort.provider)
    for _ in range(capacity):
        application = ApplicationFactory(cohort=cohort)
        services.application_record_decision(
            application=application, actor=manager, decision="offer", reason="Strong"
        )
    _, errors = run_at_once(
        [lambda: services.decisions_send(cohort=cohort, actor=manager)]
        + _promotion_tasks(cohort, 4)
    )
    return cohort, queue, errors


def test_sending_decisions_racing_promotions_never_exceeds_capacity(race_window):
    cohort, queue, errors = _decisions_racing_promotions()
    assert errors == []
    assert cohort.places_taken() == 3
    assert Application.objects.filter(cohort=cohort, status="offered").count() == 3


def test_control_without_the_lock_the_same_harness_overbooks(race_window, no_locks):
    cohort, _, errors = _decisions_racing_promotions()
    assert errors == []
    assert cohort.places_taken() > 3, "the harness failed to provoke a race: it proves nothing"


def test_control_locking_only_the_waiting_rows_overbooks(race_window, monkeypatch):
    """SKIP LOCKED on the waiting applications without the cohort lock: every promoter
    counts the same free places and offers them to different people."""
    monkeypatch.setattr(places, "LOCK_MODE", "waiting_rows")
    cohort, _ = _cohort_with_queue(capacity=3, waiting=12)
    _, errors = run_at_once(_promotion_tasks(cohort, 8))
    assert errors == []
    assert cohort.places_taken() > 3


def test_simultaneous_declines_accepts_withdrawals_and_promotions_keep_the_invariant(
    race_window,
):
    cohort = CohortFactory(capacity=4)
    offers = [OfferedApplicationFactory(cohort=cohort) for _ in range(4)]
    queue = [WaitingApplicationFactory(cohort=cohort) for _ in range(10)]
    work = [
        (lambda a=a: services.offer_decline(application=a, user=a.applicant)) for a in offers[:2]
    ] + [(lambda a=a: services.offer_accept(application=a, user=a.applicant)) for a in offers[2:]]
    work += [lambda: services.cohort_fill_places(cohort=cohort)] * 2
    work += _promotion_tasks(cohort, 2)
    _, errors = run_at_once(work)
    assert errors == []
    assert cohort.participants.count() == 2
    offered = Application.objects.filter(cohort=cohort, status="offered")
    assert {a.pk for a in offered} == {a.pk for a in queue[:2]}
    assert cohort.places_taken() == 4


# A subsidy scheme's places across cohorts ------------------------------------------


def _subsidised_cohorts(n, total_places, capacity=10):
    first = CohortFactory(capacity=capacity)
    scheme = SubsidySchemeFactory(total_places=total_places, programmes=[first.programme])
    cohorts = [first] + [
        CohortFactory(version=first.version, provider=ProviderFactory(), capacity=capacity)
        for _ in range(n - 1)
    ]
    for cohort in cohorts:
        cohort.subsidy_scheme = scheme
        cohort.save()
    return scheme, cohorts


def _accept_all(cohorts, per_cohort):
    offers = [OfferedApplicationFactory(cohort=c) for c in cohorts for _ in range(per_cohort)]
    return run_at_once(
        [(lambda a=a: services.offer_accept(application=a, user=a.applicant)) for a in offers]
    )


def test_simultaneous_subsidised_enrolments_in_different_cohorts_never_exceed_the_cap(
    race_window,
):
    scheme, cohorts = _subsidised_cohorts(4, total_places=3)
    _, errors = _accept_all(cohorts, per_cohort=2)
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() == 3
    assert Participant.objects.count() == 3
    assert len(errors) == 5
    assert all(isinstance(e, services.SubsidyCapReached) for e in errors)
    # The refused offers were withdrawn: they hold no place; their holders wait.
    assert Application.objects.filter(status="offered").count() == 0
    assert Application.objects.filter(status="waiting").count() == 5


def test_control_without_the_locks_enrolments_exceed_the_cap(race_window, no_locks):
    scheme, cohorts = _subsidised_cohorts(4, total_places=3)
    _accept_all(cohorts, per_cohort=2)
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() > 3, (
        "the harness failed to provoke a race: it proves nothing"
    )


def _send_offers_in_every_cohort(cohorts, per_cohort):
    manager = ManagerFactory()
    for cohort in cohorts:
        for _ in range(per_cohort):
            application = ApplicationFactory(cohort=cohort)
            services.application_record_decision(
                application=application, actor=manager, decision="offer", reason="Strong"
            )
    return run_at_once(
        [(lambda c=c: services.decisions_send(cohort=c, actor=manager)) for c in cohorts]
    )


def test_decisions_sent_at_once_in_different_cohorts_offer_no_more_than_the_cap(race_window):
    scheme, cohorts = _subsidised_cohorts(4, total_places=3)
    results, errors = _send_offers_in_every_cohort(cohorts, per_cohort=2)
    assert errors == []
    assert Application.objects.filter(status="offered").count() == 3
    assert sum(r["offered"] for r in results) == 3
    assert Application.objects.filter(status="waiting").count() == 5


def test_control_without_the_locks_decisions_exceed_the_cap(race_window, no_locks):
    scheme, cohorts = _subsidised_cohorts(4, total_places=3)
    _, errors = _send_offers_in_every_cohort(cohorts, per_cohort=2)
    assert errors == []
    assert Application.objects.filter(status="offered").count() > 3, (
        "the harness failed to provoke a race: it proves nothing"
    )
