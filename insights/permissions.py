"""Who may open which insights page.

Equality reports (journey by group, representation) need the explicit permission
``insights.view_equality_insights`` (the "Insights analysts" group has it), and show
aggregates only. It must be granted to the person, directly or through a group, even
to a superuser: the reports are built from special-category data, and Django's
``has_perm`` is always true for a superuser. Programme outcomes and event demand are
also open to programme managers, scoped to their own provider's cohorts and events;
compact health to each compact's secretariat and steering group, scoped to their
compacts.
"""

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import Permission
from django.db.models import Q

from talenthub.core.permissions import is_programme_manager

EQUALITY_PERMISSION = "insights.view_equality_insights"


def has_explicit_permission(user, perm: str) -> bool:
    """Whether ``user`` (active) was granted ``perm`` ("app_label.codename") in their own
    permissions or one of their groups. Read from the permission tables, never through
    ``has_perm``, so being a superuser grants nothing here. Kept on the user object for
    the rest of the request, as Django keeps its permission cache."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache = getattr(user, "_explicit_permission_cache", None)
    if cache is None:
        cache = {}
        user._explicit_permission_cache = cache
    if perm not in cache:
        app_label, codename = perm.split(".", 1)
        cache[perm] = (
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
    return cache[perm]


def can_view_equality(user) -> bool:
    return has_explicit_permission(user, EQUALITY_PERMISSION)


def can_view_programme_insights(user) -> bool:
    return can_view_equality(user) or is_programme_manager(user)


def can_view_compact_insights(user) -> bool:
    if can_view_equality(user):
        return True
    from compact.selectors import compacts_edited_by

    return getattr(user, "is_authenticated", False) and compacts_edited_by(user).exists()


def can_view_insights(user) -> bool:
    return can_view_programme_insights(user) or can_view_compact_insights(user)


class InsightsAccessMixin(AccessMixin):
    """Anonymous users sign in; signed-in users without ``allowed(user)`` get 403."""

    allowed = staticmethod(can_view_insights)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
