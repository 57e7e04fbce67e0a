from django.contrib import admin, messages

from programmes.models import Programme
from talenthub.core.admin import HTTPS_URLS
from talenthub.core.admin_filters import IndexedYearsMixin, KeptDateHierarchyMixin
from talenthub.core.admin_mixins import DomainErrorAdminMixin, ManagerAdminMixin
from talenthub.core.admin_rows import ListedFieldsMixin
from talenthub.core.permissions import ProviderScopedAdmin, user_provider

from . import moderation, services, services_talent
from .exceptions import AlumniError
from .models import (
    AlumniProfile,
    CareerEntry,
    CareerStory,
    MentoringOffer,
    MentoringRequest,
    Pledge,
    TalentAssessment,
    TalentPoolMember,
    Vacancy,
)


class CareerEntryInline(admin.TabularInline):
    model = CareerEntry
    fk_name = "user"
    extra = 0


@admin.register(AlumniProfile)
class AlumniProfileAdmin(ListedFieldsMixin, admin.ModelAdmin):
    list_display = ["user", "headline", "organisation", "career_level", "region", "visibility"]
    list_fields = ["user__email", "user__full_name", "headline", "organisation__name",
                   "career_level", "region", "visibility"]  # fmt: skip
    list_filter = ["visibility", "career_level", "region"]
    search_fields = ["user__full_name", "user__email", "headline", "current_role"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    filter_horizontal = ["functional_areas"]
    formfield_overrides = HTTPS_URLS
    # The photo is changed only by its owner, through alumni_profile_save: the admin's
    # image field would store an upload as sent (any size, its EXIF and GPS included).
    exclude = ["photo"]


@admin.register(CareerEntry)
class CareerEntryAdmin(
    ListedFieldsMixin, KeptDateHierarchyMixin, IndexedYearsMixin, admin.ModelAdmin
):
    list_display = ["user", "role", "organisation_name", "level", "started_on", "ended_on"]
    list_fields = ["user__email", "user__full_name", "role", "organisation_name", "level",
                   "started_on", "ended_on"]  # fmt: skip
    list_filter = ["level"]
    search_fields = ["user__full_name", "user__email", "role", "organisation_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "started_on"


class MentoringRequestInline(admin.TabularInline):
    model = MentoringRequest
    extra = 0
    raw_id_fields = ["mentee"]


@admin.register(MentoringOffer)
class MentoringOfferAdmin(admin.ModelAdmin):
    list_display = ["mentor", "topics", "capacity", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["mentor__full_name", "mentor__email", "topics"]
    list_select_related = ["mentor"]
    raw_id_fields = ["mentor"]
    inlines = [MentoringRequestInline]


@admin.register(MentoringRequest)
class MentoringRequestAdmin(admin.ModelAdmin):
    list_display = ["mentee", "offer", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["mentee__full_name", "offer__mentor__full_name"]
    list_select_related = ["mentee", "offer__mentor"]
    raw_id_fields = ["mentee", "offer"]


class ModerationActionsMixin:
    """Publish / do not publish actions for members' contributions, through their
    moderation service (``moderate``), each row on its own: a refused one is named."""

    def _moderate(self, request, queryset, publish):
        done = 0
        for item in queryset:
            try:
                self.moderate(item, request.user, publish)
                done += 1
            except AlumniError as exc:
                self.message_user(request, f"{item}: {exc}", messages.WARNING)
        plural = self.model._meta.verbose_name_plural
        self.message_user(request, f"{done} of the selected {plural} moderated.")

    @admin.action(description="Publish the selected %(verbose_name_plural)s")
    def publish(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description="Do not publish the selected %(verbose_name_plural)s")
    def reject(self, request, queryset):
        self._moderate(request, queryset, False)


@admin.register(CareerStory)
class CareerStoryAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = ["title", "author", "functional_area", "status", "created_at", "published_at"]
    list_filter = ["status", "functional_area", "career_level"]
    search_fields = ["title", "body", "author__full_name"]
    list_select_related = ["author", "functional_area"]
    raw_id_fields = ["author"]
    readonly_fields = ["status", "moderated_by", "published_at"]
    actions = ["publish", "reject"]

    moderate = staticmethod(
        lambda item, moderator, publish: services.career_story_moderate(
            story=item, moderator=moderator, publish=publish
        )
    )


@admin.register(Pledge)
class PledgeAdmin(ModerationActionsMixin, admin.ModelAdmin):
    """Pledges entered by staff are published as they are saved; a member's pledge waits
    for a moderator (here with the actions, or at /alumni/moderation/pledges/)."""

    list_display = ["leader_name", "leader_role", "organisation", "made_on", "status"]
    list_filter = ["status", "organisation__sector"]
    search_fields = ["leader_name", "statement", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["submitted_by"]
    readonly_fields = ["status", "submitted_by", "moderated_by", "moderated_at"]
    actions = ["publish", "reject"]

    moderate = staticmethod(
        lambda item, moderator, publish: moderation.pledge_moderate(
            pledge=item, moderator=moderator, publish=publish
        )
    )


class TalentAssessmentInline(ManagerAdminMixin, admin.StackedInline):
    model = TalentAssessment
    extra = 0
    readonly_fields = ["assessed_by"]


@admin.register(TalentPoolMember)
class TalentPoolMemberAdmin(DomainErrorAdminMixin, ManagerAdminMixin, ProviderScopedAdmin):
    """Pool members, scoped to the pools the manager's provider owns. Programme managers
    use it without per-model grants (ManagerAdminMixin: the demo pool manager had a 403);
    their own pages are under /alumni/talent/pools/<slug>/."""

    provider_lookup = "pool__owner"
    list_display = ["user", "pool", "target_level", "readiness", "home_region"]
    list_filter = ["readiness", "target_level", "home_region", "pool"]
    search_fields = ["user__full_name", "user__email", "skills"]
    list_select_related = ["user", "pool"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "mobility_regions",
        "open_to_secondment",
        "open_to_relocation",
        "share_with_employers",  # the member's own choice
        # Set by the service; as a field it was a list of every account's name (the
        # permission matrix found it once managers could open the page).
        "selected_by",
    ]
    filter_horizontal = ["functional_areas"]
    inlines = [TalentAssessmentInline]

    def has_add_permission(self, request):
        """Selecting a person is done on the pool's own page, by their email address
        (``alumni:pool_member_add``): the admin's raw id box would let a manager name
        any account by trying ids, so being a manager is not enough here (unlike view
        and change): only superusers and those given Django's add permission."""
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_readonly_fields(self, request, obj=None):
        # A membership is of one person in one pool: to move someone, remove and add.
        extra = ["pool", "user"] if obj is not None else []
        return [*extra, *super().get_readonly_fields(request, obj)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pool" and not request.user.is_superuser:
            # Only the pools the manager's provider owns (a manager with no provider: none).
            kwargs["queryset"] = Programme.objects.filter(owner=user_provider(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Selecting someone goes through ``pool_member_add`` and a change through
        ``pool_member_update``, as on the pool pages, so both are audited."""
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services_talent.MEMBER_FIELDS
            }
            services_talent.pool_member_update(member=obj, by=request.user, **fields)
            return
        member = services.pool_member_add(
            pool=obj.pool,
            user=obj.user,
            target_level=obj.target_level,
            readiness=obj.readiness,
            home_region=obj.home_region,
            skills=obj.skills,
            experience=obj.experience,
            selected_by=request.user,
        )
        obj.pk, obj.selected_by = member.pk, request.user
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        """The assessment (at most one per member) is written by the alumni service, as
        on the pool page, so who assessed and the audit entry are recorded the same way;
        the formset's lists are filled for the admin's own change message."""
        if formset.model is not TalentAssessment:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        member = form.instance
        for inline in formset.forms:
            if inline.cleaned_data.get("DELETE"):
                if inline.instance.pk:
                    services.talent_assessment_delete(member=member, manager=request.user)
                    formset.deleted_objects.append(inline.instance)
                continue
            if not inline.has_changed():
                continue
            created = inline.instance.pk is None
            assessment = services.talent_assessment_save(
                member=member,
                manager=request.user,
                summary=inline.cleaned_data["summary"],
                shared_with_member=inline.cleaned_data.get("shared_with_member", False),
            )
            if created:
                formset.new_objects.append(assessment)
            else:
                formset.changed_objects.append((assessment, inline.changed_data))
        return None


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["role", "organisation", "level", "region", "kind", "expected_on", "status"]
    list_filter = ["status", "kind", "level", "region"]
    search_fields = ["role", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "expected_on"
