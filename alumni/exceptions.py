from talenthub.core.exceptions import DomainError


class AlumniError(DomainError):
    """A rule of the alumni network was broken; the message is for the person acting,
    the ``code`` names the rule."""

    code = "alumni"
