"""Passing a confirmed place to a colleague (issue 18): the holder offers it, the
colleague accepts or declines, the holder may withdraw, and an offer lapses at its
deadline. The organiser chooses per event whether transfers are allowed, and to whom
(``Event.transfer_policy``).

Lock order, as every booking service: the event row first (``lock_event``), then the
transfer, then the holder's booking. Accepting swaps the holder's booking for the
colleague's inside one transaction under the event lock, so the number of places held
never changes and no promotion runs: the place never reaches the waiting list.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talenthub.core import waiting_list
from talenthub.core.notifications import notify
from talenthub.core.questions import clean_answers
from talenthub.core.services import audit_record

from ..exceptions import BookingError
from ..models import ACTIVE_STATUSES, Booking, BookingAnswer, Event, PlaceTransfer
from .promotion import (
    TRANSFER_HOLDER,
    TRANSFER_OFFERED,
    TRANSFER_RECIPIENT,
    EventEmail,
    busy_on_lock_timeout,
    lock_event,
    lock_timeout_set,
)

ONE_ACTIVE_ENTRY = "booking_one_active_per_member"
# Test hook: called in ``place_transfer_accept`` between its checks and its writes, to
# widen the race window in the concurrency tests. None in production.
AFTER_CHECK_HOOK: Callable[[], None] | None = None


def transfer_deadline(event: Event, now):
    """``TRANSFER_OFFER_HOURS`` from ``now``, but never past the event's start."""
    hours = settings.TALENTHUB["TRANSFER_OFFER_HOURS"]
    return min(now + timedelta(hours=hours), event.starts_at)


def _notify_transfer(transfer: PlaceTransfer, email: EventEmail, *, user, **context) -> None:
    """Queue ``email`` about ``transfer`` to ``user`` once: key
    ``event.<kind>:<transfer id>:<status>`` (one email per outcome per party)."""
    booking = transfer.booking
    notify(
        key=waiting_list.outbox_key("event", email.kind, transfer.pk, transfer.status),
        user=user,
        template=email.template_name,
        context={
            "transfer": transfer,
            "event": booking.event,
            "holder": booking.member,
            "recipient": transfer.recipient,
            **context,
        },
    )


_ORGANISATION_ONLY = gettext_lazy(
    "On this event a place can only be passed to a TalentHub member of your own organisation."
)


def _recipient_refusal(message: str, code: str) -> BookingError:
    """A refusal about the colleague named: shown next to the email address field."""
    return BookingError(message, code=code, field_errors={"email": [message]}, non_field_errors=[])


def _place_rule_check(*, event: Event, booking: Booking, now) -> None:
    """The event's and the place's rules, checked when a place is offered and again when
    it is accepted (the organiser may switch transfers off meanwhile). The caller holds
    the event lock."""
    if event.transfer_policy == Event.TransferPolicy.OFF:
        raise BookingError(
            _("The organiser does not allow places on this event to be passed on."),
            code="transfers_off",
        )
    if event.status != Event.Status.PUBLISHED or event.has_started(now):
        raise BookingError(
            _("Places on this event can no longer be passed on."), code="transfer_closed"
        )
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(
            _("Only a confirmed place can be passed on."), code="transfer_not_confirmed"
        )


def _recipient_rule_check(*, event: Event, booking: Booking, recipient) -> None:
    """The rules about the colleague, checked when offered and again when accepted (the
    colleague may have booked, or moved organisation, meanwhile)."""
    if recipient.pk == booking.member_id:
        raise _recipient_refusal(
            _("Enter a colleague's email address, not your own."), "transfer_to_self"
        )
    if event.transfer_policy == Event.TransferPolicy.ORGANISATION:
        holder_org = getattr(getattr(booking.member, "profile", None), "organisation_id", None)
        recipient_org = getattr(getattr(recipient, "profile", None), "organisation_id", None)
        if holder_org is None or holder_org != recipient_org:
            raise _recipient_refusal(_ORGANISATION_ONLY, "recipient_other_organisation")
    if event.bookings.filter(member=recipient, status__in=ACTIVE_STATUSES).exists():
        raise _recipient_refusal(
            _("Your colleague already has a place or a waiting-list entry on this event."),
            "recipient_already_booked",
        )


