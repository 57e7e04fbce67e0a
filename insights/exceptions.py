class InsightsError(Exception):
    """A rule of equality monitoring or insights was broken; ``message`` is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
