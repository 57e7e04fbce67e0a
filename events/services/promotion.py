"""Event places on the shared waiting-list engine (``talenthub.core.waiting_list``, whose
module docstring is the one statement of the recipe: lock the parent, count the places,
take the first in line, give the place, email once). This module is the events adapter
(``EventPlaces``: where an event's places and queue are), the event-shaped names the
booking and event services call, and every email events sends, each kind next to its
template (``EventEmail``).

From a cancellation to the email (docs/events.md, "From a cancellation to the email"):
``POST /events/bookings/<id>/cancel/`` → ``views.BookingCancelView`` →
``services.bookings.booking_cancel`` (frees the place, emails ``CANCELLED``) →
``enqueue_promotion`` (below; after commit) → ``tasks.promote_waiting_list_task`` →
``promote_waiting_list`` (below) → the engine's ``promote``: step 1 ``lock_parent``,
step 2 ``places_left``, step 3 ``next_in_line``, step 4 ``give_place`` →
``EventPlaces.confirm`` (emails ``PROMOTED``: ``emails/events_promoted.txt``) or
``EventPlaces.offer`` (emails ``OFFERED``: ``emails/events_offered.txt``).

Lock order: when two events are locked (a re-run and its original), lower id first.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors

from talenthub.core import waiting_list
from talenthub.core.notifications import notify

from ..exceptions import EventBusyError
from ..models import Booking, Event

# The concurrency tests' control run switches the lock off to prove that their harness
# can see a race: "event" (production), "none" (no lock at all), or "waiting_rows"
# (lock only the waiting entries with SKIP LOCKED, which the issue warns is not enough).
# Read by ``EventPlaces`` at call time. Never changed outside tests.
LOCK_MODE = "event"
# Test hook: called between counting places and writing, to widen the race window in the
# concurrency harness. None in production.
AFTER_COUNT_HOOK: Callable[[], None] | None = None


# --- The emails events sends ------------------------------------------------------------
# Each kind with its template, side by side: for a booking email the kind is the outbox
# key's ``booking.<kind>:<booking id>[:<suffix>]`` (``notify_booking``); the announcement's
# key is ``event.announced:<event>:<user>``. grep a template's file name
# (``events_promoted.txt``) to find the code that sends it.


@dataclass(frozen=True)
class EventEmail:
    kind: str  # the outbox key's kind: one email per kind (and suffix) per booking
    template: str  # the template's path under templates/; first line: the subject

    @property
    def template_name(self) -> str:
        """The name ``notify`` takes (``templates/emails/<name>.txt``)."""
        return self.template.removeprefix("emails/").removesuffix(".txt")


BOOKED = EventEmail("booked", "emails/events_booked.txt")
WAITING = EventEmail("waiting", "emails/events_waiting.txt")
CANCELLED = EventEmail("cancelled", "emails/events_cancelled.txt")
PROMOTED = EventEmail("promoted", "emails/events_promoted.txt")
OFFERED = EventEmail("offered", "emails/events_offered.txt")  # suffix: the offer number
OFFER_EXPIRED = EventEmail("offer-expired", "emails/events_offer_expired.txt")  # suffix: ditto
EVENT_CHANGED = EventEmail("event-changed", "emails/events_event_changed.txt")  # suffix: revision
EVENT_CANCELLED = EventEmail("event-cancelled", "emails/events_event_cancelled.txt")
REMINDER_7D = EventEmail("reminder-7d", "emails/events_reminder.txt")
REMINDER_1D = EventEmail("reminder-1d", "emails/events_reminder.txt")
ANNOUNCED = EventEmail("announced", "emails/events_announced.txt")  # to members, not a booking
# The organiser's own text to an audience of the event (``messages.event_message_send``);
# key ``event.message:<message id>:<user>``.
MESSAGE = EventEmail("message", "emails/events_message.txt")
# To a member who asked "tell me when booking opens" (key event.booking-opened:<alert>).
BOOKING_OPENED = EventEmail("booking-opened", "emails/events_booking_opened.txt")
# Place transfers to a colleague (``transfers``); key ``transfer.<kind>:<transfer id>:<status>``.
TRANSFER_OFFERED = EventEmail("transfer-offered", "emails/events_transfer_offered.txt")  # recipient
TRANSFER_HOLDER = EventEmail("transfer-holder", "emails/events_transfer_holder.txt")
TRANSFER_RECIPIENT = EventEmail("transfer-recipient", "emails/events_transfer_recipient.txt")
EVENT_EMAILS = (
    ANNOUNCED,
    BOOKING_OPENED,
    BOOKED,
    WAITING,
    CANCELLED,
    PROMOTED,
    OFFERED,
    OFFER_EXPIRED,
    EVENT_CHANGED,
    EVENT_CANCELLED,
    REMINDER_7D,
    REMINDER_1D,
    MESSAGE,
    TRANSFER_OFFERED,
    TRANSFER_HOLDER,
    TRANSFER_RECIPIENT,
)


class EventPlaces(waiting_list.Places):
    """An event's places: confirmed bookings plus open offers against ``capacity``; its
    queue: the waiting bookings."""

    parent_model = Event
    priority_field = "priority"
    joined_field = "joined_at"
    select_related = ("member",)

    def lock_mode(self) -> str:
        return LOCK_MODE

    def after_count(self) -> None:
        if AFTER_COUNT_HOOK is not None:
            AFTER_COUNT_HOOK()

    def capacity(self, event: Event) -> int:
        return event.capacity

    def places_taken(self, event: Event) -> int:
        # Confirmed places plus open offers (an offer holds its place until it ends).
        return event.bookings.holding_place().count()

    def waiting(self, event: Event):
        return event.bookings.waiting()

    def can_promote(self, event: Event, now) -> bool:
        return event.status == Event.Status.PUBLISHED and not event.has_started(now)

    def confirms_directly(self, event: Event) -> bool:
        return event.promotion_policy == Event.PromotionPolicy.AUTOMATIC

    def offer_hold(self, event: Event) -> timedelta:
        return timedelta(hours=event.offer_hours)

    def starts_at(self, event: Event):
        return event.starts_at

    def confirm(self, event: Event, booking: Booking, now) -> None:
        booking.event = event
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        notify_booking(booking, PROMOTED)

    def offer(self, event: Event, booking: Booking, deadline, now) -> None:
        booking.event = event
        booking.status = Booking.Status.OFFERED
        booking.offer_number += 1
        booking.offer_expires_at = deadline
        booking.save(update_fields=["status", "offer_number", "offer_expires_at", "updated_at"])
        notify_booking(booking, OFFERED, suffix=str(booking.offer_number))


EVENT_PLACES = EventPlaces()


def lock_event(event_id: int) -> Event:
    """The event row, locked for the rest of the transaction (see the module docstring).
    Must be called inside ``transaction.atomic``."""
    return waiting_list.lock_parent(EVENT_PLACES, event_id)


def lock_timeout_set() -> None:
    """Bound every lock wait for the rest of this transaction by ``EVENT_LOCK_TIMEOUT``
    (PostgreSQL's ``SET LOCAL lock_timeout``; SQLite has no row locks to wait on). Called
    by the member-facing booking services before they lock the event, so that in a storm
    a request waits at most that long and then gets "busy, try again"
    (``busy_on_lock_timeout``) instead of a hang. Must be called inside
    ``transaction.atomic``: ``SET LOCAL`` ends with the transaction."""
    if connection.vendor != "postgresql":
        return
    timeout = settings.TALENTHUB["EVENT_LOCK_TIMEOUT"]
    with connection.cursor() as cursor:
        # SET takes no bind parameters; the value is a setting, rendered as an integer.
        cursor.execute(f"SET LOCAL lock_timeout = {int(timeout * 1000)}")


def _is_lock_timeout(exc: OperationalError) -> bool:
    return isinstance(exc.__cause__, pg_errors.LockNotAvailable)


def busy_on_lock_timeout(service):
    """Turn a lock wait that ran past ``EVENT_LOCK_TIMEOUT`` into ``EventBusyError`` (a
    ``BookingError`` every view already shows as a message). Wraps the service *outside*
    its ``transaction.atomic``: the failed transaction (or savepoint) has been rolled
    back by then, so nothing was changed and trying again is safe."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except OperationalError as exc:
            if _is_lock_timeout(exc):
                raise EventBusyError(
                    _("This event is busy, please try again in a moment.")
                ) from exc
            raise

    return wrapper


def places_taken(event: Event) -> int:
    """Confirmed places plus open offers (an offer holds its place until it ends)."""
    return EVENT_PLACES.places_taken(event)


def places_left(event: Event, *, taken: int | None = None) -> int:
    """Places free now (the caller holds the event lock). ``taken``: the places held, if
    the caller has already counted them in a query of its own."""
    return waiting_list.places_left(EVENT_PLACES, event, taken=taken)


def next_in_line(event: Event, limit: int) -> list[Booking]:
    """The first ``limit`` waiting entries in queue order."""
    return waiting_list.next_in_line(EVENT_PLACES, event, limit)


def notify_booking(
    booking: Booking,
    email: EventEmail,
    *,
    suffix: str = "",
    new_key: bool = False,
    **context,
) -> None:
    """Queue ``email`` about ``booking`` once: the outbox key is
    ``booking.<email.kind>:<booking id>[:<suffix>]`` (``new_key``: see ``email_queue``)."""
    notify(
        new_key=new_key,
        key=waiting_list.outbox_key("booking", email.kind, booking.pk, suffix),
        user=booking.member,
        template=email.template_name,
        context={"booking": booking, "event": booking.event, **context},
    )


def place_offer_or_confirm(*, event: Event, booking: Booking, now=None) -> Booking:
    """Give ``booking`` (waiting) a place under the event's promotion policy: confirmed
    at once (automatic) or an offer held for ``event.offer_hours`` but never past the
    start (offer). The caller holds the event lock and has checked there is a place."""
    return waiting_list.give_place(EVENT_PLACES, event, booking, now=now)


def promote_locked(event: Event, *, now=None) -> list[Booking]:
    """Fill the event's free places from the front of its waiting list. The caller
    holds the event lock (``lock_event``). Does nothing for an event that is not
    published or has started. Returns the bookings promoted, first in line first."""
    return waiting_list.promote_locked(EVENT_PLACES, event, now=now)


def promote_waiting_list(*, event_id: int, now=None) -> list[Booking]:
    """Promote the first people waiting into the places free now, in one transaction
    under the event lock. Guarantees: never more confirmed + offered than capacity,
    strictly in queue order, each person emailed once. Safe to run any number of times,
    concurrently or late: a run with no free place or nobody waiting does nothing."""
    return waiting_list.promote(EVENT_PLACES, event_id, now=now)


def enqueue_promotion(event_id: int) -> None:
    """Run the promotion task after the current transaction commits."""
    from ..tasks import promote_waiting_list_task

    waiting_list.enqueue_promotion(promote_waiting_list_task, event_id)