def _recipient_find(email: str):
    """The active account with ``email`` (case-insensitive), or None."""
    User = get_user_model()
    return (
        User.objects.select_related("profile")
        .filter(email__iexact=email.strip(), is_active=True)
        .first()
    )


def _lock_transfer(transfer_id: int) -> tuple[Event, PlaceTransfer]:
    """Lock the transfer's event, then the transfer and the holder's booking (lock order:
    event first, as every booking service). Must be called inside a transaction."""
    event_id = PlaceTransfer.objects.values_list("booking__event_id", flat=True).get(pk=transfer_id)
    event = lock_event(event_id)
    transfer = (
        PlaceTransfer.objects.select_for_update(of=("self",))
        .select_related("recipient__profile")
        .get(pk=transfer_id)
    )
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("member__profile")
        .get(pk=transfer.booking_id)
    )
    booking.event = event
    transfer.booking = booking
    return event, transfer


@busy_on_lock_timeout
@transaction.atomic
def place_transfer_offer(*, booking: Booking, holder, email: str, now=None) -> PlaceTransfer:
    """Offer ``holder``'s confirmed place on ``booking`` to the member with ``email``.

    Guarantees (under the event lock): the event allows transfers to that person
    (``Event.transfer_policy``), has not started and is not cancelled; the place is
    confirmed; the colleague is an active member, not the holder, of the holder's
    organisation when the event says so, and holds no entry on the event; at most one
    pending offer per place (also a partial unique constraint). The offer lapses at
    ``transfer_deadline``. The colleague is emailed once; the offer is audited. Nothing
    changes about the holder's place until the colleague accepts."""
    now = now or timezone.now()
    lock_timeout_set()
    event = lock_event(booking.event_id)
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("member__profile")
        .get(pk=booking.pk)
    )
    booking.event = event
    if booking.member_id != holder.pk:
        raise BookingError(_("This booking is not yours."), code="not_your_booking")
    _place_rule_check(event=event, booking=booking, now=now)
    recipient = _recipient_find(email)
    if recipient is None:
        # Where only the holder's organisation may take the place, an address with no
        # account gets the same words as an account elsewhere: the form must not tell a
        # member which outside addresses have accounts.
        raise _recipient_refusal(
            _ORGANISATION_ONLY
            if event.transfer_policy == Event.TransferPolicy.ORGANISATION
            else _(
                "We could not find a TalentHub member with that email address. Ask your "
                "colleague to create an account first."
            ),
            "recipient_not_member",
        )
    _recipient_rule_check(event=event, booking=booking, recipient=recipient)
    # An offer past its deadline that the sweep has not reached yet is ended here, so it
    # does not block a new one.
    for stale in (
        booking.transfers.pending().filter(expires_at__lte=now).select_related("recipient")
    ):
        stale.booking = booking
        _expire_locked(stale, now=now)
    if booking.transfers.pending().exists():
        raise BookingError(
            _("You have already offered this place. Withdraw that offer first."),
            code="transfer_pending",
        )
    transfer = PlaceTransfer(
        booking=booking,
        recipient=recipient,
        status=PlaceTransfer.Status.PENDING,
        expires_at=transfer_deadline(event, now),
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:  # only a writer that skipped the event lock
        raise BookingError(
            _("You have already offered this place. Withdraw that offer first."),
            code="transfer_pending",
        ) from exc
    audit_record(
        actor=holder,
        action="transfer.offered",
        obj=transfer,
        data={"booking": booking.pk, "recipient": recipient.pk, "event": event.pk},
    )
    _notify_transfer(
        transfer, TRANSFER_OFFERED, user=recipient, has_questions=event.questions.exists()
    )
    return transfer


@busy_on_lock_timeout
@transaction.atomic
def place_transfer_accept(
    *, transfer: PlaceTransfer, member, answers: dict[int, str] | None = None, now=None
) -> Booking:
    """The colleague takes the place: in this one transaction, under the event lock and
    the booking's row lock, the holder's booking ends (``TRANSFERRED``) and ``member``
    gets a confirmed booking with their own answers to the event's questions (the
    holder's are not copied: access needs are personal). The number of places held does
    not change and no promotion is queued, so the place never goes to the waiting list.
    The rules are checked again (the organiser or the colleague may have changed
    something since the offer). Both are emailed once; audited. Returns the new
    booking."""
    now = now or timezone.now()
    lock_timeout_set()
    event, transfer = _lock_transfer(transfer.pk)
    booking = transfer.booking
    if transfer.recipient_id != member.pk:
        raise BookingError(_("This offer is not yours."), code="not_your_transfer")
    if transfer.status != PlaceTransfer.Status.PENDING:
        raise BookingError(_("This offer is no longer open."), code="transfer_not_open")
    if transfer.expires_at <= now:
        raise BookingError(_("Sorry, this offer has expired."), code="transfer_expired")
    _place_rule_check(event=event, booking=booking, now=now)
    _recipient_rule_check(event=event, booking=booking, recipient=transfer.recipient)
    cleaned, errors = clean_answers(event.questions.all(), answers or {})
    if errors:
        raise BookingError(
            _("Check your answers to the event's questions."),
            code="answers_invalid",
            field_errors=errors,
            non_field_errors=[],
        )
    if AFTER_CHECK_HOOK is not None:
        AFTER_CHECK_HOOK()
    booking.status = Booking.Status.TRANSFERRED
    booking.ended_at = now
    booking.end_reason = _("Passed to a colleague")
    booking.attendance = Booking.Attendance.UNKNOWN
    booking.save(update_fields=["status", "ended_at", "end_reason", "attendance", "updated_at"])
    new_booking = Booking(
        event=event,
        member=transfer.recipient,
        status=Booking.Status.CONFIRMED,
        joined_at=now,
        confirmed_at=now,
    )
    try:
        with transaction.atomic():
            new_booking.save()
    except IntegrityError as exc:
        if ONE_ACTIVE_ENTRY not in str(exc):
            raise
        raise BookingError(
            _("You already have a place or a waiting-list entry for this event."),
            code="recipient_already_booked",
        ) from exc
    BookingAnswer.objects.bulk_create(
        BookingAnswer(booking=new_booking, question_id=question_id, text=text)
        for question_id, text in cleaned.items()
        if text
    )
    transfer.status = PlaceTransfer.Status.ACCEPTED
    transfer.ended_at = now
    transfer.new_booking = new_booking
    transfer.save(update_fields=["status", "ended_at", "new_booking", "updated_at"])
    audit_record(
        actor=member,
        action="transfer.accepted",
        obj=transfer,
        data={"from_booking": booking.pk, "to_booking": new_booking.pk, "event": event.pk},
    )
    _notify_transfer(transfer, TRANSFER_HOLDER, user=booking.member)
    _notify_transfer(transfer, TRANSFER_RECIPIENT, user=transfer.recipient)
    return new_booking


def _transfer_end(
    *, transfer_id: int, actor, by_recipient: bool, status: str, now=None
) -> PlaceTransfer:
    """End a pending offer (declined or withdrawn) under the event lock; the other party
    is emailed once and the end audited. The holder keeps their place."""
    now = now or timezone.now()
    lock_timeout_set()
    _event, transfer = _lock_transfer(transfer_id)
    party = transfer.recipient_id if by_recipient else transfer.booking.member_id
    if party != actor.pk:
        raise BookingError(_("This offer is not yours."), code="not_your_transfer")
    if transfer.status != PlaceTransfer.Status.PENDING:
        raise BookingError(_("This offer is no longer open."), code="transfer_not_open")
    transfer.status = status
    transfer.ended_at = now
    transfer.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=actor, action=f"transfer.{status}", obj=transfer)
    if by_recipient:
        _notify_transfer(transfer, TRANSFER_HOLDER, user=transfer.booking.member)
    else:
        _notify_transfer(transfer, TRANSFER_RECIPIENT, user=transfer.recipient)
    return transfer


