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

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q

from talenthub.core.permissions import is_programme_manager

EQUALITY_PERMISSION = "insights.view_equality_insights"


def _remembered(user, key: str, work_out):
    """``work_out()``, kept on the user object for the rest of the request (as Django keeps
    its permission cache): the header asks who may see insights on every page, and a
    report page asks again in its view, its report and its navigation."""
    cache = getattr(user, "_insights_access_cache", None)
    if cache is None:
        cache = {}
        user._insights_access_cache = cache
    if key not in cache:
        cache[key] = work_out()
    return cache[key]


def _grants(user) -> dict:
    """In one query: whether ``user`` holds the equality permission in their own
    permissions or a group's (read from the tables, never through ``has_perm``, so
    being a superuser grants nothing), and whether they edit a compact."""

    def work_out():
        from compact.selectors import compacts_edited_by

        app_label, codename = EQUALITY_PERMISSION.split(".", 1)
        granted = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).filter(Q(user=user) | Q(group__user=user))
        return (
            get_user_model()
            ._default_manager.filter(pk=user.pk)
            .values(equality=Exists(granted), compact_editor=Exists(compacts_edited_by(user)))
            .get()
        )

    return _remembered(user, "grants", work_out)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_view_equality(user) -> bool:
    return _signed_in(user) and _grants(user)["equality"]


def _programme_manager(user) -> bool:
    return _signed_in(user) and _remembered(
        user, "programme_manager", lambda: is_programme_manager(user)
    )


def can_view_programme_insights(user) -> bool:
    return can_view_equality(user) or _programme_manager(user)


def can_view_compact_insights(user) -> bool:
    return _signed_in(user) and (can_view_equality(user) or _grants(user)["compact_editor"])


def can_view_insights(user) -> bool:
    # The programme manager check first: it costs no query for a member who is not
    # staff, and saves a manager the grants query (the header asks this on every page).
    return _programme_manager(user) or can_view_equality(user) or can_view_compact_insights(user)


# The header's "Insights" link is on every page; working out ``can_view_insights`` there
# would add queries to every page of the site. The answer is kept in the session instead:
# worked out when the person signs in (``remember_on_sign_in``) and again on every
# insights page they open, so a link shown after access was taken away leads to a 403
# once and then goes. The pages themselves always check afresh.
SESSION_KEY = "insights_may_view"


def remember_insights_access(request) -> bool:
    """Whether ``request.user`` may open any insights page, kept in the session."""
    may_view = can_view_insights(request.user)
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) != may_view:
        session[SESSION_KEY] = may_view
    return may_view


def may_view_insights_cached(request) -> bool:
    """``can_view_insights`` as last worked out for this session (worked out now if the
    session has no answer yet, as for a session older than this rule)."""
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return False
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return remember_insights_access(request)
    return session[SESSION_KEY]


def remember_on_sign_in(sender, request, user, **kwargs):
    """Receiver of ``user_logged_in`` (``request`` may be None outside a request)."""
    if request is not None and getattr(request, "session", None) is not None:
        request.session[SESSION_KEY] = can_view_insights(user)


class InsightsAccessMixin(AccessMixin):
    """Anonymous users sign in; signed-in users without ``allowed(user)`` get 403."""

    allowed = staticmethod(can_view_insights)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        remember_insights_access(request)
        if not self.allowed(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
