"""Terms of reference with their aims."""

from django.contrib import admin

from talenthub.core.admin_filters import KeptDateHierarchyMixin
from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import Aim, TermsOfReference
from .scoping import CompactScopedAdmin, formset_rows


class AimInline(admin.TabularInline):
    model = Aim
    extra = 0
    fields = ["order", "number", "text", "parent"]
    can_delete = False  # an adopted version's aims are cited by priorities and actions


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(ListedFieldsMixin, KeptDateHierarchyMixin, CompactScopedAdmin):
    list_display = ["compact", "version", "title", "status", "adopted_on", "review_due_on"]
    # Numbered by the service, after the last version; a draft is adopted on the
    # secretariat's page (``services.terms_adopt``, which keeps the review flag right).
    readonly_fields = ["version", "status"]
    list_filter = ["compact", "status"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "adopted_on"
    inlines = [AimInline]
    list_select_related = ["compact"]
    # The columns; the row's text is the compact's name, the version and its adoption.
    list_fields = ["compact__name", "version", "title", "status", "adopted_on", "review_due_on"]

    def save_model(self, request, obj, form, change):
        services.terms_update(terms=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        rows, _deleted = formset_rows(formset)
        for aim, aim_form in rows:
            services.aim_save(aim=aim, actor=request.user, changed=aim_form.changed_data)
