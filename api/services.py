"""Writes of the API app: making, revoking and touching personal access tokens."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from .exceptions import ApiError
from .models import ApiToken, token_digest, token_new

MAX_ACTIVE_TOKENS = 10
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str, expires_in_days: int | None, now=None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it with its value, which is shown once and
    never stored (only its digest is). At most ``MAX_ACTIVE_TOKENS`` usable tokens a
    person (checked under a lock on the user's row, so two requests at once cannot both
    make the eleventh). Audited."""
    now = now or timezone.now()
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.usable(now).filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ApiError(
            _("You already have %(n)d tokens. Revoke one you no longer use first.")
            % {"n": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    if expires_in_days is not None and expires_in_days < 1:
        raise ApiError(_("A token must last at least a day."), code="expiry_too_short")
    raw = token_new()
    token = ApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        digest=token_digest(raw),
        hint=raw[:8],
        expires_at=now + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    clean_or_raise(token, ApiError)
    token.save()
    audit_record(actor=user, action="api_token.created", obj=token, data={"scope": scope})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user, now=None) -> ApiToken:
    """Revoke one of ``user``'s tokens: from now on it authenticates nothing. Revoking a
    revoked token is refused (``token_revoked``); another person's token is never found
    (the caller looks it up in ``api_tokens_of``)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is not None:
        raise ApiError(_("This token has already been revoked."), code="token_revoked")
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=user, action="api_token.revoked", obj=token)
    return token


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record that ``token`` was used. At most one write a minute per token: a busy
    client would otherwise write on every request."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
