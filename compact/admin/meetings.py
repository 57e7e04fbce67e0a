"""Meetings with their agenda and attendance."""

from django.contrib import admin

from talenthub.core.admin_filters import KeptDateHierarchyMixin
from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import AgendaItem, Attendance, Meeting
from .scoping import CompactScopedAdmin, ScopedInlineMixin, formset_rows


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(ListedFieldsMixin, KeptDateHierarchyMixin, CompactScopedAdmin):
    compact_lookup = "group__compact"
    list_display = ["group", "starts_at", "place", "status", "is_public"]
    list_filter = ["status", "is_public", "group__compact", "group"]
    search_fields = ["place", "group__name", "agenda_items__title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, AttendanceInline]
    list_select_related = ["group"]
    # The columns; the row's text is the group's name and the date.
    list_fields = ["group__name", "starts_at", "place", "status", "is_public"]
    raw_id_fields = ["moved_to"]

    def save_model(self, request, obj, form, change):
        services.meeting_update(meeting=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        rows, deleted = formset_rows(formset)
        services.meeting_rows_save(
            meeting=form.instance,
            rows=[row for row, _form in rows],
            deleted=deleted,
            actor=request.user,
        )
