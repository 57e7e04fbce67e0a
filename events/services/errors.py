class BookingError(Exception):
    """A booking or event rule stopped the request; the message is for the user."""

    code = "booking"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EventBusyError(BookingError):
    """The event's lock was not free within ``EVENT_LOCK_TIMEOUT`` (a booking storm, or a
    long manager operation on the event). Nothing was changed; trying again is safe."""

    code = "busy"
