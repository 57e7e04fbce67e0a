"""Check-in at the door: an organiser marks a confirmed place attended from the door
list, or the member checks themselves in with the event's code. Both only from the day
of the event (in the site's time zone), never before: attendance recorded for an event
still to come is a mistake the certificates and no-show figures would carry.

No-shows are derived, not stored: a confirmed place on an event that has ended and was
not checked in (``Booking.attendance_derived``)."""

import secrets

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from talenthub.core.services import audit_record

from ..exceptions import BookingError
from ..models import Booking, Event, _new_checkin_code
from .bookings import _lock_booking
from .promotion import lock_event


def checkin_opens_on(event: Event):
    """The first day attendance may be recorded: the event's day (local time)."""
    return timezone.localdate(event.starts_at)


def checkin_is_open(event: Event, now=None) -> bool:
    return timezone.localdate(now or timezone.now()) >= checkin_opens_on(event)


def self_checkin_is_open(event: Event, now=None) -> bool:
    """Self check-in: on the day(s) of the event only, from the start of its first day
    to the end of its last."""
    today = timezone.localdate(now or timezone.now())
    return event.status == Event.Status.PUBLISHED and checkin_opens_on(
        event
    ) <= today <= timezone.localdate(event.ends_at)


def attendance_allowed_or_raise(event: Event, now=None) -> None:
    """``BookingError`` (code ``checkin_not_open``) before the day of the event."""
    if event.status == Event.Status.CANCELLED:
        raise BookingError(
            _("This event was cancelled: nobody can be checked in."), code="event_cancelled"
        )
    if not checkin_is_open(event, now):
        raise BookingError(
            _("Attendance can be recorded from the day of the event, %(day)s.")
            % {"day": formats.date_format(checkin_opens_on(event), "j F Y")},
            code="checkin_not_open",
        )


@transaction.atomic
def booking_check_in(*, booking: Booking, actor, now=None) -> Booking:
    """Mark a confirmed place attended (the door list's button). Refused before the day
    of the event and for anything but a confirmed place. Checking in someone already
    checked in changes nothing (a double tap at the door), and is not audited twice."""
    event, booking = _lock_booking(booking.pk)
    attendance_allowed_or_raise(event, now)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(
            _("Only people with a place can be checked in."), code="attendance_not_confirmed"
        )
    if booking.attendance == Booking.Attendance.ATTENDED:
        return booking
    booking.attendance = Booking.Attendance.ATTENDED
    booking.save(update_fields=["attendance", "updated_at"])
    audit_record(actor=actor, action="booking.checked_in", obj=booking)
    return booking


def _normalised(code: str) -> str:
    return "".join((code or "").split()).upper()


@transaction.atomic
def booking_self_check_in(*, event: Event, member, code: str, now=None) -> Booking:
    """The member checks themselves in with the code the organiser shows at the door.
    Only on the day of the event, only for a member holding a confirmed place, and only
    with the event's code (compared in constant time). Idempotent."""
    booking = (
        Booking.objects.filter(event=event, member=member, status=Booking.Status.CONFIRMED)
        .only("pk")
        .first()
    )
    if booking is None:
        raise BookingError(
            _("You need a place on this event to check in."), code="checkin_no_place"
        )
    event, booking = _lock_booking(booking.pk)
    if booking.status != Booking.Status.CONFIRMED:  # cancelled while we waited for the lock
        raise BookingError(
            _("You need a place on this event to check in."), code="checkin_no_place"
        )
    if not self_checkin_is_open(event, now):
        raise BookingError(
            _("You can check in on the day of the event, %(day)s.")
            % {"day": formats.date_format(checkin_opens_on(event), "j F Y")},
            code="checkin_not_open",
        )
    if not secrets.compare_digest(_normalised(code), _normalised(event.checkin_code)):
        raise BookingError(
            _("Enter the check-in code shown at the event"),
            code="checkin_wrong_code",
            field_errors={"code": [_("Enter the check-in code shown at the event")]},
            non_field_errors=[],
        )
    if booking.attendance == Booking.Attendance.ATTENDED:
        return booking
    booking.attendance = Booking.Attendance.ATTENDED
    booking.save(update_fields=["attendance", "updated_at"])
    audit_record(actor=member, action="booking.self_checked_in", obj=booking)
    return booking


@transaction.atomic
def event_checkin_code_reset(*, event: Event, actor) -> Event:
    """Give the event a new self check-in code (a code photographed and shared outside
    the room): the old one stops working at once, because a self check-in compares the
    code it read under the same event lock. Never the same code twice in a row. Refused
    for a cancelled event (``event_cancelled``). Audited (the code itself is not
    recorded). The caller has checked the actor manages the event."""
    event = lock_event(event.pk)
    if event.status == Event.Status.CANCELLED:
        raise BookingError(
            _("This event was cancelled: nobody can check in."), code="event_cancelled"
        )
    old = event.checkin_code
    new = _new_checkin_code()
    while new == old:  # one chance in 887 million; the old code must stop working
        new = _new_checkin_code()
    event.checkin_code = new
    event.save(update_fields=["checkin_code", "updated_at"])
    audit_record(actor=actor, action="event.checkin_code_reset", obj=event)
    return event
