class BookingError(Exception):
    """A booking or event rule stopped the request; the message is for the user."""

    code = "booking"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
