"""Selection and places: decisions, offers, acceptance, declining, expiry and the waiting
list.

Invariant: for every cohort, participants (not withdrawn) + open offers <= capacity; for
every subsidy scheme, allocations + open offers on its cohorts <= its cap. Places are
counted, offered and promoted by the shared waiting-list engine
(``talenthub.core.waiting_list``, the same one as event places) through the cohort
adapter in ``places``: every function here that changes places first locks the Cohort
row, then re-reads and checks; lock order is always the cohort, then the subsidy scheme,
then the applications. The waiting list is served in order (priority, then time joined,
then id) and nobody is skipped; every offer, expiry and decision is emailed once
(deterministic outbox keys).

As for events: declining an offer and an offer's expiry pass the place on at once, in
the transaction that freed it (the lock is already held); a place freed otherwise (a
withdrawal, a higher capacity, a manager's change to the queue) is promoted by the
Celery task ``promote_cohort_waiting_list``, enqueued after commit.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programmes.exceptions import ProgrammeError
from programmes.models import SubsidyAllocation
from programmes.selectors import programmes_runnable_by
from programmes.services import subsidy_place_allocate, subsidy_place_release
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CohortError, SubsidyCapReached
from ..models import Application, Cohort, CompetencyScore, Participant
from ..selectors import place_funding
from . import emails, places
from .emails import notify_user
from .places import cohort_start, lock_cohort

__all__ = [
    "participant_enrol",
    "application_record_decision",
    "application_score_competencies",
    "cohort_fill_places",
    "cohort_save",
    "cohort_start",
    "decisions_send",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "participant_withdraw",
]


@transaction.atomic
def application_record_decision(
    *, application: Application, actor, decision: str, reason: str, score: int | None = None
) -> Application:
    """Record a manager's score and decision (offer, waiting list, decline) with its
    reason. Nothing is sent until ``decisions_send``. Only a submitted application or one
    on the waiting list can be decided."""
    # Lock order: the cohort, then the application, so a decision cannot interleave with
    # a promotion or a sending of decisions changing the same application's status.
    lock_cohort(application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in {Application.Status.SUBMITTED, Application.Status.WAITING}:
        raise CohortError(
            _("A decision can only be recorded on a submitted or waiting-list application."),
            code="decision_not_allowed",
        )
    if decision not in Application.Decision.values:
        raise CohortError(_("Choose a decision."), code="decision_required")
    if not reason.strip():
        raise CohortError(_("Give a reason for the decision."), code="reason_required")
    application.decision = decision
    application.decision_reason = reason.strip()
    application.score = score
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_sent_at = None
    clean_or_raise(application, CohortError)
    application.save(
        update_fields=[
            "decision",
            "decision_reason",
            "score",
            "decided_by",
            "decided_at",
            "decision_sent_at",
            "updated_at",
        ]
    )
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
        raise CohortError(
            _("Only a submitted or waiting-list application can be scored."),
            code="scoring_not_allowed",
        )
    competencies = set(framework_competencies(application.cohort).values_list("pk", flat=True))
    for competency_id, score in scores.items():
        if competency_id not in competencies:
            raise CohortError(
                _("That competency is not in this programme's framework."),
                code="competency_not_in_framework",
            )
        if score is not None and not 1 <= score <= 4:
            raise CohortError(_("Score each competency from 1 to 4."), code="score_out_of_range")
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


def _put_on_waiting_list(application: Application, now) -> None:
    """Put an application on the waiting list (its place in the queue dates from now
    unless it was already waiting). Emailed separately, once (``_notify_waiting``)."""
    application.status = Application.Status.WAITING
    application.waiting_since = application.waiting_since or now
    application.save(update_fields=["status", "waiting_since", "updated_at"])


def _notify_waiting(application: Application, cohort: Cohort) -> None:
    notify_user(
        key=f"cohort.waiting:{application.pk}",
        user=application.applicant,
        template=emails.WAITING_LIST,
        context={"application": application, "cohort": cohort},
    )


def decisions_pending(cohort: Cohort, application_ids=None):
    """The recorded, unsent decisions of ``cohort`` (only those of ``application_ids``
    when given), in the order ``decisions_send`` sends them."""
    pending = (
        cohort.applications.filter(
            status__in=[Application.Status.SUBMITTED, Application.Status.WAITING]
        )
        .exclude(decision="")
        .filter(decision_sent_at__isnull=True)
        .select_related("applicant")
        .order_by("decision", "-score", "submitted_at", "pk")  # "decline" < "offer" < "wait…"
    )
    if application_ids is not None:
        pending = pending.filter(pk__in=list(application_ids))
    return pending


def decisions_preview(cohort: Cohort, application_ids=None) -> list[dict]:
    """What ``decisions_send`` would do now, row by row, for the confirmation page: each
    pending decision and its outcome ("offer", "waiting" when no place is left for an
    offer or the decision is the waiting list, "unsuccessful"). A preview, read without
    the lock: the send re-reads and decides under it."""
    pending = list(decisions_pending(cohort, application_ids))
    free = places.places_left(cohort) if pending else 0
    rows = []
    for application in pending:
        if application.decision == Application.Decision.OFFER and free > 0:
            free -= 1
            outcome = "offer"
        elif application.decision == Application.Decision.DECLINE:
            outcome = "unsuccessful"
        else:
            outcome = "waiting"
        rows.append({"application": application, "outcome": outcome})
    return rows


@transaction.atomic
def decisions_send(*, cohort: Cohort, actor, application_ids=None) -> dict:
    """Send every recorded, unsent decision of a cohort (only those of
    ``application_ids`` when given: the rows a manager ticked), under the cohort lock.

    Offers go out in score order while places last (the engine's count: capacity, and
    on a subsidised cohort the scheme's places not used or reserved); an offer with no
    place left puts the applicant on the waiting list instead. Then any place still
    free — left by "waiting list" decisions, say — is offered to the waiting list in
    queue order, through the engine, in this same transaction. Each applicant is emailed
    once about the outcome: someone put on the waiting list and offered a place at once
    gets only the offer. Returns the counts by outcome ("offered" includes the places
    offered from the waiting list)."""
    cohort = lock_cohort(cohort.pk)
    now = timezone.now()
    pending = list(decisions_pending(cohort, application_ids).select_for_update())
    free = places.places_left(cohort) if pending else 0
    counts = {"offered": 0, "waiting": 0, "declined": 0}
    newly_waiting = []
    for application in pending:
        if application.decision == Application.Decision.OFFER and free > 0:
            places.offer_place(cohort, application, now)
            free -= 1
            counts["offered"] += 1
        elif application.decision in {
            Application.Decision.OFFER,
            Application.Decision.WAITING_LIST,
        }:
            if application.status != Application.Status.WAITING:
                _put_on_waiting_list(application, now)
                newly_waiting.append(application)
        else:
            application.status = Application.Status.UNSUCCESSFUL
            application.save(update_fields=["status", "updated_at"])
            notify_user(
                key=f"cohort.unsuccessful:{application.pk}",
                user=application.applicant,
                template=emails.UNSUCCESSFUL,
                context={"application": application, "cohort": cohort},
            )
            counts["declined"] += 1
        application.decision_sent_at = now
        application.save(update_fields=["decision_sent_at", "updated_at"])
    promoted = places.promote_locked(cohort, now=now) if pending else []
    promoted_ids = {a.pk for a in promoted}
    counts["offered"] += len(promoted)
    for application in newly_waiting:
        if application.pk not in promoted_ids:
            _notify_waiting(application, cohort)
    counts["waiting"] = sum(
        1 for a in pending if a.pk not in promoted_ids and a.status == Application.Status.WAITING
    )
    if pending:
        audit_record(actor=actor, action="cohorts.decisions_sent", obj=cohort, data=counts)
    return counts


@transaction.atomic
def cohort_fill_places(*, cohort: Cohort, actor=None) -> list[Application]:
    """Offer the cohort's free places to its waiting list now (the admin's action; the
    Celery task does the same without an audit entry)."""
    cohort = lock_cohort(cohort.pk)
    promoted = places.promote_locked(cohort)
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
    under the lock; free places (a higher capacity, say) are offered to the waiting list
    by the promotion task after commit."""
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
                },
                code="provider_not_entitled",
            )
    existing = cohort.pk is not None and previous is not None
    if existing:
        lock_cohort(cohort.pk)
        taken = cohort.places_taken()
        if cohort.capacity < taken:
            raise CohortError(
                _("The capacity cannot be lower than the %(taken)s places already taken.")
                % {"taken": taken},
                code="capacity_below_taken",
            )
    clean_or_raise(cohort, CohortError)
    cohort.save()
    audit_record(actor=actor, action="cohorts.cohort_saved", obj=cohort)
    if existing:
        places.enqueue_promotion(cohort.pk)
    return cohort


