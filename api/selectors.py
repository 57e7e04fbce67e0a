"""Reads of the API app: a member's own tokens, and the token a request presents."""

from django.db.models import QuerySet

from .models import ApiToken, token_digest


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, as history)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_for_request(raw: str, now=None) -> ApiToken | None:
    """The usable token whose value is ``raw``, with its user; None for any other value
    (unknown, revoked and expired tokens look alike)."""
    if not raw:
        return None
    return (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=token_digest(raw), user__is_active=True)
        .first()
    )
