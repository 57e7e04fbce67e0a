"""Statements of annual priorities with their priorities."""

from django import forms
from django.contrib import admin

from .. import services
from ..models import Aim, PrioritiesStatement, Priority
from .scoping import CompactScopedAdmin, formset_rows


class PriorityInlineFormSet(forms.BaseInlineFormSet):
    """Every priority cites only aims of the statement's terms as submitted (the same
    rule as ``services.priority_set_aims``): changing the statement's terms cannot leave
    its priorities citing the old version's aims."""

    def clean(self):
        super().clean()
        terms = self.instance.terms if self.instance.terms_id else None
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data") or "aims" not in form.cleaned_data:
                continue
            aims = list(form.cleaned_data["aims"])
            try:
                services.check_priority_has_aims(aims)
                if terms is not None:
                    services.check_aims_in_terms(terms=terms, aims=aims)
            except services.CompactError as exc:
                form.add_error("aims", exc.message)


class PriorityInline(admin.StackedInline):
    model = Priority
    formset = PriorityInlineFormSet
    extra = 0
    filter_horizontal = ["aims"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Aims of the statement's compact (any version, so that moving the statement to
        # new terms and citing their aims is one save); the formset keeps each priority
        # to the aims of the terms submitted.
        statement_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "aims":
            # Save the statement first: its compact decides which aims can be chosen.
            kwargs["queryset"] = (
                Aim.objects.filter(terms__compact__statements__pk=statement_id)
                .select_related("terms")
                .order_by("-terms__version", "order")
                if statement_id
                else Aim.objects.none()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PrioritiesStatement)
class PrioritiesStatementAdmin(CompactScopedAdmin):
    list_display = ["compact", "year", "status", "starts_on", "ends_on", "terms"]
    # A draft is published on the secretariat's page (``services.statement_publish``).
    readonly_fields = ["status", "published_at"]
    list_filter = ["compact", "status"]
    search_fields = ["year", "priorities__title"]
    inlines = [PriorityInline]
    list_select_related = ["compact", "terms__compact"]

    def save_model(self, request, obj, form, change):
        services.statement_update(statement=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        rows, deleted = formset_rows(formset)
        for priority in deleted:
            services.priority_delete(priority=priority, actor=request.user)
        for priority, priority_form in rows:
            services.priority_save(
                priority=priority,
                aims=priority_form.cleaned_data.get("aims") or [],
                actor=request.user,
                changed=priority_form.changed_data,
            )
