"""The API app's one error: ``ApiError`` (personal access tokens)."""

from talenthub.core.exceptions import DomainError


class ApiError(DomainError):
    """A token rule stopped the request; ``code`` names the rule (``too_many_tokens``,
    ``token_revoked``, …)."""

    code = "api"
