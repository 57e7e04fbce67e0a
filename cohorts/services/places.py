"""Cohort places on the shared waiting-list engine (``talenthub.core.waiting_list``, whose
module docstring states the recipe), the same engine as event places. For a cohort the
parent row is the cohort; the places held are participants not withdrawn plus open
offers; the queue is ``selectors.CohortQueue`` (waiting priority desc, time joined the
waiting list, id); the email's key carries the offer number.

A cohort has only the offer policy: a place is always offered, never given, because
accepting enrols the person on a programme of several months.

Subsidised places. On a cohort with a subsidy scheme every place is subsidised, so an
offer is made only while the scheme has a place for it: the scheme's allocations plus
the open offers on every cohort of the scheme stay within its cap. That count is taken
under the scheme row's lock, after the cohort's (lock order everywhere: the cohort, then
the scheme), so simultaneous promotions in different cohorts of one scheme are
serialised on the scheme. An offer thus reserves a scheme place until it is accepted
(the allocation replaces it), declined or expires.

Test hooks, as for events: ``LOCK_MODE`` ("cohort" in production; "none" or
"waiting_rows" in the concurrency tests' control runs, which switch off the cohort lock
and the scheme lock taken here) and ``AFTER_COUNT_HOOK`` (called between counting and
writing, to widen the race window). Never changed outside tests.
"""

import datetime
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import SubsidyAllocation, SubsidyScheme
from talenthub.core import waiting_list
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Application, Cohort
from ..selectors import CohortQueue, place_funding
from . import emails
from .emails import notify_user

LOCK_MODE = "cohort"
AFTER_COUNT_HOOK: Callable[[], None] | None = None


def cohort_start(cohort: Cohort) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(cohort.starts_on, datetime.time.min))


class CohortPlaces(CohortQueue, waiting_list.Places):
    """A cohort's places: participants (not withdrawn) plus open offers against
    ``capacity``, within its subsidy scheme's places left; its queue: the applications
    on the waiting list (``CohortQueue``, the order selectors show positions in)."""

    parent_model = Cohort
    select_related = ("applicant",)

    def lock_mode(self) -> str:
        return LOCK_MODE

    def after_count(self) -> None:
        if AFTER_COUNT_HOOK is not None:
            AFTER_COUNT_HOOK()

    def capacity(self, cohort: Cohort) -> int:
        return cohort.capacity

    def places_taken(self, cohort: Cohort) -> int:
        return cohort.places_taken()

    def limit_places(self, cohort: Cohort, free: int, now) -> int:
        if not cohort.subsidy_scheme_id:
            return free
        return min(free, scheme_places_left(cohort.subsidy_scheme_id))

    def can_promote(self, cohort: Cohort, now) -> bool:
        if cohort.status in {Cohort.Status.COMPLETED, Cohort.Status.CANCELLED}:
            return False
        return cohort_start(cohort) > now

    def offer_hold(self, cohort: Cohort) -> timedelta:
        return timedelta(days=cohort.offer_acceptance_days)

    def starts_at(self, cohort: Cohort):
        return cohort_start(cohort)

    def offer(self, cohort: Cohort, application: Application, deadline, now) -> None:
        application.cohort = cohort
        application.status = Application.Status.OFFERED
        application.offer_count += 1
        application.offered_at = now
        application.offer_expires_at = deadline
        application.save(
            update_fields=["status", "offer_count", "offered_at", "offer_expires_at", "updated_at"]
        )
        notify_user(
            key=waiting_list.outbox_key(
                "cohort", "offered", application.pk, str(application.offer_count)
            ),
            user=application.applicant,
            template=emails.OFFERED,
            context={
                "application": application,
                "cohort": cohort,
                "funding": place_funding(cohort, application.applicant),
            },
        )


COHORT_PLACES = CohortPlaces()


def lock_cohort(cohort_id: int) -> Cohort:
    """The cohort row, locked for the rest of the transaction: every writer of places
    takes this lock first. Must be called inside ``transaction.atomic``."""
    return waiting_list.lock_parent(COHORT_PLACES, cohort_id)


def lock_scheme(scheme_id: int) -> SubsidyScheme:
    """The subsidy scheme row, locked (the caller already holds the cohort's lock)."""
    return waiting_list.lock_row(COHORT_PLACES, SubsidyScheme.objects.all(), scheme_id)


def scheme_places_left(scheme_id: int) -> int:
    """The scheme's places not yet used nor reserved: its cap minus its allocations
    (from any cohort, provider or programme) minus the open offers on its cohorts.
    Counted under the scheme's lock, which this takes."""
    scheme = lock_scheme(scheme_id)
    used = SubsidyAllocation.objects.filter(scheme_id=scheme_id).count()
    reserved = Application.objects.filter(
        status=Application.Status.OFFERED, cohort__subsidy_scheme_id=scheme_id
    ).count()
    return max(0, scheme.total_places - used - reserved)


def places_left(cohort: Cohort) -> int:
    """Places that can be offered now. The caller holds the cohort's lock."""
    return waiting_list.places_left(COHORT_PLACES, cohort)


