from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talenthub.core.admin_filters import KeptDateHierarchyMixin, RelatedExistsFieldListFilter
from talenthub.core.admin_mixins import DomainErrorAdminMixin
from talenthub.core.aggregates import related_count
from talenthub.core.choices import CareerLevel, Sector
from talenthub.core.models import Organisation
from talenthub.core.permissions import ProviderScopedAdmin, user_provider

from . import contributions, services
from .models import (
    Franchise,
    Module,
    Programme,
    ProgrammeVersion,
    SubsidyAllocation,
    SubsidyScheme,
    SubsidySchemeSector,
)

RelatedOnly = RelatedExistsFieldListFilter


def scope_allocations(request, queryset):
    """Allocations a user may see in the admin: all for a superuser, those a programme
    manager's provider holds, none for anyone else. Which allocations a provider holds
    (the places on its cohorts) is known to the apps that use them, which register it
    (``contributions.register_allocation_holder``): the catalogue does not reach up."""
    if request.user.is_superuser:
        return queryset
    provider = user_provider(request.user)
    if provider is None:
        return queryset.none()
    return queryset.filter(contributions.allocation_holder_q(provider))


class ModuleInlineFormSet(forms.BaseInlineFormSet):
    """Checks the order numbers of all the modules on the page together, so a duplicate
    is reported in plain words before the database constraint is reached."""

    def clean(self):
        # Before super().clean(), whose generic "duplicate data" message would win.
        orders = [
            form.cleaned_data.get("order")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        duplicates = services.duplicate_orders(orders)
        if duplicates:
            raise ValidationError(services.duplicate_orders_message(duplicates))
        super().clean()


class ModuleInline(admin.StackedInline):
    model = Module
    formset = ModuleInlineFormSet
    extra = 0
    fields = ["order", "title", "summary", "learning_outcomes"]
    ordering = ["order"]


class ProgrammeVersionInline(admin.TabularInline):
    model = ProgrammeVersion
    extra = 0
    fields = ["name", "launched_on", "summary", "module_count"]
    readonly_fields = ["module_count"]
    show_change_link = True  # modules are edited on the version's own page
    ordering = ["-launched_on"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(modules_total=related_count(Module.objects.all(), link="version"))
        )

    @admin.display(description=_("Modules"))
    def module_count(self, obj):
        return getattr(obj, "modules_total", None) if obj.pk else "–"


class FranchiseInline(admin.TabularInline):
    model = Franchise
    fk_name = "programme"
    extra = 0
    fields = ["franchisee", "starts_on", "ends_on"]
    autocomplete_fields = ["franchisee"]

    def get_autocomplete_fields(self, request):
        # Managers may not browse the organisation admin that autocomplete asks.
        return self.autocomplete_fields if request.user.is_superuser else []


class ProgrammeAdminForm(forms.ModelForm):
    """Adds the audience's career levels and sectors as checkboxes; they are saved by
    ``services.programme_set_audience``."""

    career_levels = forms.TypedMultipleChoiceField(
        label=_("Career levels"),
        choices=CareerLevel.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the programme is for every level."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the programme is for the whole public sector."),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "slug",
            "kind",
            "owner",
            "partners",
            "status",
            "summary",
            "description",
            "how_to_apply",
            "functional_areas",
            "delivery_mode",
            "intake_opens_on",
            "intake_closes_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["career_levels"].initial = self.instance.career_level_values()
            self.fields["sectors"].initial = self.instance.sector_values()


@admin.register(Programme)
class ProgrammeAdmin(DomainErrorAdminMixin, ProviderScopedAdmin):
    """Superusers see every programme; a programme manager those of their provider."""

    provider_lookup = "owner"
    form = ProgrammeAdminForm
    list_display = ["title", "kind", "owner", "delivery_mode", "status", "updated_at"]
    list_filter = [
        "status",
        "kind",
        "delivery_mode",
        ("owner", RelatedOnly),
        "functional_areas",
    ]
    search_fields = ["title", "summary", "owner__name"]
    list_select_related = ["owner"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["owner"]
    filter_horizontal = ["partners", "functional_areas"]
    # The resource hub adds its selection-framework inline (resources/admin.py): the
    # catalogue does not import the apps above it.
    inlines = [ProgrammeVersionInline, FranchiseInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "owner", "partners", "status"]}),
        (_("Description"), {"fields": ["summary", "description", "how_to_apply"]}),
        (
            _("Audience and delivery"),
            {"fields": ["career_levels", "functional_areas", "sectors", "delivery_mode"]},
        ),
        (
            _("Talent pools: next intake"),
            {
                "fields": ["intake_opens_on", "intake_closes_on"],
                "description": _(
                    "Members who asked are emailed on the opening day. Leave both empty "
                    "for any other kind of programme."
                ),
            },
        ),
    ]

    def get_autocomplete_fields(self, request):
        # A manager's only choice of owner is their own provider: a plain select.
        return self.autocomplete_fields if request.user.is_superuser else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner" and not request.user.is_superuser:
            provider = user_provider(request.user)
            kwargs["queryset"] = Organisation.objects.filter(pk=getattr(provider, "pk", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.programme_set_audience(
            programme=form.instance,
            career_levels=form.cleaned_data.get("career_levels") or [],
            sectors=form.cleaned_data.get("sectors") or [],
        )


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(KeptDateHierarchyMixin, DomainErrorAdminMixin, ProviderScopedAdmin):
    """The owner filter's choices and the date hierarchy are kept per data version and
    user (``KeptDateHierarchyMixin``); the module count is a subquery per row, so the
    count and the hierarchy's queries read the versions alone (a ``Count`` join made each
    of them join and group the modules)."""

    provider_lookup = "programme__owner"
    list_display = ["name", "programme", "launched_on", "module_count"]
    list_filter = [("programme__owner", RelatedOnly), "programme__kind"]
    search_fields = ["name", "programme__title", "modules__title"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]
    date_hierarchy = "launched_on"
    inlines = [ModuleInline]
    fieldsets = [
        (None, {"fields": ["programme", "name", "launched_on", "summary"]}),
        (_("Cohort features"), {"fields": ["project_work"]}),
        (
            _("Completion rule"),
            {
                "description": _(
                    "What a participant must have done before they can be marked completed. "
                    "A manager can still complete someone with a recorded reason."
                ),
                "fields": [
                    "completion_min_sessions",
                    "completion_requires_project_work",
                    "completion_requires_feedback",
                    "completion_requires_cohort_ended",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(modules_total=related_count(Module.objects.all(), link="version"))
        )

    @admin.display(description=_("Modules"), ordering="modules_total")
    def module_count(self, obj):
        return obj.modules_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme" and not request.user.is_superuser:
            provider = user_provider(request.user)
            kwargs["queryset"] = Programme.objects.filter(owner=provider)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Franchise)
class FranchiseAdmin(DomainErrorAdminMixin, ProviderScopedAdmin):
    """A programme manager sees the franchises of their own programmes and those their
    provider holds."""

    list_display = ["programme", "franchisee", "starts_on", "ends_on", "is_current"]
    # Only the values in the (scoped) rows, so a manager never sees other providers'
    # programme titles in the sidebar.
    list_filter = [("franchisee", RelatedOnly), ("programme", RelatedOnly)]
    search_fields = ["programme__title", "franchisee__name"]
    list_select_related = ["programme", "franchisee"]
    autocomplete_fields = ["programme", "franchisee"]

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        provider = user_provider(request.user)
        if provider is None:
            return queryset.none()
        return queryset.filter(programme__owner=provider) | queryset.filter(franchisee=provider)

    @admin.display(boolean=True, description=_("Current"))
    def is_current(self, obj):
        return obj.is_current()


class SubsidyAllocationInline(admin.TabularInline):
    """Places used are the allocations the cohorts app makes; they are shown here, not
    typed in."""

    model = SubsidyAllocation
    extra = 0
    fields = ["recipient", "programme", "description", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # A scheme is national: a programme manager sees only the places their own
        # provider's participants use, never other providers' recipients.
        return scope_allocations(request, super().get_queryset(request)).select_related(
            "recipient", "programme"
        )


class SubsidySchemeSectorInline(admin.TabularInline):
    model = SubsidySchemeSector
    extra = 0
    verbose_name_plural = _("eligible sectors (none: the scheme funds anyone)")


@admin.register(SubsidyScheme)
class SubsidySchemeAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["name", "funder", "total_places", "places_used_column", "places_left_column"]
    # Only the funders and programmes of schemes, not every organisation and programme.
    list_filter = [("funder", RelatedOnly), ("programmes", RelatedOnly)]
    search_fields = ["name", "funder__name", "programmes__title"]
    list_select_related = ["funder"]
    autocomplete_fields = ["funder"]
    filter_horizontal = ["programmes"]
    readonly_fields = ["places_used_column", "places_left_column"]
    fields = [
        "name",
        "funder",
        "programmes",
        "total_places",
        "places_used_column",
        "places_left_column",
        "description",
    ]
    inlines = [SubsidySchemeSectorInline, SubsidyAllocationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_places_used()

    @admin.display(description=_("Places used"), ordering="places_used_count")
    def places_used_column(self, obj):
        return obj.places_used() if obj.pk else 0

    @admin.display(description=_("Places left"))
    def places_left_column(self, obj):
        return obj.places_left() if obj.pk else "–"

    def save_model(self, request, obj, form, change):
        if change and "total_places" in form.changed_data:
            # Re-checked under a lock, in case places were allocated since the form
            # was validated.
            new_total = obj.total_places
            obj.total_places = form.initial["total_places"]
            obj.save()
            # A refusal (ProgrammeError) propagates: DomainErrorAdminMixin rolls back the
            # save above too and shows the refusal as a form error.
            services.subsidy_scheme_set_cap(scheme=obj, total_places=new_total, actor=request.user)
            obj.total_places = new_total
        else:
            super().save_model(request, obj, form, change)


@admin.register(SubsidyAllocation)
class SubsidyAllocationAdmin(ProviderScopedAdmin):
    """Read-only: allocations are made and released by the services the cohorts app
    calls, so places used can never be edited by hand. A programme manager sees the
    allocations of their own provider's participants only (list, change, history, search
    and the autocomplete that asks this admin)."""

    list_display = ["scheme", "recipient", "programme", "description", "created_at"]
    list_filter = [("scheme", RelatedOnly), ("programme", RelatedOnly)]
    search_fields = ["recipient__email", "recipient__full_name", "description"]
    list_select_related = ["scheme", "recipient", "programme"]
    date_hierarchy = "created_at"

    def scope_queryset(self, request, queryset):
        return scope_allocations(request, queryset)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
