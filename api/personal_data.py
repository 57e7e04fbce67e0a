"""The API section of a member's personal data (``talenthub.core.personal_data``):
their access tokens, described (never their values, which nobody keeps). Erasure deletes
them: an erased account's tokens must authenticate nothing, even before the core eraser
deactivates the account."""

from talenthub.core import personal_data


def export_api(user) -> dict:
    from .models import ApiToken

    return {
        "access_tokens": [
            {
                "name": t.name,
                "starts_with": t.hint,
                "scope": t.scope,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
        ]
    }


def erase_api(user) -> None:
    from .models import ApiToken

    ApiToken.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("api", exporter=export_api, eraser=erase_api)
