"""Compacts and the roles people hold in them (granted and revoked through the services)."""

from django.contrib import admin

from talenthub.core.admin_filters import RelatedExistsFieldListFilter

from .. import services
from ..models import Compact, CompactRole
from .scoping import CompactScopedAdmin


class CompactRoleInline(admin.TabularInline):
    model = CompactRole
    extra = 0
    autocomplete_fields = ["user"]


def _role_saved(request, role: CompactRole, change: bool) -> None:
    """Roles change through the services, so an editing role brings (and its removal
    takes away) what the admin needs: staff status and the secretariat group."""
    if change and role.pk:
        before = CompactRole.objects.get(pk=role.pk)
        if (before.compact_id, before.user_id, before.role) == (
            role.compact_id,
            role.user_id,
            role.role,
        ):
            return
        services.role_revoke(
            compact=before.compact, user=before.user, role=before.role, actor=request.user
        )
    saved = services.role_grant(
        compact=role.compact, user=role.user, role=role.role, actor=request.user
    )
    role.pk = saved.pk


def _role_deleted(request, role: CompactRole) -> None:
    services.role_revoke(compact=role.compact, user=role.user, role=role.role, actor=request.user)


@admin.register(Compact)
class CompactAdmin(CompactScopedAdmin):
    compact_lookup = "pk"
    list_display = ["name", "area", "established_on", "facilitating_agency"]
    list_filter = [("facilitating_agency", RelatedExistsFieldListFilter), "established_on"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["vcs_bodies", "good_practice_events"]
    autocomplete_fields = ["facilitating_agency"]
    inlines = [CompactRoleInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not CompactRole:
            return super().save_formset(request, form, formset, change)
        roles = formset.save(commit=False)
        for role in formset.deleted_objects:
            _role_deleted(request, role)
        for role in roles:
            _role_saved(request, role, change=role.pk is not None)
        formset.save_m2m()


@admin.register(CompactRole)
class CompactRoleAdmin(CompactScopedAdmin):
    list_display = ["user", "compact", "role"]
    list_filter = ["role", "compact"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "compact"]

    def save_model(self, request, obj, form, change):
        _role_saved(request, obj, change)

    def delete_model(self, request, obj):
        _role_deleted(request, obj)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("compact", "user"):
            _role_deleted(request, role)
