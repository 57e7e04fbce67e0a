"""Charter versions and signatories."""

from django import forms
from django.contrib import admin

from talenthub.core.admin_filters import KeptDateHierarchyMixin
from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import CharterSignatory, CharterVersion
from .scoping import CompactScopedAdmin


class CharterSignatoryAdminForm(forms.ModelForm):
    """The same rules as ``services.charter_sign``: eligibility by sector and a membership
    of at least the charter's minimum months."""

    class Meta:
        model = CharterSignatory
        fields = [
            "charter",
            "organisation",
            "signatory_name",
            "joined_on",
            "board_endorsed_on",
            "senior_representative",
            "deputy",
            "champion",
            "renewal_due_on",
            "withdrawn_on",
        ]

    def clean(self):
        cleaned = super().clean()
        charter, organisation = cleaned.get("charter"), cleaned.get("organisation")
        joined, renewal = cleaned.get("joined_on"), cleaned.get("renewal_due_on")
        if charter and organisation:
            try:
                services.check_eligible(compact=charter.compact, organisation=organisation)
            except services.CompactError as exc:
                self.add_error("organisation", exc.message)
        if charter and joined and renewal:
            earliest = services.add_months(joined, charter.minimum_membership_months)
            if renewal < earliest:
                self.add_error(
                    "renewal_due_on",
                    f"Membership runs for at least {charter.minimum_membership_months} months: "
                    f"renewal cannot be before {earliest:%d %B %Y}.",
                )
        return cleaned


@admin.register(CharterVersion)
class CharterVersionAdmin(CompactScopedAdmin):
    list_display = ["title", "compact", "starts_on", "ends_on"]
    list_filter = ["compact"]
    search_fields = ["title"]
    readonly_fields = ["import_signatories"]

    # The bulk import of signatories (compact/imports.py): a page of its own, reached
    # from the charter version it signs.
    def get_urls(self):
        from django.urls import path  # noqa: PLC0415 (kept local: a self-contained change)

        from ..imports import SignatoryImportView  # noqa: PLC0415

        return [
            path(
                "<int:object_id>/import-signatories/",
                self.admin_site.admin_view(SignatoryImportView.as_view()),
                name="compact_charterversion_import_signatories",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Signatories")
    def import_signatories(self, obj):
        from django.urls import reverse  # noqa: PLC0415
        from django.utils.html import format_html  # noqa: PLC0415

        if obj.pk is None:
            return "-"
        url = reverse("admin:compact_charterversion_import_signatories", args=[obj.pk])
        return format_html('<a href="{}">Import signatories from a CSV file</a>', url)


@admin.register(CharterSignatory)
class CharterSignatoryAdmin(ListedFieldsMixin, KeptDateHierarchyMixin, CompactScopedAdmin):
    form = CharterSignatoryAdminForm
    compact_lookup = "charter__compact"
    list_display = [
        "organisation",
        "charter",
        "joined_on",
        "board_endorsed_on",
        "senior_representative",
        "renewal_due_on",
        "withdrawn_on",
    ]
    list_filter = ["charter__compact", "charter", "organisation__sector"]
    search_fields = ["organisation__name", "signatory_name", "senior_representative__full_name"]
    autocomplete_fields = ["organisation", "senior_representative", "deputy", "champion"]
    list_select_related = ["organisation", "charter", "senior_representative"]
    # The columns and the row's text (the organisation and the charter: its title and
    # years).
    list_fields = [
        "organisation__name",
        "charter__title",
        "charter__starts_on",
        "charter__ends_on",
        "joined_on",
        "board_endorsed_on",
        "senior_representative__full_name",
        "senior_representative__email",
        "renewal_due_on",
        "withdrawn_on",
    ]
    date_hierarchy = "renewal_due_on"
