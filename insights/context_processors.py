"""``insights_pages`` in every template: the insights pages the signed-in user may open,
decided by the same checks as the views (``insights.permissions``). The header shows its
"Insights" link when ``insights_pages`` is true, which reads the answer kept in the
session (no query on every page, see ``permissions.SESSION_KEY``); the insights
navigation and the profile page list its links, worked out afresh."""

from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import (
    can_view_compact_insights,
    can_view_equality,
    can_view_insights,
    can_view_programme_insights,
    may_view_insights_cached,
)

# (URL name, label, who may open it): the order of the index page.
PAGES = [
    ("insights:index", _("All insights"), can_view_insights),
    ("insights:journey", _("Journey by group"), can_view_equality),
    ("insights:representation", _("Representation by career level"), can_view_equality),
    ("insights:programmes", _("Programme outcomes"), can_view_programme_insights),
    ("insights:events", _("Event demand"), can_view_programme_insights),
    ("insights:compacts", _("Compact health"), can_view_compact_insights),
]


class InsightsPages:
    """Links to the pages ``request.user`` may open: each ``{"label", "href",
    "active"}``. Worked out on first use, so a template that never asks costs nothing."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def links(self) -> list[dict]:
        user = getattr(self.request, "user", None)
        if user is None or not can_view_insights(user):
            return []
        links = []
        for name, label, allowed in PAGES:
            if allowed(user):
                href = reverse(name)
                links.append({"label": label, "href": href, "active": self.request.path == href})
        return links

    def __iter__(self):
        return iter(self.links)

    def __len__(self):
        return len(self.links)

    def __bool__(self):
        # The header asks this on every page: the answer kept in the session, no query.
        return may_view_insights_cached(self.request)


def insights_pages(request):
    return {"insights_pages": InsightsPages(request)}
