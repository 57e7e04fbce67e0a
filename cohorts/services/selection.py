"""Selection and places: decisions, offers, acceptance, declining, expiry and the waiting
list.

Invariant: for every cohort, participants (not withdrawn) + open offers <= capacity.
Every function that changes places first locks the Cohort row (``select_for_update``),
then re-reads and checks; lock order is always the cohort, then its applications. The
waiting list is served in order (priority, then time joined) and nobody is skipped; every
offer, expiry and decision is emailed once (deterministic outbox keys).

This follows the events promotion engine (``events/services/promotion.py``) step for
step — lock the parent row, count places held (participants + open offers) under the
lock, take the first in line in one total order (priority desc, time joined, id), offer
with a deadline that never runs past the start, email under a key carrying the offer
number — and the same rules: promotion stops once the cohort has started; declining
passes the place on at once; expiry is one transaction per parent, re-checked under the
lock. The engine itself is bound to ``Event``/``Booking`` rows (``event.bookings``,
booking statuses, ``events_*`` emails), so it cannot be called for applications; its
shape is reused here rather than its code.
"""

import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programmes.models import ProgrammeError
from programmes.selectors import programmes_runnable_by
from programmes.services import subsidy_place_allocate, subsidy_place_release
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Application, Cohort, CompetencyScore, Participant
from .emails import notify_user


def _lock_cohort(cohort_id: int) -> Cohort:
    """The cohort row, locked for the rest of the transaction: every writer of places
    takes this lock first (as ``events...promotion.lock_event`` does for events)."""
    return Cohort.objects.select_for_update().get(pk=cohort_id)


def cohort_start(cohort: Cohort) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(cohort.starts_on, datetime.time.min))


def offer_deadline(cohort: Cohort, now) -> datetime.datetime:
    """``offer_acceptance_days`` from now, but never past the cohort's start (a manager
    may still make an offer after the start: then the full period applies)."""
    deadline = now + timedelta(days=cohort.offer_acceptance_days)
    start = cohort_start(cohort)
    return min(deadline, start) if start > now else deadline


