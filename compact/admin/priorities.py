"""Statements of annual priorities with their priorities."""

from django import forms
from django.contrib import admin

from .. import services
from ..models import Aim, PrioritiesStatement, Priority
from .scoping import CompactScopedAdmin


class PriorityInlineFormSet(forms.BaseInlineFormSet):
    """Every priority cites only aims of the statement's terms as submitted (the same
    rule as ``services.priority_set_aims``): changing the statement's terms cannot leave
    its priorities citing the old version's aims."""

    def clean(self):
        super().clean()
        terms = self.instance.terms if self.instance.terms_id else None
        if terms is None:
            return
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            aims = form.cleaned_data.get("aims")
            if aims is None:
                continue
            try:
                services.check_aims_in_terms(terms=terms, aims=list(aims))
            except services.CompactError as exc:
                form.add_error("aims", exc.message)


class PriorityInline(admin.StackedInline):
    model = Priority
    formset = PriorityInlineFormSet
    extra = 0
    filter_horizontal = ["aims"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only aims of the statement's terms (the terms in force) can be chosen.
        statement_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "aims":
            # Save the statement first: its terms decide which aims can be chosen.
            kwargs["queryset"] = (
                Aim.objects.filter(terms__statements__pk=statement_id)
                if statement_id
                else Aim.objects.none()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PrioritiesStatement)
class PrioritiesStatementAdmin(CompactScopedAdmin):
    list_display = ["compact", "year", "starts_on", "ends_on", "terms"]
    list_filter = ["compact"]
    search_fields = ["year", "priorities__title"]
    inlines = [PriorityInline]
    list_select_related = ["compact", "terms__compact"]
