"""Member and manager writes to bookings. Every function that adds or frees a place
locks the event row first (``promotion.lock_event``), then re-reads and checks."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import waiting_list
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record
from talenthub.core.templatetags.govuk import govuk_datetime

from ..exceptions import BookingError
from ..models import ACTIVE_STATUSES, PLACE_STATUSES, Booking, Event
from .promotion import (
    BOOKED,
    CANCELLED,
    EVENT_PLACES,
    OFFER_EXPIRED,
    REMINDER_1D,
    REMINDER_7D,
    WAITING,
    busy_on_lock_timeout,
    enqueue_promotion,
    lock_event,
    lock_timeout_set,
    notify_booking,
    places_left,
    promote_locked,
    promote_waiting_list,
)
from .transfers import transfers_cancel_locked


def _lock_booking(booking_id: int, *, with_original: bool = False) -> tuple[Event, Booking]:
    """Lock the booking's event, then re-read the booking (lock order: event first).

    ``with_original``: for a re-run place offered from a waiting entry on the original
    event (``rerun_source``), lock the original too, so that entry can be ended without
    racing a promotion on the original. Lock order: lower id first (the original was
    created before its re-run), as in ``event_publish``."""
    event_id, source_id, original_id = Booking.objects.values_list(
        "event_id", "rerun_source_id", "rerun_source__event_id"
    ).get(pk=booking_id)
    event_ids = {event_id}
    if with_original and source_id is not None:
        event_ids.add(original_id)
    locked = {pk: lock_event(pk) for pk in sorted(event_ids)}
    event = locked[event_id]
    booking = Booking.objects.select_related("member", "rerun_source").get(pk=booking_id)
    booking.event = event
    return event, booking


def rerun_source_end_locked(*, booking: Booking, now=None) -> bool:
    """``booking`` is a re-run place that has just been taken (confirmed): end the
    member's waiting entry on the original event it was offered from, if that entry is
    still waiting. Until now the member kept their place in the original's queue; a
    waiting entry holds no place, so ending it frees none and the people behind simply
    move up one (nobody is skipped). An entry that has meanwhile become an offer or a
    place on the original is left alone: the member chooses which to keep. No separate
    email: the re-run's "booked"/"promoted" email says the entry has ended. The caller
    holds both events' locks. Returns True if an entry was ended."""
    source = booking.rerun_source
    if source is None or source.status != Booking.Status.WAITING:
        return False
    source.status = Booking.Status.CANCELLED
    source.ended_at = now or timezone.now()
    source.end_reason = _("Took a place on the re-run")
    source.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    return True


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person waiting, 2 for the next…; None if not waiting. The queue
    order is the engine's (``waiting_list.queue_position``); only the event's id is read."""
    if booking.status != Booking.Status.WAITING:
        return None
    return waiting_list.queue_position(EVENT_PLACES, Event(pk=booking.event_id), booking)


ONE_ACTIVE_ENTRY = "booking_one_active_per_member"


@busy_on_lock_timeout
def booking_create(*, event: Event, member, now=None) -> Booking:
    """Book ``member`` a place, or put them on the waiting list when the event is full.

    Guarantees (under the event lock): confirmed + open offers never exceed capacity;
    one active entry per member per event (also a partial unique constraint); nobody
    jumps the queue: while anyone is waiting, a newcomer waits too, even if a place has
    just freed (the promotion task gives it to the first in line). The member is emailed
    once ("booked" or "waiting", with their position): the outbox row is written in the
    booking's transaction, so a process that dies after the commit loses no email; it
    is one plain INSERT (its key names the new booking) and a render of ~0.1 ms, the
    only email work while the event is locked. A waiting booking carries ``position``
    (its place in line when it joined).

    Raises ``EventBusyError`` when the event's lock is not free within
    ``EVENT_LOCK_TIMEOUT`` (nothing is changed), ``BookingError`` for a broken rule."""
    try:
        booking, position = _booking_create_locked(event=event, member=member, now=now)
    except IntegrityError as exc:
        # Only a writer that skipped the event lock could get here (the checks run
        # under it); the partial unique constraint still refuses a second entry. Any
        # other integrity error is a fault, not the member's doing. (PostgreSQL and
        # SQLite both name the constraint's index in the message.)
        if ONE_ACTIVE_ENTRY not in str(exc):
            raise
        raise BookingError(
            _("You already have a place or a waiting-list entry for this event."),
            code="already_booked",
        ) from exc
    if position is not None:
        booking.position = position
    return booking


@transaction.atomic
def _booking_create_locked(*, event: Event, member, now=None) -> tuple[Booking, int | None]:
    """The locked part of ``booking_create``, kept to what needs the lock: lock the
    event, one query for every figure the decision needs, one INSERT. Returns the new
    booking and, if it waits, its position in line."""
    lock_timeout_set()
    event = lock_event(event.pk)
    # Read the clock after taking the lock, so joined_at follows the order in which
    # bookings were actually served.
    now = now or timezone.now()
    if not event.is_booking_open(now):
        if event.status == Event.Status.PUBLISHED and now < event.booking_opens_at:
            raise BookingError(
                _("Booking for this event is not open yet: it opens on %(opens)s.")
                % {"opens": govuk_datetime(event.booking_opens_at)},
                code="booking_not_open_yet",
            )
        raise BookingError(_("Booking for this event is closed."), code="booking_closed")
    waiting = Q(status=Booking.Status.WAITING)
    counts = event.bookings.aggregate(
        mine=Count("pk", filter=Q(member=member, status__in=ACTIVE_STATUSES)),
        waiting=Count("pk", filter=waiting),
        taken=Count("pk", filter=Q(status__in=PLACE_STATUSES)),
        # The newcomer joins at priority 0 (the field's default) and time ``now``.
        ahead=Count(
            "pk",
            filter=waiting & waiting_list.ahead_of_newcomer(EVENT_PLACES, priority=0, joined=now),
        ),
    )
    if counts["mine"]:
        raise BookingError(
            _("You already have a place or a waiting-list entry for this event."),
            code="already_booked",
        )
    has_place = places_left(event, taken=counts["taken"]) > 0 and not counts["waiting"]
    booking = Booking(
        event=event,
        member=member,
        status=Booking.Status.CONFIRMED if has_place else Booking.Status.WAITING,
        joined_at=now,
        confirmed_at=now if has_place else None,
    )
    # Field checks only, in Python. ``full_clean`` would also re-read the event and the
    # member (both just read: the locked row, the signed-in member) and run the
    # constraints as ~8 more queries under the lock; the database enforces them all
    # on the INSERT, and the one a member can break (one active entry) was counted above.
    try:
        booking.clean_fields(exclude=["event", "member"])
    except ValidationError as exc:
        raise BookingError.from_validation_error(exc) from exc
    booking.save()
    position = None if has_place else counts["ahead"] + 1
    if has_place:
        notify_booking(booking, BOOKED, new_key=True)
    else:
        notify_booking(booking, WAITING, position=position, new_key=True)
    return booking, position


@busy_on_lock_timeout
@transaction.atomic
def booking_cancel(
    *, booking: Booking, actor=None, reason: str = "", now=None, bounded_wait: bool = True
) -> Booking:
    """Cancel a place, an offer or a waiting-list entry. A freed place goes to the first
    person waiting (by the promotion task, after commit). The member is emailed once.
    When ``actor`` is not the member (a manager removing someone), the reason is
    required and recorded in the audit trail."""
    now = now or timezone.now()
    if bounded_wait:  # a member waits at most EVENT_LOCK_TIMEOUT, then "busy"
        lock_timeout_set()
    event, booking = _lock_booking(booking.pk)
    if not booking.is_active:
        raise BookingError(_("This booking has already ended."), code="booking_ended")
    by_manager = actor is not None and actor.pk != booking.member_id
    if by_manager and not reason.strip():
        raise BookingError(_("Give a reason for removing this person."), code="reason_required")
    freed_place = booking.holds_place
    booking.status = Booking.Status.CANCELLED
    booking.ended_at = now
    booking.end_reason = reason.strip()[:250]
    booking.attendance = Booking.Attendance.UNKNOWN
    booking.save(update_fields=["status", "ended_at", "end_reason", "attendance", "updated_at"])
    notify_booking(booking, CANCELLED, by_manager=by_manager)
    # A pending offer to pass this place on ends with it (the colleague is told).
    transfers_cancel_locked(booking=booking, now=now, actor=actor)
    if by_manager:
        audit_record(actor=actor, action="booking.removed", obj=booking, reason=reason)
    if freed_place:
        enqueue_promotion(event.pk)
    return booking


@busy_on_lock_timeout
@transaction.atomic
def offer_accept(*, booking: Booking, member, now=None) -> Booking:
    """Accept an open offer: the held place becomes confirmed (no place count changes).
    Refused once the offer has expired, even if the expiry job has not run yet. On a
    re-run, accepting a place offered from the original's waiting list ends that
    waiting entry (``rerun_source_end_locked``); declining or letting the offer lapse
    leaves it where it was."""
    now = now or timezone.now()
    lock_timeout_set()  # a member waits at most EVENT_LOCK_TIMEOUT, then "busy"
    event, booking = _lock_booking(booking.pk, with_original=True)
    if booking.member_id != member.pk:
        raise BookingError(_("This offer is not yours."), code="not_your_offer")
    if booking.status != Booking.Status.OFFERED:
        raise BookingError(_("This offer is no longer open."), code="offer_not_open")
    if booking.offer_expires_at <= now:
        raise BookingError(_("Sorry, this offer has expired."), code="offer_expired")
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at", "updated_at"])
    # A re-run place offered from the original's waiting list: taking it ends that
    # entry (before the email is rendered, so the email can say so).
    rerun_source_end_locked(booking=booking, now=now)
    notify_booking(booking, BOOKED)
    return booking


@busy_on_lock_timeout
@transaction.atomic
def offer_decline(*, booking: Booking, member, now=None) -> Booking:
    """Decline an open offer; the place is passed on to the next person at once, in this
    same transaction (the lock is already held)."""
    now = now or timezone.now()
    lock_timeout_set()  # a member waits at most EVENT_LOCK_TIMEOUT, then "busy"
    event, booking = _lock_booking(booking.pk)
    if booking.member_id != member.pk:
        raise BookingError(_("This offer is not yours."), code="not_your_offer")
    if booking.status != Booking.Status.OFFERED:
        raise BookingError(_("This offer is no longer open."), code="offer_not_open")
    booking.status = Booking.Status.DECLINED
    booking.ended_at = now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    promote_locked(event, now=now)
    return booking


def offers_expire(*, now=None) -> int:
    """End every offer whose deadline has passed and pass each place to the next person.
    One transaction per event, under its lock; an offer accepted meanwhile is left alone
    (re-checked under the lock). Emails once per offer. Returns the number expired."""
    now = now or timezone.now()
    event_ids = (
        Booking.objects.filter(status=Booking.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    expired = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = lock_event(event_id)
            due = event.bookings.filter(
                status=Booking.Status.OFFERED, offer_expires_at__lte=now
            ).select_related("member")
            for booking in due:
                booking.event = event
                booking.status = Booking.Status.EXPIRED
                booking.ended_at = now
                booking.save(update_fields=["status", "ended_at", "updated_at"])
                notify_booking(booking, OFFER_EXPIRED, suffix=str(booking.offer_number))
                expired += 1
            promote_locked(event, now=now)
    return expired


def promotions_sweep(*, now=None) -> int:
    """The safety net for lost promotion tasks (the broker was down when a cancellation
    committed, or a worker died past its retries): run the promotion for every
    published event that has not started, has a free place and has someone waiting.

    A query for due rows, not a memory of what was missed, so a late, repeated or
    overlapping run is harmless: each event is promoted by ``promote_waiting_list``
    (its own transaction under the event lock, re-counting places), so a second run, or
    one racing the ordinary task, finds no free place and promotes nobody twice; the
    emails are keyed. Returns the number of people promoted."""
    now = now or timezone.now()
    due = (
        Event.objects.published()
        .filter(starts_at__gt=now)
        .with_place_counts()
        .filter(waiting_count__gt=0, capacity__gt=F("confirmed_count") + F("offered_count"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(len(promote_waiting_list(event_id=event_id, now=now)) for event_id in list(due))


@transaction.atomic
def waiting_list_set_priority(*, booking: Booking, priority: int, actor, reason: str) -> Booking:
    """Change a waiting entry's priority. The reason is required; who, what and why go to
    the audit trail."""
    if not reason.strip():
        raise BookingError(
            _("Give a reason for changing this person's priority."), code="reason_required"
        )
    event, booking = _lock_booking(booking.pk)
    if booking.status != Booking.Status.WAITING:
        raise BookingError(
            _("Only people on the waiting list have a priority to change."), code="not_waiting"
        )
    before = booking.priority
    booking.priority = priority
    booking.save(update_fields=["priority", "updated_at"])
    audit_record(
        actor=actor,
        action="booking.priority_changed",
        obj=booking,
        reason=reason.strip(),
        data={"event": event.pk, "from": before, "to": priority},
    )
    enqueue_promotion(event.pk)
    return booking


@transaction.atomic
def waiting_list_move(*, booking: Booking, position: int, actor, reason: str) -> Booking:
    """Move a waiting entry to ``position`` (1 = first) without changing anyone else's
    relative order: it takes the priority of the person now at that position and a
    joined_at just before (moving up) or after (moving down) theirs (the engine's
    ``move_in_queue``). Reason required and audited."""
    if not reason.strip():
        raise BookingError(_("Give a reason for moving this person."), code="reason_required")
    event, booking = _lock_booking(booking.pk)
    if booking.status != Booking.Status.WAITING:
        raise BookingError(_("Only people on the waiting list can be moved."), code="not_waiting")
    current, position = waiting_list.move_in_queue(EVENT_PLACES, event, booking, position)
    audit_record(
        actor=actor,
        action="booking.moved",
        obj=booking,
        reason=reason.strip(),
        data={"event": event.pk, "from": current, "to": position},
    )
    return booking


@transaction.atomic
def attendance_mark(*, booking: Booking, attendance: str, actor, now=None) -> Booking:
    """Record attended / no-show for a confirmed booking (a constraint refuses others),
    only from the day of the event (``checkin.attendance_allowed_or_raise``); clearing a
    record is allowed at any time."""
    # checkin builds on this module (``_lock_booking``): imported here, not at the top.
    from .checkin import attendance_allowed_or_raise  # noqa: PLC0415

    event, booking = _lock_booking(booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(
            _("Attendance is recorded only for confirmed places."), code="attendance_not_confirmed"
        )
    if attendance:
        attendance_allowed_or_raise(event, now)
    booking.attendance = attendance
    clean_or_raise(booking, BookingError)
    booking.save(update_fields=["attendance", "updated_at"])
    audit_record(actor=actor, action=f"booking.attendance.{attendance or 'cleared'}", obj=booking)
    return booking


def reminders_send(*, now=None) -> int:
    """Send the 7-day and 1-day reminders that are due: confirmed bookings on published
    events starting within the window, whose reminder time had not already passed when
    they were confirmed, to members who want reminders. Each booking row is locked and
    re-checked, and its ``reminder_*_sent_at`` set in the same transaction as the outbox
    row, so reruns and overlapping runs send each reminder once."""
    from datetime import timedelta

    from django.db.models import Q

    now = now or timezone.now()
    sent = 0
    for email, days, field in (
        (REMINDER_7D, 7, "reminder_7d_sent_at"),
        (REMINDER_1D, 1, "reminder_1d_sent_at"),
    ):
        window = timedelta(days=days)
        due = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + window,
            confirmed_at__lte=F("event__starts_at") - window,
            **{f"{field}__isnull": True},
        ).filter(Q(member__profile__email_reminders=True) | Q(member__profile__isnull=True))
        for booking_id in list(due.values_list("pk", flat=True)):
            with transaction.atomic():
                booking = (
                    Booking.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("event", "member")
                    .filter(pk=booking_id, status=Booking.Status.CONFIRMED)
                    .filter(**{f"{field}__isnull": True})
                    .first()
                )
                if booking is None:
                    continue
                notify_booking(booking, email, days=days)
                setattr(booking, field, now)
                booking.save(update_fields=[field, "updated_at"])
                sent += 1
    return sent
