"""A group member's secret meeting feed (issue 19, item 5): the page where they make,
reset or turn off its address, and the feed itself, opened by its token alone.

The feed ignores the session on purpose: a calendar app carries none, and a signed-in
account (staff and superusers included) gets nothing from a feed address without its
token, and nothing more with it than the calendar app does."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from talenthub.core.ical import ics_response

from .. import selectors, services
from ..calendar import meetings_calendar
from ..exceptions import CompactError
from .compacts import CompactMixin


class MemberFeedView(CompactMixin, TemplateView):
    """The member's own feed: whether they have one (its first characters and date), a
    new address made or reset (shown once, on this response only: it is not stored) and
    turned off. Only people with a seat on one of the compact's groups; others 404."""

    template_name = "compact/member_feed.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def has_access(self) -> bool:
        self.seats = list(selectors.member_seats(user=self.request.user, compact=self.compact))
        return bool(self.seats)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            services.member_feed_revoke(
                user=request.user,
                compact=self.compact,
                actor=request.user,
                reason=_("Turned off by its owner."),
            )
            messages.success(
                request, _("Your meeting feed is turned off. Its address no longer works.")
            )
            return redirect("compact:member_feed", slug=self.compact.slug)
        try:
            _feed, raw = services.member_feed_create(user=request.user, compact=self.compact)
        except CompactError as exc:
            messages.error(request, exc.message)
            return redirect("compact:member_feed", slug=self.compact.slug)
        url = request.build_absolute_uri(
            reverse(
                "compact:member_meetings_feed", kwargs={"slug": self.compact.slug, "token": raw}
            )
        )
        response = self.render_to_response(self.get_context_data(new_feed_url=url))
        # The address is the secret: never kept by a browser's or proxy's cache.
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            seats=self.seats,
            feed=selectors.member_feed_live(user=self.request.user, compact=self.compact),
            **kwargs,
        )


@never_cache
def member_meetings_feed(request, slug, token):
    """The feed: the meetings (private ones too) of the groups the token's owner sits on
    today. The token is the only key; an unknown, revoked or deactivated one is a 404
    whoever is signed in."""
    compact = selectors.compact_get(slug=slug)
    feed = selectors.member_feed_by_token(compact=compact, raw=token)
    if feed is None:
        raise Http404(_("No such feed."))
    meetings = selectors.member_feed_meetings(feed=feed)
    content = meetings_calendar(
        meetings, name=_("My meetings, %(compact)s") % {"compact": compact.name}
    )
    return ics_response(content, f"{compact.slug}-my-meetings.ics")
