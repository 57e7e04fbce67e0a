"""Middleware for staff accounts: they can read applications, assessments and
monitoring aggregates, so their sessions are held to more than a member's."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

STAFF_LAST_SEEN_SESSION_KEY = "staff_last_seen"
STAFF_MFA_NEXT_SESSION_KEY = "staff_mfa_next"


def is_staff_account(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def session_used_mfa(request) -> bool:
    """True if this session's sign-in included a second factor (allauth records each
    step of a sign-in in the session; a code, a passkey or a recovery code is "mfa")."""
    return any(
        isinstance(r, dict) and r.get("method") == "mfa"
        for r in get_authentication_records(request, request.user)
    )


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class StaffMfaRequiredMiddleware:
    """No admin page for a staff or superuser account without a second factor.

    Without an authenticator the person is sent to a page that explains why and sets one
    up; with one, but signed in to this session without it (a session from before it was
    set up), they are asked for a code (allauth's MFA re-authentication). Signing out of
    the admin stays open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        if (
            request.path_info.startswith(admin_root)
            and request.path_info != reverse("admin:logout")
            and is_staff_account(request.user)
            and not session_used_mfa(request)
        ):
            next_url = request.get_full_path()
            if not is_mfa_enabled(request.user):
                return HttpResponseRedirect(_with_next(reverse("staff_mfa_required"), next_url))
            return HttpResponseRedirect(_with_next(reverse("mfa_reauthenticate"), next_url))
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request; the next
    request signs them out and sends them to sign in again. Members' sessions are left to
    the normal expiry. The last-seen time is written at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_account(request.user):
            idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
            now = int(time.time())
            last_seen = request.session.get(STAFF_LAST_SEEN_SESSION_KEY)
            if isinstance(last_seen, int) and now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request,
                    "You were signed out because staff accounts are signed out after "
                    f"{settings.STAFF_SESSION_IDLE_MINUTES} minutes without activity. "
                    "Sign in again to continue.",
                )
                return HttpResponseRedirect(
                    _with_next(reverse(settings.LOGIN_URL), request.get_full_path())
                )
            if not isinstance(last_seen, int) or now - last_seen >= 60:
                request.session[STAFF_LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)