@busy_on_lock_timeout
@transaction.atomic
def place_transfer_decline(*, transfer: PlaceTransfer, member, now=None) -> PlaceTransfer:
    """The colleague says no: the offer ends, the holder keeps the place and is emailed
    once. Refused for anyone but the colleague, or an offer no longer pending."""
    return _transfer_end(
        transfer_id=transfer.pk,
        actor=member,
        by_recipient=True,
        status=PlaceTransfer.Status.DECLINED,
        now=now,
    )


@busy_on_lock_timeout
@transaction.atomic
def place_transfer_withdraw(*, transfer: PlaceTransfer, holder, now=None) -> PlaceTransfer:
    """The holder takes back a pending offer: it ends, they keep the place, the
    colleague is emailed once. Refused for anyone but the holder, or an offer no longer
    pending."""
    return _transfer_end(
        transfer_id=transfer.pk,
        actor=holder,
        by_recipient=False,
        status=PlaceTransfer.Status.WITHDRAWN,
        now=now,
    )


def transfers_cancel_locked(*, booking: Booking, now, actor=None) -> int:
    """The holder's booking has just ended another way (cancelled, the event cancelled,
    the account erased): end its pending offer, if any, and tell the colleague once.
    The caller holds the event lock. Returns the number ended (0 or 1)."""
    ended = 0
    for transfer in booking.transfers.pending().select_related("recipient"):
        transfer.booking = booking
        transfer.status = PlaceTransfer.Status.CANCELLED
        transfer.ended_at = now
        transfer.save(update_fields=["status", "ended_at", "updated_at"])
        audit_record(actor=actor, action="transfer.cancelled", obj=transfer)
        _notify_transfer(transfer, TRANSFER_RECIPIENT, user=transfer.recipient)
        ended += 1
    return ended


