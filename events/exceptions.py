"""The events app's one error: ``BookingError`` (and its "busy, try again" kind)."""

from talenthub.core.exceptions import DomainError


class BookingError(DomainError):
    """A booking or event rule stopped the request; the message is for the user, the
    ``code`` (``booking_closed``, ``already_booked``, …) names the rule."""

    code = "booking"


class EventBusyError(BookingError):
    """The event's lock was not free within ``EVENT_LOCK_TIMEOUT`` (a booking storm, or a
    long manager operation on the event). Nothing was changed; trying again is safe."""

    code = "busy"
