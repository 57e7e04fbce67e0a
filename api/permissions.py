"""Who may call what. Scoping of the rows themselves is the apps' selectors' job; these
only decide whether the request may be made at all."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from alumni.selectors import pools_managed_by
from talenthub.core.permissions import is_programme_manager

from .models import ApiToken


def _token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class ReadScope(permissions.BasePermission):
    """The default: anyone may read; writes need a token of the bookings scope (views
    that write say so with ``BookingsScope`` too)."""

    message = _("This request needs a personal access token with the bookings scope.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        token = _token(request)
        return token is not None and token.may_book


class TokenRequired(permissions.BasePermission):
    """A personal access token (any scope)."""

    message = _("Send a personal access token.")

    def has_permission(self, request, view):
        return _token(request) is not None


class BookingsScope(permissions.BasePermission):
    """Reads with any token; writes only with a token of the bookings scope."""

    message = _("This token may only read: make a token with the bookings scope to book.")

    def has_permission(self, request, view):
        token = _token(request)
        if token is None:
            return False
        return request.method in permissions.SAFE_METHODS or token.may_book


class ProgrammeManager(permissions.BasePermission):
    message = _("Only programme managers may read this.")

    def has_permission(self, request, view):
        return _token(request) is not None and is_programme_manager(request.user)


class TalentBoardManager(permissions.BasePermission):
    """Managers of a talent pool (the Regional Talent Board)."""

    message = _("Only talent pool managers may read this.")

    def has_permission(self, request, view):
        return _token(request) is not None and pools_managed_by(request.user).exists()
