"""The compact records in the admin. Superusers see everything; the secretariat and
steering group members of a compact (made staff in the "Compact secretariat" group by
``services.role_grant``) see only the rows of the compacts they edit, and may choose only
those compacts' rows in foreign keys. Rules across rows live in the models' ``clean()``
and the services, so they hold here as on the site."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from talenthub.core.permissions import ScopedListFiltersMixin, scope_raw_id_widget

from . import services
from .models import (
    Action,
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    Bulletin,
    BulletinListing,
    BulletinSubscription,
    CharterSignatory,
    CharterVersion,
    Compact,
    CompactRole,
    Document,
    Group,
    GroupMembership,
    Meeting,
    NewsItem,
    PrioritiesStatement,
    Priority,
    ProgressUpdate,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    TermsOfReference,
)
from .selectors import compacts_edited_by, terms_in_force

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


class CompactScopedAdmin(ScopedListFiltersMixin, admin.ModelAdmin):
    """Rows reach their compact through ``compact_lookup``; foreign keys and many-to-many
    fields to compact models offer only rows of the compacts the user edits."""

    compact_lookup = "compact"

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
    list_filter = [("facilitating_agency", admin.RelatedOnlyFieldListFilter), "established_on"]
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


class AimInline(admin.TabularInline):
    model = Aim
    extra = 0
    fields = ["order", "number", "text", "parent"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(CompactScopedAdmin):
    list_display = ["compact", "version", "title", "adopted_on", "review_due_on"]
    list_filter = ["compact"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "adopted_on"
    inlines = [AimInline]
    list_select_related = ["compact"]


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


@admin.register(Group)
class GroupAdmin(CompactScopedAdmin):
    list_display = ["name", "compact", "kind", "priority", "starts_on", "ends_on"]
    list_filter = ["kind", "compact"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    list_select_related = ["compact", "priority"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(CompactScopedAdmin):
    form = GroupMembershipAdminForm
    compact_lookup = "group__compact"
    list_display = ["person", "organisation", "group", "role", "starts_on", "ends_on"]
    list_filter = ["role", "group__compact", "group"]
    search_fields = ["person__full_name", "person__email", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation", "group"]


class ActionInline(ScopedInlineMixin, admin.TabularInline):
    """Status and progress change only through dated progress updates (the action's
    page), as in ``ActionAdmin``."""

    model = Action
    extra = 0
    fields = [
        "code",
        "theme",
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


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    readonly_fields = ["on", "author", "status", "percent_complete", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # updates go through the service (the action's page)


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
class ActionAdmin(CompactScopedAdmin):
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
    inlines = [ProgressUpdateInline]
    list_select_related = ["plan", "lead_person", "lead_organisation"]
    readonly_fields = ["status", "percent_complete"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "aims":
            aims = aims_in_force()
            if not request.user.is_superuser:
                aims = aims.filter(terms__compact__in=compacts_edited_by(request.user))
            kwargs["queryset"] = aims
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(CompactScopedAdmin):
    compact_lookup = "group__compact"
    list_display = ["group", "starts_at", "place", "status", "is_public"]
    list_filter = ["status", "is_public", "group__compact", "group"]
    search_fields = ["place", "group__name", "agenda_items__title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, AttendanceInline]
    list_select_related = ["group"]
    raw_id_fields = ["moved_to"]


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


@admin.register(CharterSignatory)
class CharterSignatoryAdmin(CompactScopedAdmin):
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
    date_hierarchy = "renewal_due_on"


@admin.register(Document)
class DocumentAdmin(CompactScopedAdmin):
    """Uploads go through the site's pages (``services.document_upload`` checks the
    content): the meeting's page for papers and minutes, the documents page otherwise.
    Here an existing document's details can be corrected; ``Document.clean`` keeps its
    meeting within its compact."""

    list_display = ["title", "compact", "kind", "visibility", "published_on", "size"]
    list_filter = ["kind", "visibility", "compact"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]
    raw_id_fields = ["meeting"]

    def has_add_permission(self, request):
        return False  # uploads are validated by the service (the documents page)


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(CompactScopedAdmin):
    list_display = ["title", "compact", "group", "sent_on"]
    list_filter = ["compact"]
    search_fields = ["title"]
    inlines = [QuestionInline]
    actions = ["send"]

    @admin.action(description="Send to the group's current members")
    def send(self, request, queryset):
        for survey in queryset:
            try:
                count = services.survey_send(survey=survey)
            except services.CompactError as exc:
                self.message_user(request, f"{survey}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{survey}: {count} invitations sent.")


class ReadOnlyMixin:
    """Replies are what people said: shown, never edited or added here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SurveyAnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    fields = ["question", "text", "yes", "scale"]
    readonly_fields = fields


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(CompactScopedAdmin):
    compact_lookup = "survey__compact"
    list_display = ["survey", "person", "responded_on", "usable"]
    list_filter = ["usable", "survey"]
    search_fields = ["person__full_name", "person__email"]
    list_select_related = ["survey", "person"]
    autocomplete_fields = ["person"]
    inlines = [SurveyAnswerInline]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ReadOnlyMixin, CompactScopedAdmin):
    compact_lookup = "invitation__survey__compact"
    list_display = ["question", "invitation", "text", "yes", "scale"]
    list_filter = ["invitation__survey__compact", "invitation__survey"]
    search_fields = ["text", "question__text"]
    list_select_related = ["question", "invitation__survey", "invitation__person"]


class NewsItemInline(admin.StackedInline):
    model = NewsItem
    extra = 1


class BulletinListingInline(ReadOnlyMixin, admin.TabularInline):
    """What a sent issue announced as coming up (copied when it was sent)."""

    model = BulletinListing
    extra = 0
    fields = ["order", "kind", "title", "starts_at", "place", "path"]
    readonly_fields = fields


@admin.register(Bulletin)
class BulletinAdmin(CompactScopedAdmin):
    list_display = ["number", "title", "compact", "status", "sent_at"]
    list_filter = ["status", "compact"]
    search_fields = ["title", "items__title"]
    inlines = [NewsItemInline, BulletinListingInline]
    readonly_fields = ["status", "sent_at"]
    actions = ["send"]

    @admin.action(description="Send to subscribers and publish in the archive")
    def send(self, request, queryset):
        for bulletin in queryset:
            try:
                batches = services.bulletin_send(bulletin=bulletin, actor=request.user)
            except services.CompactError as exc:
                self.message_user(request, f"{bulletin}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{bulletin}: sending in {batches} batch(es).")


@admin.register(BulletinSubscription)
class BulletinSubscriptionAdmin(CompactScopedAdmin):
    """Who receives a compact's e-bulletin. A subscription is the person's own consent
    (PECR), given on the compact's page: staff see and may remove one, never add or
    change one (the add form's person list also showed every member to every compact)."""

    list_display = ["user", "compact", "created_at"]
    list_filter = ["compact"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "compact"]
    readonly_fields = ["user", "compact", "created_at"]
    fields = ["user", "compact", "created_at"]

    def has_add_permission(self, request):
        return False
