class CohortError(Exception):
    """A rule of cohorts, applications or places was broken. The message is for the user:
    views show it as a form error or a flash message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)