def _allocate_subsidised_place(cohort: Cohort, person):
    """For a subsidised cohort, use one place of its scheme's national cap. The scheme
    row is locked (after the cohort's: lock order cohort, then scheme) and its
    allocations counted before anything is written, so simultaneous enrolments in
    different cohorts (different cohort locks) are serialised on the scheme; the
    programmes service then locks (already held) and re-checks. A person the scheme's
    eligibility rules do not admit gets no subsidised place (None: their place is not
    funded) and uses none of the cap. Raises ``SubsidyCapReached`` when the cap is
    reached, ``CohortError`` for any other refusal."""
    if not cohort.subsidy_scheme_id:
        return None
    scheme = places.lock_scheme(cohort.subsidy_scheme_id)
    if scheme.eligibility_refusal(person):
        # The scheme does not fund this person (the LGA's places are for local
        # government HR staff): the place is theirs, unfunded. Their application page
        # says why; the cap is left for those it is for.
        return None
    used = SubsidyAllocation.objects.filter(scheme_id=scheme.pk).count()
    places.COHORT_PLACES.after_count()
    if used >= scheme.total_places:
        raise SubsidyCapReached(
            _(
                "Your place cannot be confirmed: it is a subsidised place and all "
                "%(total)s places of %(scheme)s have been used. Your offer has been "
                "withdrawn and you are back on the waiting list, in the position you had: "
                "if a subsidised place becomes free, it will be offered in order."
            )
            % {"total": scheme.total_places, "scheme": scheme},
            code="subsidy_cap_reached",
        )
    try:
        return subsidy_place_allocate(
            scheme=scheme,
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
            % {"why": str(exc)},
            code=exc.code,
        ) from exc


