"""Groups and their memberships."""

from django import forms
from django.contrib import admin

from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import Group, GroupMembership
from .scoping import CompactScopedAdmin, ScopedInlineMixin, formset_rows


class GroupMembershipAdminForm(forms.ModelForm):
    """Steering-group seats for voluntary and community sector bodies are limited to the
    bodies the compact's terms name (the same check as ``services.group_membership_add``)."""

    class Meta:
        model = GroupMembership
        fields = ["group", "person", "organisation", "role", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("group") or (self.instance.group if self.instance.group_id else None)
        organisation = cleaned.get("organisation")
        if group and organisation and group.is_steering:
            try:
                services.check_vcs_allowed(compact=group.compact, organisation=organisation)
            except services.CompactError as exc:
                self.add_error("organisation", exc.message)
        return cleaned


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = GroupMembership
    form = GroupMembershipAdminForm
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    can_delete = False  # a seat is ended (its end date), so attendance keeps its history


@admin.register(Group)
class GroupAdmin(CompactScopedAdmin):
    list_display = ["name", "compact", "kind", "priority", "starts_on", "ends_on"]
    list_filter = ["kind", "compact"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    list_select_related = ["compact", "priority"]

    def save_model(self, request, obj, form, change):
        if change:
            services.group_update(group=obj, actor=request.user, changed=form.changed_data)
            return
        # A new group is made by the service, as on the site: the same rules and its
        # audit entry. A refusal propagates (``DomainErrorAdminMixin`` shows it).
        fields = {name: value for name, value in form.cleaned_data.items() if name != "compact"}
        group = services.group_create(
            compact=form.cleaned_data["compact"], actor=request.user, **fields
        )
        # The admin goes on with ``obj`` (inlines, history entry, redirect).
        obj.pk, obj.reports_to, obj._state.adding = group.pk, group.reports_to, False

    def save_formset(self, request, form, formset, change):
        rows, _deleted = formset_rows(formset)
        for membership, membership_form in rows:
            services.group_membership_update(
                membership=membership, actor=request.user, changed=membership_form.changed_data
            )


@admin.register(GroupMembership)
class GroupMembershipAdmin(ListedFieldsMixin, CompactScopedAdmin):
    form = GroupMembershipAdminForm
    compact_lookup = "group__compact"
    list_display = ["person", "organisation", "group", "role", "starts_on", "ends_on"]
    list_filter = ["role", "group__compact", "group"]
    search_fields = ["person__full_name", "person__email", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation", "group"]
    # The columns; the row's text is the person's, the organisation's and the group's.
    list_fields = [
        "person__full_name",
        "person__email",
        "organisation__name",
        "group__name",
        "role",
        "starts_on",
        "ends_on",
    ]

    def save_model(self, request, obj, form, change):
        services.group_membership_update(
            membership=obj, actor=request.user, changed=form.changed_data
        )
