"""Who may open which insights page.

Equality reports (journey by group, representation) need the explicit permission
``insights.view_equality_insights`` (the "Insights analysts" group has it), and show
aggregates only. Programme outcomes and event demand are also open to programme
managers, scoped to their own provider's cohorts and events; compact health to each
compact's secretariat and steering group, scoped to their compacts.
"""

from django.contrib.auth.mixins import AccessMixin

from talenthub.core.permissions import is_programme_manager

EQUALITY_PERMISSION = "insights.view_equality_insights"


def can_view_equality(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_perm(EQUALITY_PERMISSION)


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
