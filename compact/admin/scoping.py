"""How every compact admin page is scoped: rows, and the rows offered in foreign keys,
only of the compacts the user edits."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path

from talenthub.core.admin_filters import KeptChoicesMixin, list_choices
from talenthub.core.admin_mixins import DomainErrorAdminMixin
from talenthub.core.permissions import ScopedListFiltersMixin, scope_raw_id_widget

from ..models import (
    Action,
    Aim,
    CharterSignatory,
    Compact,
    GroupMembership,
    Meeting,
    Priority,
    SurveyInvitation,
    SurveyQuestion,
)
from ..selectors import compacts_edited_by

# How a row of each compact model reaches its compact, for scoping foreign-key choices.
COMPACT_PATHS = {
    Compact: "pk",
    Aim: "terms__compact",
    Priority: "statement__compact",
    Action: "plan__compact",
    Meeting: "group__compact",
    GroupMembership: "group__compact",
    CharterSignatory: "charter__compact",
    SurveyQuestion: "survey__compact",
    SurveyInvitation: "survey__compact",
}


def compact_path(model) -> str | None:
    if model in COMPACT_PATHS:
        return COMPACT_PATHS[model]
    if model._meta.app_label == "compact" and any(
        f.name == "compact" for f in model._meta.get_fields()
    ):
        return "compact"
    return None


def scope_to_editor(queryset, user):
    """Rows of ``queryset`` (a compact model) in compacts ``user`` edits."""
    if user.is_superuser:
        return queryset
    path = compact_path(queryset.model)
    return queryset.filter(**{f"{path}__in": compacts_edited_by(user)}) if path else queryset


class KeptRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Django's related filter (every row of the related table, as a superuser's
    ``list_filter`` entry offers them), its choices kept by ``list_choices``: per data
    version and user when the ModelAdmin has ``KeptChoicesMixin``, so the same list
    asked again reads no related rows. The same choices, labels and HTML."""

    def field_choices(self, field, request, model_admin):
        build = super().field_choices
        return list_choices(
            request,
            model_admin,
            f"{type(self).__qualname__}:{self.field_path}",
            lambda: build(field, request, model_admin),
        )


def kept_related_list_filter(model, list_filter):
    """``list_filter`` with each plain relation path (or one given Django's
    ``RelatedFieldListFilter``) given ``KeptRelatedFieldListFilter``: for a superuser,
    whose filters are not scoped (``ScopedListFiltersMixin``)."""
    kept = []
    for entry in list_filter:
        path, filter_class = (entry, None) if isinstance(entry, str) else (None, None)
        if isinstance(entry, (tuple, list)):
            path, filter_class = entry
        relation = path and filter_class in (None, admin.RelatedFieldListFilter)
        if relation and get_fields_from_path(model, path)[-1].is_relation:
            kept.append((path, KeptRelatedFieldListFilter))
        else:
            kept.append(entry)
    return kept


class CompactScopedAdmin(
    KeptChoicesMixin, DomainErrorAdminMixin, ScopedListFiltersMixin, admin.ModelAdmin
):
    """Rows reach their compact through ``compact_lookup``; foreign keys and many-to-many
    fields to compact models offer only rows of the compacts the user edits.

    The list filters' choices are kept (``KeptChoicesMixin``, issue 16): a superuser's
    related filters offer every related row (``KeptRelatedFieldListFilter``), anyone
    else's only those their scoped rows reach (``ScopedListFiltersMixin``).

    A ``CompactError`` from a service called by a save (``save_model``,
    ``save_formset``) propagates: ``DomainErrorAdminMixin`` rolls the whole change form
    back and shows the refusal as a form error, never "…was changed successfully"."""

    compact_lookup = "compact"

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser:
            return kept_related_list_filter(self.model, list_filter)
        return list_filter

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.compact_lookup}__in": compacts_edited_by(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and compact_path(db_field.related_model):
            kwargs["queryset"] = scope_to_editor(
                db_field.related_model._default_manager.all(), request.user
            )
        return scope_raw_id_widget(
            super().formfield_for_foreignkey(db_field, request, **kwargs), self.admin_site
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and compact_path(db_field.related_model):
            kwargs["queryset"] = scope_to_editor(
                db_field.related_model._default_manager.all(), request.user
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInlineMixin:
    """The same foreign-key scoping for inlines."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and compact_path(db_field.related_model):
            kwargs["queryset"] = scope_to_editor(
                db_field.related_model._default_manager.all(), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def formset_rows(formset):
    """The rows an inline formset would write, for a service to save: ``(instance, form)``
    of each new or changed row (its foreign key to the parent set), and the rows marked
    for deletion. Nothing is written here."""
    formset.save(commit=False)
    deleted_forms = set(formset.deleted_forms) if formset.can_delete else set()
    rows = [
        (form.instance, form)
        for form in formset.forms
        if form not in deleted_forms and form.has_changed()
    ]
    return rows, list(formset.deleted_objects)
