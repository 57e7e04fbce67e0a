"""Admin scaffolding shared by every app: who may use a page, read-only records.

Rows are scoped by each admin's ``get_queryset``; these mixins only answer "may this
person use this page at all" and "may anything here be written".
"""

from __future__ import annotations

from .permissions import is_programme_manager


def _is_manager(request) -> bool:
    # Asked many times per admin page: remember the answer for the request.
    if not hasattr(request, "_talenthub_is_manager"):
        request._talenthub_is_manager = is_programme_manager(request.user)
    return request._talenthub_is_manager


class ManagerAdminMixin:
    """Programme managers may view, add and change these records without per-model
    grants (their rows are scoped by ``get_queryset``); anyone with Django's model
    permissions keeps them. Deleting is left to superusers: domain history is kept."""

    def has_module_permission(self, request):
        return _is_manager(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_manager(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return _is_manager(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return _is_manager(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnlyAdminMixin:
    """Records shown as they were made (what people said, what happened): never added,
    changed or deleted through the admin. Put before ``ManagerAdminMixin``."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
