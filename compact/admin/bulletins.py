"""E-bulletins and subscriptions."""

from django.contrib import admin, messages

from talenthub.core.admin_mixins import ReadOnlyAdminMixin

from .. import services
from ..models import Bulletin, BulletinListing, BulletinSubscription, NewsItem
from .scoping import CompactScopedAdmin


class NewsItemInline(admin.StackedInline):
    model = NewsItem
    extra = 1


class BulletinListingInline(ReadOnlyAdminMixin, admin.TabularInline):
    """What a sent issue announced as coming up (copied when it was sent)."""

    model = BulletinListing
    extra = 0
    fields = ["order", "kind", "title", "starts_at", "place", "path"]
    readonly_fields = fields


@admin.register(Bulletin)
class BulletinAdmin(CompactScopedAdmin):
    list_display = ["number", "title", "compact", "status", "sent_at"]
    list_filter = ["status", "compact"]
    search_fields = ["title", "items__title"]
    inlines = [NewsItemInline, BulletinListingInline]
    readonly_fields = ["status", "sent_at"]
    actions = ["send"]

    @admin.action(description="Send to subscribers and publish in the archive")
    def send(self, request, queryset):
        for bulletin in queryset:
            try:
                batches = services.bulletin_send(bulletin=bulletin, actor=request.user)
            except services.CompactError as exc:
                self.message_user(request, f"{bulletin}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{bulletin}: sending in {batches} batch(es).")


@admin.register(BulletinSubscription)
class BulletinSubscriptionAdmin(CompactScopedAdmin):
    """Who receives a compact's e-bulletin. A subscription is the person's own consent
    (PECR), given on the compact's page: staff see and may remove one, never add or
    change one (the add form's person list also showed every member to every compact)."""

    list_display = ["user", "compact", "created_at"]
    list_filter = ["compact"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "compact"]
    readonly_fields = ["user", "compact", "created_at"]
    fields = ["user", "compact", "created_at"]

    def has_add_permission(self, request):
        return False
