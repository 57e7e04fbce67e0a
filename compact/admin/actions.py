"""Action plans and actions (status and progress change only through progress updates)."""

from django import forms
from django.contrib import admin
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from talenthub.core.admin_mixins import ReadOnlyAdminMixin
from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import Action, ActionPlan, Aim, Indicator, ProgressUpdate, TermsOfReference
from ..selectors import compacts_edited_by, terms_in_force
from .scoping import CompactScopedAdmin, ScopedInlineMixin, formset_rows


class ActionInline(ScopedInlineMixin, admin.TabularInline):
    """Status and progress change only through dated progress updates (the action's
    page), as in ``ActionAdmin``."""

    model = Action
    extra = 0
    fields = [
        "code",
        "theme",
        "objective",
        "status",
        "percent_complete",
        "target_date",
        "lead_person",
        "lead_organisation",
    ]
    readonly_fields = ["status", "percent_complete"]
    autocomplete_fields = ["lead_person", "lead_organisation"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(CompactScopedAdmin):
    list_display = ["title", "compact", "group", "adopted_on"]
    list_filter = ["compact"]
    search_fields = ["title"]
    inlines = [ActionInline]
    list_select_related = ["compact", "group"]

    # Every write through a service (issue 14), each audited; a refusal propagates and
    # ``DomainErrorAdminMixin`` shows it as a form error with nothing saved.
    def save_model(self, request, obj, form, change):
        services.action_plan_save(plan=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        rows, deleted = formset_rows(formset)
        for action in deleted:
            services.action_delete(action=action, actor=request.user)
        for action, action_form in rows:
            services.action_update(
                action=action, actor=request.user, changed=action_form.changed_data
            )

    def delete_model(self, request, obj):
        services.action_plan_delete(plan=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            services.action_plan_delete(plan=plan, actor=request.user)


class IndicatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    """SMART indicators are added and measured through the services (the action's page,
    audited): shown here, never written."""

    model = Indicator
    extra = 0
    fields = ["measure", "unit", "baseline", "target", "due_on", "actual", "actual_on"]
    readonly_fields = fields


class ProgressUpdateInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Updates are added through the service (the action's page), which also sets the
    action's status: here they are shown, never added, changed or deleted."""

    model = ProgressUpdate
    extra = 0
    readonly_fields = ["on", "author", "status", "percent_complete", "note"]


def aims_in_force():
    """Aims of each compact's terms in force today (the only ones an action may serve)."""
    today = timezone.localdate()
    latest = (
        TermsOfReference.objects.filter(compact=OuterRef("terms__compact"), adopted_on__lte=today)
        .values("compact")
        .annotate(latest=Max("adopted_on"))
        .values("latest")
    )
    return (
        Aim.objects.filter(terms__adopted_on=Subquery(latest))
        .select_related("terms__compact")
        .order_by("terms__compact__name", "order")
    )


class ActionAdminForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "plan",
            "parent",
            "code",
            "order",
            "theme",
            "objective",
            "what_will_be_done",
            "outcomes",
            "lead_person",
            "lead_organisation",
            "lead_note",
            "monitoring",
            "target_date",
            "timescale_note",
            "cost",
            "aims",
            "priority",
        ]

    def clean(self):
        cleaned = super().clean()
        plan, aims, parent = cleaned.get("plan"), cleaned.get("aims"), cleaned.get("parent")
        if plan and aims:
            terms = terms_in_force(compact=plan.compact)
            try:
                if terms is None:
                    raise services.CompactError(
                        "No terms of reference are in force.", code="no_terms_in_force"
                    )
                services.check_aims_in_terms(terms=terms, aims=list(aims))
            except services.CompactError as exc:
                self.add_error("aims", exc.message)
        if plan and parent and (parent.plan_id != plan.pk or parent.parent_id is not None):
            self.add_error("parent", "The parent must be a top-level action of the same plan.")
        return cleaned


@admin.register(Action)
class ActionAdmin(ListedFieldsMixin, CompactScopedAdmin):
    form = ActionAdminForm
    compact_lookup = "plan__compact"
    list_display = [
        "code",
        "theme",
        "plan",
        "lead_person",
        "lead_organisation",
        "target_date",
        "status",
        "percent_complete",
    ]
    list_filter = ["status", "plan__compact", "plan"]
    search_fields = ["code", "theme", "objective", "lead_person__full_name"]
    autocomplete_fields = ["lead_person", "lead_organisation", "parent"]
    filter_horizontal = ["aims"]
    inlines = [IndicatorInline, ProgressUpdateInline]
    list_select_related = ["plan", "lead_person", "lead_organisation"]
    # The columns, the row's text (code and theme) and the related rows' texts (the
    # plan's title, the lead's name or email, the organisation's name).
    list_fields = [
        "code",
        "theme",
        "plan__title",
        "lead_person__full_name",
        "lead_person__email",
        "lead_organisation__name",
        "target_date",
        "status",
        "percent_complete",
    ]
    readonly_fields = ["status", "percent_complete"]

    def save_model(self, request, obj, form, change):
        # The service sets the aims too (``save_related`` below leaves them alone).
        services.action_update(
            action=obj,
            actor=request.user,
            aims=form.cleaned_data.get("aims", []),
            changed=form.changed_data,
        )

    def save_related(self, request, form, formsets, change):
        # Not ``form.save_m2m()``: the aims were written by ``action_update``. The inlines
        # are read-only, so their formsets write nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.action_delete(action=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for action in queryset:
            services.action_delete(action=action, actor=request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "aims":
            aims = aims_in_force()
            if not request.user.is_superuser:
                aims = aims.filter(terms__compact__in=compacts_edited_by(request.user))
            kwargs["queryset"] = aims
        return super().formfield_for_manytomany(db_field, request, **kwargs)
