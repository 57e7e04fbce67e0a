"""Terms of reference with their aims."""

from django.contrib import admin

from ..models import Aim, TermsOfReference
from .scoping import CompactScopedAdmin


class AimInline(admin.TabularInline):
    model = Aim
    extra = 0
    fields = ["order", "number", "text", "parent"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(CompactScopedAdmin):
    list_display = ["compact", "version", "title", "adopted_on", "review_due_on"]
    list_filter = ["compact"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "adopted_on"
    inlines = [AimInline]
    list_select_related = ["compact"]
