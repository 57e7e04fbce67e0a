"""Receivers for sign-in and account-security events from Django's auth and allauth:
each appends a row to the sign-in audit (``SignInEvent``). Connected once in
``CoreConfig.ready()``, each with a ``dispatch_uid``.

A staff member who has just set up an authenticator app has, on that request, typed a
valid code from it: the session is marked as MFA-authenticated the way allauth marks a
sign-in with a code, so they reach the admin without signing in again.
"""

import time

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.dispatch import Signal

from .middleware import STAFF_LAST_SEEN_SESSION_KEY, is_staff_account
from .models import SignInEvent, User
from .services import sign_in_event_record

Kind = SignInEvent.Kind

# Sent (in the writer's transaction) when a person's current role, level or organisation
# may have changed on their profile, the one record of them. Arguments: ``profile`` (the
# saved ``Profile``). Apps that show a copy (the alumni profile) update it.
current_role_changed = Signal()


def _signed_in(sender, request, user, **kwargs):
    from allauth.account.authentication import get_authentication_records  # noqa: PLC0415

    methods = []
    if request is not None and hasattr(request, "session"):
        methods = sorted(
            {
                r.get("type") or r.get("method")
                for r in get_authentication_records(request, user)
                if isinstance(r, dict)
            }
            - {None}
        )
    sign_in_event_record(kind=Kind.SIGNED_IN, request=request, user=user, data={"methods": methods})


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django masks the password in ``credentials``; the address is what was typed. It is
    # looked up, never created: an unknown address leaves ``user`` empty.
    typed = credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""
    typed = str(typed).strip().lower()[: SignInEvent.EMAIL_MAX_LENGTH]
    user = User.objects.filter(email__iexact=typed).first() if typed else None
    sign_in_event_record(kind=Kind.SIGN_IN_FAILED, request=request, user=user, email=typed)


def _mfa_event(kind):
    def receiver(sender, request, user, authenticator, **kwargs):
        sign_in_event_record(
            kind=kind, request=request, user=user, data={"authenticator": authenticator.type}
        )

    return receiver


def _authenticator_added(sender, request, user, authenticator, **kwargs):
    sign_in_event_record(
        kind=Kind.MFA_ADDED, request=request, user=user, data={"authenticator": authenticator.type}
    )
    if (
        request is not None
        and authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        and getattr(request, "user", None) is not None
        and request.user.pk == user.pk
    ):
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
        )


def _authenticator_used(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        sign_in_event_record(
            kind=Kind.RECOVERY_CODE_USED,
            request=request,
            user=user,
            data={"reauthenticated": bool(kwargs.get("reauthenticated"))},
        )


def _password_event(kind):
    def receiver(sender, request, user, **kwargs):
        sign_in_event_record(kind=kind, request=request, user=user)

    return receiver


def _staff_last_seen(sender, request, user, **kwargs):
    # The idle clock of a staff session starts at sign-in (middleware.py).
    if request is not None and hasattr(request, "session") and is_staff_account(user):
        request.session[STAFF_LAST_SEEN_SESSION_KEY] = int(time.time())


def connect():
    auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="core.audit.signed_in")
    auth_signals.user_logged_in.connect(
        _staff_last_seen, dispatch_uid="core.staff_session.last_seen"
    )
    auth_signals.user_login_failed.connect(
        _sign_in_failed, dispatch_uid="core.audit.sign_in_failed"
    )
    mfa_signals.authenticator_added.connect(
        _authenticator_added, dispatch_uid="core.audit.mfa_added"
    )
    mfa_signals.authenticator_removed.connect(
        _mfa_event(Kind.MFA_REMOVED), dispatch_uid="core.audit.mfa_removed", weak=False
    )
    mfa_signals.authenticator_reset.connect(
        _mfa_event(Kind.RECOVERY_CODES_RESET), dispatch_uid="core.audit.mfa_reset", weak=False
    )
    mfa_signals.authenticator_used.connect(_authenticator_used, dispatch_uid="core.audit.mfa_used")
    mfa_signals.authentication_failed.connect(
        _mfa_event(Kind.MFA_FAILED), dispatch_uid="core.audit.mfa_failed", weak=False
    )
    for signal, kind in (
        (account_signals.password_changed, Kind.PASSWORD_CHANGED),
        (account_signals.password_set, Kind.PASSWORD_SET),
        (account_signals.password_reset, Kind.PASSWORD_RESET),
    ):
        signal.connect(_password_event(kind), dispatch_uid=f"core.audit.{kind}", weak=False)
