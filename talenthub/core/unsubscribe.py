"""One-click unsubscribe from bulk email (RFC 8058), without signing in.

Every bulk email (event and programme announcements, e-bulletins, alumni career
updates) carries a signed token naming the recipient and the *kind* of email, in the
``List-Unsubscribe`` header and as a link in its body. The token is the authorisation:
whoever holds it may turn off that kind of email for that person, and nothing else. It
does not expire (an old email must still let its reader stop the next one); a changed
``SECRET_KEY`` voids it.

Each app registers, once (in its ``AppConfig.ready()``), the kinds it sends and how to
turn one off (a preference field, a subscription row)::

    from talenthub.core import unsubscribe

    unsubscribe.register(
        "events", label=..., turn_off=turn_off_event_announcements, manage_url=...
    )

``scope`` narrows a kind to one thing, e.g. the compact whose e-bulletin it is.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .services import audit_record

SALT = "talenthub.unsubscribe"
# Longer input is refused before it is decoded: a real token is under 100 characters.
MAX_TOKEN_LENGTH = 300

TurnOff = Callable[..., None]
Label = Callable[[int | None], str]


@dataclass(frozen=True)
class Kind:
    name: str
    label: Label  # label(scope) -> "emails about new events"
    turn_off: TurnOff  # turn_off(user=..., scope=...)
    # manage_url(scope) -> the page (behind sign-in) where this kind is turned back on
    manage_url: Callable[[int | None], str] = lambda scope: reverse("profile")


_kinds: dict[str, Kind] = {}


class InvalidToken(Exception):
    """The token is malformed, tampered with, or names nobody we can unsubscribe."""


def register(name: str, *, label: Label, turn_off: TurnOff, manage_url=None) -> None:
    extra = {"manage_url": manage_url} if manage_url else {}
    _kinds[name] = Kind(name=name, label=label, turn_off=turn_off, **extra)


def make_token(*, user_id: int, kind: str, scope: int | None = None) -> str:
    if kind not in _kinds:
        raise ValueError(f"Unknown unsubscribe kind {kind!r}")
    return signing.dumps([user_id, kind, scope], salt=SALT)


def unsubscribe_url(*, user_id: int, kind: str, scope: int | None = None) -> str:
    token = make_token(user_id=user_id, kind=kind, scope=scope)
    return settings.SITE_URL + reverse("unsubscribe", kwargs={"token": token})


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers for a bulk email whose one-click link is ``url``."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def bulk_email_extras(*, user_id: int, kind: str, scope: int | None = None):
    """``(url, headers)`` for one recipient: the link for the body and the headers."""
    url = unsubscribe_url(user_id=user_id, kind=kind, scope=scope)
    return url, unsubscribe_headers(url)


@dataclass(frozen=True)
class Request:
    """A verified token: who, which kind, and (for scoped kinds) of what."""

    user: object
    kind: Kind
    scope: int | None

    @property
    def label(self) -> str:
        return self.kind.label(self.scope)

    @property
    def manage_url(self) -> str:
        return self.kind.manage_url(self.scope)


def token_read(token: str) -> Request:
    """Check ``token`` and return what it asks for. Raises ``InvalidToken`` for anything
    else: wrong signature, wrong shape, an unknown kind, or an account that is gone."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError, TypeError) as exc:
        raise InvalidToken from exc
    if not (isinstance(payload, list) and len(payload) == 3):
        raise InvalidToken
    user_id, kind_name, scope = payload
    if not isinstance(user_id, int) or kind_name not in _kinds:
        raise InvalidToken
    if scope is not None and not isinstance(scope, int):
        raise InvalidToken
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidToken
    return Request(user=user, kind=_kinds[kind_name], scope=scope)


@transaction.atomic
def email_unsubscribe(*, request: Request) -> None:
    """Turn off the kind of email ``request`` names for its user, record the withdrawn
    consent and audit it. Idempotent: unsubscribing twice leaves the preference off."""
    from .models import ConsentRecord

    request.kind.turn_off(user=request.user, scope=request.scope)
    # Consent withdrawn, in the person's consent history (what and when).
    ConsentRecord.objects.create(
        user=request.user,
        purpose=f"unsubscribe:{request.kind.name}"[:60],
        given=False,
        wording=f"Stop {request.label}"[:300],
        source="unsubscribe link",
    )
    audit_record(
        actor=request.user,
        action="email.unsubscribed",
        obj=request.user,
        data={"kind": request.kind.name, "scope": request.scope},
    )


def _turn_off_event_announcements(*, user, scope=None) -> None:
    from .services import profile_get_or_create

    profile = profile_get_or_create(user=user)
    profile.email_event_announcements = False
    profile.save(update_fields=["email_event_announcements", "updated_at"])


register(
    "events",
    label=lambda scope: str(_("emails about new events")),
    turn_off=_turn_off_event_announcements,
)


def _turn_off_programme_announcements(*, user, scope=None) -> None:
    from .services import profile_get_or_create

    profile = profile_get_or_create(user=user)
    profile.email_programme_announcements = False
    profile.save(update_fields=["email_programme_announcements", "updated_at"])


register(
    "programmes",
    label=lambda scope: str(_("emails about programmes opening for applications")),
    turn_off=_turn_off_programme_announcements,
)
