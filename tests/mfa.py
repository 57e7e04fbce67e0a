"""Second factors for tests: a real TOTP authenticator (allauth's own model and
encryption), the code it shows now, and a session marked the way allauth marks a sign-in
that used it."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt


def totp_enrol(user, *, secret: str | None = None, recovery_codes: bool = True) -> str:
    """Give ``user`` a TOTP authenticator (and recovery codes); return its secret. If they
    already have one, its secret is returned."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    if recovery_codes:
        RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows at ``at`` (now by default). For "now", a code
    about to roll over is not given: the helper waits for the next period, so the request
    that sends it is checked in the period the code was made for (allauth allows no
    drift; a code made 0.1 s before the boundary failed a CI run)."""
    if at is None:
        left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
        if left < 5:
            time.sleep(left + 0.05)
    counter = int(at if at is not None else time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def mark_session_mfa(client, user) -> None:
    """Record in ``client``'s session that ``user`` signed in with a password and then a
    code from their TOTP authenticator: the records allauth writes on such a sign-in."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    now = time.time()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