@transaction.atomic
def application_record_decision(
    *, application: Application, actor, decision: str, reason: str, score: int | None = None
) -> Application:
    """Record a manager's score and decision (offer, waiting list, decline) with its
    reason. Nothing is sent until ``decisions_send``. Only a submitted application or one
    on the waiting list can be decided."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in {Application.Status.SUBMITTED, Application.Status.WAITING}:
        raise CohortError(
            _("A decision can only be recorded on a submitted or waiting-list application.")
        )
    if decision not in Application.Decision.values:
        raise CohortError(_("Choose a decision."))
    if not reason.strip():
        raise CohortError(_("Give a reason for the decision."))
    application.decision = decision
    application.decision_reason = reason.strip()
    application.score = score
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_sent_at = None
    application.full_clean()
    application.save()
    audit_record(actor=actor, action="cohorts.decision_recorded", obj=application, reason=reason)
    return application


@transaction.atomic
def application_score_competencies(
    *, application: Application, actor, scores: dict[int, int | None]
) -> Application:
    """Record a manager's score (1–4) for each competency of the programme's selection
    framework, beside the applicant's self-rating. Only while the application is being
    selected (submitted or waiting)."""
    from .applications import framework_competencies

    application = (
        Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    )
    if application.status not in {Application.Status.SUBMITTED, Application.Status.WAITING}:
        raise CohortError(_("Only a submitted or waiting-list application can be scored."))
    competencies = set(framework_competencies(application.cohort).values_list("pk", flat=True))
    for competency_id, score in scores.items():
        if competency_id not in competencies:
            raise CohortError(_("That competency is not in this programme's framework."))
        if score is not None and not 1 <= score <= 4:
            raise CohortError(_("Score each competency from 1 to 4."))
        CompetencyScore.objects.update_or_create(
            application=application,
            competency_id=competency_id,
            defaults={"manager_score": score, "scored_by": actor},
        )
    audit_record(
        actor=actor, action="cohorts.competencies_scored", obj=application,
        data={str(k): v for k, v in scores.items()},
    )  # fmt: skip
    return application


def _offer_place(application: Application, cohort: Cohort, now) -> None:
    """Turn an application into an open offer with an acceptance deadline. The caller
    holds the cohort lock and has checked there is a place."""
    application.status = Application.Status.OFFERED
    application.offer_count += 1
    application.offered_at = now
    application.offer_expires_at = offer_deadline(cohort, now)
    application.save(
        update_fields=["status", "offer_count", "offered_at", "offer_expires_at", "updated_at"]
    )
    notify_user(
        key=f"cohort.offered:{application.pk}:{application.offer_count}",
        user=application.applicant,
        template="offered",
        context={"application": application, "cohort": cohort},
    )


def _put_on_waiting_list(application: Application, cohort: Cohort, now) -> None:
    application.status = Application.Status.WAITING
    application.waiting_since = application.waiting_since or now
    application.save(update_fields=["status", "waiting_since", "updated_at"])
    notify_user(
        key=f"cohort.waiting:{application.pk}",
        user=application.applicant,
        template="waiting_list",
        context={"application": application, "cohort": cohort},
    )


@transaction.atomic
def decisions_send(*, cohort: Cohort, actor) -> dict:
    """Send every recorded, unsent decision of a cohort, under the cohort lock. Offers go
    out in score order while places last; an offer with no place left puts the applicant
    on the waiting list instead. Each applicant is emailed once per decision. Returns the
    counts by outcome."""
    cohort = _lock_cohort(cohort.pk)
    now = timezone.now()
    pending = list(
        cohort.applications.select_for_update()
        .filter(status__in=[Application.Status.SUBMITTED, Application.Status.WAITING])
        .exclude(decision="")
        .filter(decision_sent_at__isnull=True)
        .select_related("applicant")
        .order_by(
            "decision", "-score", "submitted_at", "pk"
        )  # "decline" < "offer" < "waiting_list"
    )
    places_left = cohort.places_left()
    counts = {"offered": 0, "waiting": 0, "declined": 0}
    for application in pending:
        if application.decision == Application.Decision.OFFER and places_left > 0:
            _offer_place(application, cohort, now)
            places_left -= 1
            counts["offered"] += 1
        elif application.decision in {
            Application.Decision.OFFER,
            Application.Decision.WAITING_LIST,
        }:
            if application.status != Application.Status.WAITING:
                _put_on_waiting_list(application, cohort, now)
            counts["waiting"] += 1
        else:
            application.status = Application.Status.UNSUCCESSFUL
            application.save(update_fields=["status", "updated_at"])
            notify_user(
                key=f"cohort.unsuccessful:{application.pk}",
                user=application.applicant,
                template="unsuccessful",
                context={"application": application, "cohort": cohort},
            )
            counts["declined"] += 1
        application.decision_sent_at = now
        application.save(update_fields=["decision_sent_at", "updated_at"])
    if pending:
        audit_record(actor=actor, action="cohorts.decisions_sent", obj=cohort, data=counts)
    return counts


def promote_waiting_list(*, cohort: Cohort) -> list[Application]:
    """Offer every free place to the next person on the cohort's waiting list, in order
    (priority, then time joined, then id). The caller must hold the cohort's row lock
    (``events...promotion.promote_locked`` is the same step for events). Does nothing for
    a completed or cancelled cohort, or once the cohort has started. Each offer is
    emailed once. The single promotion step: every caller goes through it."""
    now = timezone.now()
    promoted = []
    if cohort.status in {Cohort.Status.COMPLETED, Cohort.Status.CANCELLED}:
        return promoted
    if cohort_start(cohort) <= now:
        return promoted
    free = cohort.places_left()
    if free <= 0:
        return promoted
    waiting = list(
        cohort.applications.waiting_in_order()
        .select_for_update()
        .select_related("applicant")[:free]
    )
    for application in waiting:
        _offer_place(application, cohort, now)
        promoted.append(application)
    return promoted


@transaction.atomic
def cohort_fill_places(*, cohort: Cohort, actor=None) -> list[Application]:
    """Offer free places (after a capacity increase, say) to the waiting list."""
    cohort = _lock_cohort(cohort.pk)
    promoted = promote_waiting_list(cohort=cohort)
    if promoted and actor:
        audit_record(
            actor=actor,
            action="cohorts.waiting_list_promoted",
            obj=cohort,
            data={"applications": [a.pk for a in promoted]},
        )
    return promoted


@transaction.atomic
def cohort_save(*, cohort: Cohort, actor) -> Cohort:
    """Save a cohort's details (the admin form). Its provider must own the programme or
    hold a franchise of it on the start date (``programmes_runnable_by``). An existing
    cohort's row is locked first, so a lower capacity is checked against the places taken
    under the lock; new places from a higher capacity are offered to the waiting list at
    once."""
    previous = Cohort.objects.filter(pk=cohort.pk).values("version_id", "provider_id").first()
    if previous != {"version_id": cohort.version_id, "provider_id": cohort.provider_id}:
        runnable = programmes_runnable_by(cohort.provider, on=cohort.starts_on)
        if not runnable.filter(pk=cohort.version.programme_id).exists():
            raise CohortError(
                _(
                    "%(provider)s cannot run %(programme)s on %(date)s: it neither owns the "
                    "programme nor holds a franchise of it then."
                )
                % {
                    "provider": cohort.provider,
                    "programme": cohort.version.programme,
                    "date": date_format(cohort.starts_on, "j F Y"),
                }
            )
    if cohort.pk:
        _lock_cohort(cohort.pk)
        taken = cohort.places_taken()
        if cohort.capacity < taken:
            raise CohortError(
                _("The capacity cannot be lower than the %(taken)s places already taken.")
                % {"taken": taken}
            )
    cohort.full_clean()
    cohort.save()
    audit_record(actor=actor, action="cohorts.cohort_saved", obj=cohort)
    promote_waiting_list(cohort=cohort)
    return cohort


def _allocate_subsidised_place(cohort: Cohort, person):
    """For a subsidised cohort, use one place of its scheme's national cap: the programmes
    service locks the SubsidyScheme row before counting, so simultaneous enrolments in
    different cohorts (different cohort locks) are still serialised on the scheme. Lock
    order: the cohort, then the scheme. Raises CohortError when the cap is reached."""
    if not cohort.subsidy_scheme_id:
        return None
    try:
        return subsidy_place_allocate(
            scheme=cohort.subsidy_scheme,
            programme=cohort.version.programme,
            recipient=person,
            description=cohort.name,
            actor=person,
        )
    except ProgrammeError as exc:
        raise CohortError(
            _(
                "Your place cannot be confirmed because it is a subsidised place and %(why)s "
                "Please contact the programme team."
            )
            % {"why": str(exc)}
        ) from exc


@transaction.atomic
def offer_accept(*, application: Application, user) -> Participant:
    """Accept an open offer before its deadline: enrols the applicant as a participant.
    The place was already held by the offer, so capacity cannot be exceeded. On a
    subsidised cohort the enrolment also uses a place of the scheme's national cap, and is
    refused (nothing changes) when the cap has been reached."""
    cohort = _lock_cohort(application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise CohortError(_("This offer is not yours."))
    if application.status != Application.Status.OFFERED:
        raise CohortError(_("There is no open offer on this application."))
    now = timezone.now()
    if now >= application.offer_expires_at:
        expired = date_format(timezone.localtime(application.offer_expires_at), "j F Y, H:i")
        raise CohortError(_("This offer expired on %(expired)s.") % {"expired": expired})
    participant = Participant(
        cohort=cohort, user=application.applicant, application=application, enrolled_at=now
    )
    participant.subsidy_allocation = _allocate_subsidised_place(cohort, application.applicant)
    participant.full_clean()
    participant.save()
    application.status = Application.Status.ACCEPTED
    application.responded_at = now
    application.save(update_fields=["status", "responded_at", "updated_at"])
    notify_user(
        key=f"cohort.enrolled:{participant.pk}",
        user=application.applicant,
        template="enrolled",
        context={"cohort": cohort, "participant": participant},
    )
    return participant


@transaction.atomic
def offer_decline(*, application: Application, user) -> Application:
    """Decline an open offer: the place is freed and offered to the next person waiting."""
    cohort = _lock_cohort(application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise CohortError(_("This offer is not yours."))
    if application.status != Application.Status.OFFERED:
        raise CohortError(_("There is no open offer on this application."))
    application.status = Application.Status.OFFER_DECLINED
    application.responded_at = timezone.now()
    application.save(update_fields=["status", "responded_at", "updated_at"])
    notify_user(
        key=f"cohort.offer_declined:{application.pk}",
        user=application.applicant,
        template="offer_declined",
        context={"application": application, "cohort": cohort},
    )
    promote_waiting_list(cohort=cohort)
    return application


def offers_expire(*, now=None) -> int:
    """Expire every offer past its deadline and offer each freed place to the waiting
    list. One transaction per cohort; the due offers are re-read under the cohort lock,
    so running this twice, or late, or alongside an acceptance, gives the right result.
    Returns the number of offers expired."""
    now = now or timezone.now()
    due = Q(status=Application.Status.OFFERED, offer_expires_at__lte=now)
    cohort_ids = list(
        Application.objects.filter(due).values_list("cohort_id", flat=True).distinct()
    )
    expired = 0
    for cohort_id in cohort_ids:
        with transaction.atomic():
            cohort = _lock_cohort(cohort_id)
            for application in (
                cohort.applications.select_for_update().filter(due).select_related("applicant")
            ):
                application.status = Application.Status.OFFER_EXPIRED
                application.save(update_fields=["status", "updated_at"])
                notify_user(
                    key=f"cohort.offer_expired:{application.pk}:{application.offer_count}",
                    user=application.applicant,
                    template="offer_expired",
                    context={"application": application, "cohort": cohort},
                )
                expired += 1
            promote_waiting_list(cohort=cohort)
    return expired


@transaction.atomic
def participant_withdraw(*, participant: Participant, actor, reason: str = "") -> Participant:
    """Withdraw a participant (before completion): their place is freed and offered to
    the next person on the waiting list; before the start, a subsidised place also goes
    back to its scheme."""
    cohort = _lock_cohort(participant.cohort_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Participant.Status.ENROLLED:
        raise CohortError(_("Only an enrolled participant can be withdrawn."))
    participant.status = Participant.Status.WITHDRAWN
    participant.completion_reason = reason.strip()
    participant.save(update_fields=["status", "completion_reason", "updated_at"])
    if participant.subsidy_allocation_id and cohort_start(cohort) > timezone.now():
        # Withdrawn before the start: the subsidised place goes back to the scheme.
        allocation = participant.subsidy_allocation
        participant.subsidy_allocation = None
        participant.save(update_fields=["subsidy_allocation", "updated_at"])
        subsidy_place_release(allocation=allocation, actor=actor, reason=reason or "Withdrawn")
    audit_record(
        actor=actor, action="cohorts.participant_withdrawn", obj=participant, reason=reason
    )
    promote_waiting_list(cohort=cohort)
    return participant