def offer_place(cohort: Cohort, application: Application, now=None) -> Application:
    """Offer ``application`` a place with an acceptance deadline (never past the start).
    The caller holds the cohort's lock and has checked there is a place."""
    return waiting_list.give_place(COHORT_PLACES, cohort, application, now=now)


def promote_locked(cohort: Cohort, *, now=None) -> list[Application]:
    """Offer every free place to the next people on the waiting list, in order. The
    caller holds the cohort's lock. Does nothing for a completed or cancelled cohort, or
    once the cohort has started. Each offer is emailed once."""
    return waiting_list.promote_locked(COHORT_PLACES, cohort, now=now)


def promote_waiting_list(*, cohort_id: int, now=None) -> list[Application]:
    """The whole promotion in one transaction under the cohort's lock (what the Celery
    task runs). Guarantees: never more participants + open offers than capacity, never
    more allocations + open offers than a subsidy scheme's cap, strictly in queue order,
    each offer emailed once. Safe to run any number of times, concurrently or late."""
    return waiting_list.promote(COHORT_PLACES, cohort_id, now=now)


def enqueue_promotion(cohort_id: int) -> None:
    """Run the promotion task for the cohort after the current transaction commits."""
    from ..tasks import promote_cohort_waiting_list

    waiting_list.enqueue_promotion(promote_cohort_waiting_list, cohort_id)


def enqueue_scheme_promotions(cohort: Cohort, *, now=None) -> None:
    """A subsidised place of ``cohort``'s scheme has come free: the cohort's own
    promotion may not need it, so the scheme's other cohorts that could offer it (still
    to start, someone waiting) are promoted too, each by its own task after commit.
    Between cohorts it is first come, first served; within each, queue order."""
    if not cohort.subsidy_scheme_id:
        return
    now = now or timezone.now()
    others = (
        Cohort.objects.filter(
            subsidy_scheme_id=cohort.subsidy_scheme_id, starts_on__gt=timezone.localdate(now)
        )
        .exclude(pk=cohort.pk)
        .exclude(status__in=[Cohort.Status.COMPLETED, Cohort.Status.CANCELLED])
        .filter(applications__status=Application.Status.WAITING)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for cohort_id in list(others):
        enqueue_promotion(cohort_id)


def _lock_waiting(application: Application) -> tuple[Cohort, Application]:
    cohort = lock_cohort(application.cohort_id)
    application = Application.objects.select_related("applicant").get(pk=application.pk)
    application.cohort = cohort
    if application.status != Application.Status.WAITING:
        raise CohortError(
            _("Only applications on the waiting list have a place in it."), code="not_waiting"
        )
    return cohort, application


@transaction.atomic
def waiting_list_set_priority(
    *, application: Application, priority: int, actor, reason: str
) -> Application:
    """Change a waiting application's priority (higher is served first). The reason is
    required; who, what and why go to the audit trail. Under the cohort's lock, so it
    cannot interleave with a promotion; a free place is then offered in the new order."""
    if not reason.strip():
        raise CohortError(
            _("Give a reason for changing this person's priority."), code="reason_required"
        )
    cohort, application = _lock_waiting(application)
    before = application.waiting_priority
    application.waiting_priority = priority
    application.save(update_fields=["waiting_priority", "updated_at"])
    audit_record(
        actor=actor,
        action="cohorts.waiting_priority_changed",
        obj=application,
        reason=reason.strip(),
        data={"cohort": cohort.pk, "from": before, "to": priority},
    )
    enqueue_promotion(cohort.pk)
    return application


@transaction.atomic
def waiting_list_move(
    *, application: Application, position: int, actor, reason: str
) -> Application:
    """Move a waiting application to ``position`` (1 = first) without changing anyone
    else's relative order (the engine's ``move_in_queue``). Reason required and audited
    with the positions before and after."""
    if not reason.strip():
        raise CohortError(_("Give a reason for moving this person."), code="reason_required")
    cohort, application = _lock_waiting(application)
    before, after = waiting_list.move_in_queue(COHORT_PLACES, cohort, application, position)
    audit_record(
        actor=actor,
        action="cohorts.waiting_list_moved",
        obj=application,
        reason=reason.strip(),
        data={"cohort": cohort.pk, "from": before, "to": after},
    )
    enqueue_promotion(cohort.pk)
    return application


def promotions_sweep(*, now=None) -> int:
    """The safety net for lost promotion tasks (the broker was down when a withdrawal
    committed, or a worker died past its retries): run the promotion for every cohort
    still to start that has a free place and someone waiting. A query for due rows, so a
    late, repeated or overlapping run is harmless: each cohort is promoted in its own
    transaction under its lock, re-counting places (and its scheme's). Returns the
    number of offers made."""
    now = now or timezone.now()
    due = (
        Cohort.objects.filter(starts_on__gt=timezone.localdate(now))
        .exclude(status__in=[Cohort.Status.COMPLETED, Cohort.Status.CANCELLED])
        .with_place_counts()
        .filter(waiting_count__gt=0, capacity__gt=F("offer_count") + F("participant_count"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(len(promote_waiting_list(cohort_id=pk, now=now)) for pk in list(due))
