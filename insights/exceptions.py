from talenthub.core.exceptions import DomainError


class InsightsError(DomainError):
    """A rule of equality monitoring or insights was broken; ``message`` is for the user,
    ``code`` names the rule."""

    code = "insights"
