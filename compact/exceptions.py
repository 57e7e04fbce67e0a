"""The compact app's one domain error."""

from talenthub.core.exceptions import DomainError


class CompactError(DomainError):
    """A compact rule was broken: ``message`` is safe to show to the user, ``code`` names
    the rule for code and tests (``"meeting_not_scheduled"``, ``"aim_not_in_terms"`` …).
    Services raise it, wrapping ``full_clean()`` failures with ``clean_or_raise``."""
