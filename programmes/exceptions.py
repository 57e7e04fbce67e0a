from talenthub.core.exceptions import DomainError


class ProgrammeError(DomainError):
    """A rule of the programme catalogue was broken; the message is shown to the user,
    the ``code`` names the rule."""

    code = "programme"
