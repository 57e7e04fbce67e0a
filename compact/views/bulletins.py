"""The e-bulletin archive, one issue, and subscribing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from talenthub.core.models import Profile

from .. import services
from ..models import Bulletin, BulletinListing
from .compacts import CompactMixin


class BulletinListView(CompactMixin, TemplateView):
    template_name = "compact/bulletin_list.html"

    def get_context_data(self, **kwargs):
        bulletins = (
            self.compact.bulletins.filter(status=Bulletin.Status.SENT)
            .select_related("compact")
            .order_by("-number")
        )
        page = Paginator(bulletins, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        user = self.request.user
        subscribed = user.is_authenticated and self.compact.subscriptions.filter(user=user).exists()
        # "Email me newsletters and bulletins" on the profile is the master switch.
        bulletins_off = (
            user.is_authenticated
            and Profile.objects.filter(user=user, email_bulletins=False).exists()
        )
        return super().get_context_data(
            page_obj=page,
            bulletins=page.object_list,
            subscribed=subscribed,
            bulletins_off=bulletins_off,
            **kwargs,
        )


class BulletinDetailView(CompactMixin, TemplateView):
    template_name = "compact/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        bulletin = (
            self.compact.bulletins.filter(status=Bulletin.Status.SENT, number=self.kwargs["number"])
            .prefetch_related("items")
            .first()
        )
        if bulletin is None:
            raise Http404("No such e-bulletin.")
        listings = list(bulletin.listings.all())
        return super().get_context_data(
            bulletin=bulletin,
            meetings=[x for x in listings if x.kind == BulletinListing.Kind.MEETING],
            events=[x for x in listings if x.kind == BulletinListing.Kind.EVENT],
            **kwargs,
        )


class BulletinSubscribeView(CompactMixin, View):
    """A signed-in person subscribes to (or unsubscribes from) the compact's e-bulletin."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(self.compact.get_absolute_url())
        if request.POST.get("action") == "unsubscribe":
            services.bulletin_unsubscribe(compact=self.compact, user=request.user)
            messages.success(request, "You will no longer receive the e-bulletin.")
        else:
            services.bulletin_subscribe(compact=self.compact, user=request.user)
            messages.success(request, "You will receive the e-bulletin by email.")
        return redirect("compact:bulletin_list", slug=self.compact.slug)