def transfers_received_cancel(*, recipient, now=None) -> int:
    """End every pending offer made to ``recipient`` (their account is being erased):
    each under its event's lock; the holder keeps the place and is emailed once.
    Returns the number ended."""
    now = now or timezone.now()
    ended = 0
    ids = PlaceTransfer.objects.pending().filter(recipient=recipient).values_list("pk", flat=True)
    for transfer_id in list(ids):
        with transaction.atomic():
            _event, transfer = _lock_transfer(transfer_id)
            if transfer.status != PlaceTransfer.Status.PENDING:
                continue
            transfer.status = PlaceTransfer.Status.CANCELLED
            transfer.ended_at = now
            transfer.save(update_fields=["status", "ended_at", "updated_at"])
            audit_record(actor=None, action="transfer.cancelled", obj=transfer)
            _notify_transfer(transfer, TRANSFER_HOLDER, user=transfer.booking.member)
            ended += 1
    return ended


def _expire_locked(transfer: PlaceTransfer, *, now) -> None:
    """End a pending offer past its deadline: both are emailed once; audited. The caller
    holds the event lock."""
    transfer.status = PlaceTransfer.Status.EXPIRED
    transfer.ended_at = now
    transfer.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=None, action="transfer.expired", obj=transfer)
    _notify_transfer(transfer, TRANSFER_HOLDER, user=transfer.booking.member)
    _notify_transfer(transfer, TRANSFER_RECIPIENT, user=transfer.recipient)


def transfers_expire(*, now=None) -> int:
    """End every pending offer past its deadline: the holder keeps the place; both are
    emailed once; audited. One transaction per event, under its lock; an offer accepted
    or withdrawn meanwhile is left alone (re-checked under the lock). A query for due
    rows, so a late or repeated run is harmless. Returns the number expired."""
    now = now or timezone.now()
    event_ids = (
        PlaceTransfer.objects.pending()
        .filter(expires_at__lte=now)
        .values_list("booking__event_id", flat=True)
        .distinct()
    )
    expired = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = lock_event(event_id)
            due = (
                PlaceTransfer.objects.pending()
                .filter(booking__event=event, expires_at__lte=now)
                .select_related("booking__member", "recipient")
                .select_for_update(of=("self",))
            )
            for transfer in due:
                transfer.booking.event = event
                _expire_locked(transfer, now=now)
                expired += 1
    return expired