def offer_accept(*, application: Application, user) -> Participant:
    """Accept an open offer before its deadline: enrols the applicant as a participant.
    The place was already held by the offer, so capacity cannot be exceeded. On a
    subsidised cohort the enrolment also uses a place of the scheme's national cap.

    Refused at the cap (possible only if places were used outside these offers, e.g. the
    cap was lowered or allocated elsewhere, since an offer reserves a scheme place): the
    offer must not go on holding a cohort place it can never fill, so it is withdrawn —
    the applicant goes back on the waiting list with the priority and time joined they
    had (the first in line when a subsidised place frees), is emailed once, and the
    cohort place is passed on. That change is committed, then ``SubsidyCapReached`` is
    raised with a message saying so. Any other refusal changes nothing."""
    outcome = _offer_accept(application=application, user=user)
    if isinstance(outcome, CohortError):
        raise outcome
    return outcome


@transaction.atomic
def _offer_accept(*, application: Application, user) -> Participant | CohortError:
    cohort = lock_cohort(application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise CohortError(_("This offer is not yours."), code="not_your_offer")
    if application.status != Application.Status.OFFERED:
        raise CohortError(_("There is no open offer on this application."), code="offer_not_open")
    now = timezone.now()
    if now >= application.offer_expires_at:
        expired = date_format(timezone.localtime(application.offer_expires_at), "j F Y, H:i")
        raise CohortError(
            _("This offer expired on %(expired)s.") % {"expired": expired}, code="offer_expired"
        )
    participant = Participant(
        cohort=cohort, user=application.applicant, application=application, enrolled_at=now
    )
    try:
        participant.subsidy_allocation = _allocate_subsidised_place(cohort, application.applicant)
    except SubsidyCapReached as refusal:
        _withdraw_offer_at_the_cap(application, cohort, now)
        return refusal
    clean_or_raise(participant, CohortError)
    participant.save()
    application.status = Application.Status.ACCEPTED
    application.responded_at = now
    application.save(update_fields=["status", "responded_at", "updated_at"])
    _notify_enrolled(participant)
    return participant


@transaction.atomic
def participant_enrol(*, cohort: Cohort, user, actor) -> Participant:
    """Enrol ``user`` in ``cohort`` directly (a manager's bulk import of an agreed list,
    without applications). Guarantees, under the cohort's lock: the cohort is not
    completed or cancelled; the person has no place in it already (withdrawn included:
    the place is restored in the admin, not enrolled twice); a place is free, counting
    open offers; on a subsidised cohort a place of the scheme's cap is used too. The
    participant is emailed as on accepting an offer."""
    cohort = lock_cohort(cohort.pk)
    if cohort.status in {Cohort.Status.COMPLETED, Cohort.Status.CANCELLED}:
        raise CohortError(
            _("%(cohort)s is %(status)s: no one can be enrolled.")
            % {"cohort": cohort, "status": cohort.get_status_display().lower()}
        )
    if Participant.objects.filter(cohort=cohort, user=user).exists():
        raise CohortError(
            _("%(name)s already has a place in this cohort.") % {"name": user.get_full_name()}
        )
    if places.places_left(cohort) < 1:
        raise CohortError(
            _("The cohort is full: all %(capacity)s places are taken or offered.")
            % {"capacity": cohort.capacity}
        )
    participant = Participant(cohort=cohort, user=user, enrolled_at=timezone.now())
    try:
        participant.subsidy_allocation = _allocate_subsidised_place(cohort, user)
    except SubsidyCapReached:
        raise CohortError(
            _("Every subsidised place of %(scheme)s has been used.")
            % {"scheme": cohort.subsidy_scheme}
        ) from None
    participant.full_clean()
    participant.save()
    audit_record(actor=actor, action="cohorts.participant_enrolled", obj=participant)
    _notify_enrolled(participant)
    return participant


def _notify_enrolled(participant: Participant) -> None:
    """The "you are enrolled" email, once per place (keyed), sent after commit."""
    notify_user(
        key=f"cohort.enrolled:{participant.pk}",
        user=participant.user,
        template=emails.ENROLLED,
        context={
            "cohort": participant.cohort,
            "participant": participant,
            "funding": place_funding(participant.cohort, participant.user, participant),
        },
    )


def _withdraw_offer_at_the_cap(application: Application, cohort: Cohort, now) -> None:
    """The offer cannot be accepted (the scheme is full): back on the waiting list where
    the applicant was (an applicant offered straight from selection joins it as of the
    offer), emailed once per offer, and the cohort place passed on (the engine offers it
    only if the scheme has a place again)."""
    application.status = Application.Status.WAITING
    application.waiting_since = application.waiting_since or application.offered_at or now
    application.offer_expires_at = None
    application.save(update_fields=["status", "waiting_since", "offer_expires_at", "updated_at"])
    notify_user(
        key=f"cohort.subsidy_cap_reached:{application.pk}:{application.offer_count}",
        user=application.applicant,
        template=emails.SUBSIDY_CAP_REACHED,
        context={"application": application, "cohort": cohort},
    )
    places.promote_locked(cohort, now=now)


@transaction.atomic
def offer_decline(*, application: Application, user) -> Application:
    """Decline an open offer: the place is passed on to the next person waiting at once,
    in this same transaction (the lock is already held), as for events. A subsidised
    place reserved by the offer may go to another cohort of the scheme instead, if this
    one has nobody waiting (their promotion tasks, after commit)."""
    cohort = lock_cohort(application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise CohortError(_("This offer is not yours."), code="not_your_offer")
    if application.status != Application.Status.OFFERED:
        raise CohortError(_("There is no open offer on this application."), code="offer_not_open")
    application.status = Application.Status.OFFER_DECLINED
    application.responded_at = timezone.now()
    application.save(update_fields=["status", "responded_at", "updated_at"])
    notify_user(
        key=f"cohort.offer_declined:{application.pk}",
        user=application.applicant,
        template=emails.OFFER_DECLINED,
        context={"application": application, "cohort": cohort},
    )
    places.promote_locked(cohort)
    places.enqueue_scheme_promotions(cohort)
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
            cohort = lock_cohort(cohort_id)
            for application in (
                cohort.applications.select_for_update().filter(due).select_related("applicant")
            ):
                application.status = Application.Status.OFFER_EXPIRED
                application.save(update_fields=["status", "updated_at"])
                notify_user(
                    key=f"cohort.offer_expired:{application.pk}:{application.offer_count}",
                    user=application.applicant,
                    template=emails.OFFER_EXPIRED,
                    context={"application": application, "cohort": cohort},
                )
                expired += 1
            places.promote_locked(cohort, now=now)
            places.enqueue_scheme_promotions(cohort, now=now)
    return expired


@transaction.atomic
def participant_withdraw(*, participant: Participant, actor, reason: str = "") -> Participant:
    """Withdraw a participant (before completion): their place is freed and offered to
    the next person on the waiting list by the promotion task, after commit; before the
    start, a subsidised place also goes back to its scheme (and the scheme's other
    cohorts may offer it)."""
    cohort = lock_cohort(participant.cohort_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Participant.Status.ENROLLED:
        raise CohortError(_("Only an enrolled participant can be withdrawn."), code="not_enrolled")
    participant.status = Participant.Status.WITHDRAWN
    participant.completion_reason = reason.strip()
    participant.save(update_fields=["status", "completion_reason", "updated_at"])
    if participant.subsidy_allocation_id and cohort_start(cohort) > timezone.now():
        # Withdrawn before the start: the subsidised place goes back to the scheme.
        allocation = participant.subsidy_allocation
        participant.subsidy_allocation = None
        participant.save(update_fields=["subsidy_allocation", "updated_at"])
        subsidy_place_release(allocation=allocation, actor=actor, reason=reason or "Withdrawn")
        places.enqueue_scheme_promotions(cohort)
    audit_record(
        actor=actor, action="cohorts.participant_withdrawn", obj=participant, reason=reason
    )
    places.enqueue_promotion(cohort.pk)
    return participant
