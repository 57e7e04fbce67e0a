"""The hub's content is managed here: the pathway, the frameworks and the development
wheel. Members' self-assessments and career conversations are private records: the admin
shows them read-only, for support, and never edits them."""

from django.contrib import admin
from django.db.models import Count

from programmes.admin import ProgrammeAdmin
from programmes.models import Programme
from talenthub.core.admin import HTTPS_URLS
from talenthub.core.aggregates import related_count

from .models import (
    CareerConversation,
    Competency,
    CompetencyIndicator,
    CompetencyRating,
    ConversationShare,
    DevelopmentOpportunity,
    Framework,
    HubArticle,
    PathwayLevel,
    PathwayRole,
    PathwayStep,
    ProgrammeSelectionFramework,
    SelfAssessment,
    WheelItem,
    WheelItemRating,
)

# --- Programmes' selection frameworks ---------------------------------------------------


class ProgrammeSelectionFrameworkInline(admin.StackedInline):
    """On the programme's admin page: the framework its applicants are selected against.
    Whoever may change the programme may set it (a programme manager of its owner, a
    superuser), as when it was a field of the programme."""

    model = ProgrammeSelectionFramework
    fields = ["framework"]
    extra = 0
    max_num = 1
    verbose_name = "selection framework"
    verbose_name_plural = "Selection"

    def _programme_admin(self):
        return self.admin_site._registry[Programme]

    def has_view_permission(self, request, obj=None):
        return self._programme_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._programme_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._programme_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._programme_admin().has_change_permission(request, obj)


# The catalogue sits below the hub and does not import it (docs/architecture.md), so the
# hub adds its inline to the programme's admin page from here.
ProgrammeAdmin.inlines = [*ProgrammeAdmin.inlines, ProgrammeSelectionFrameworkInline]


# --- Career pathway ----------------------------------------------------------------------


class DevelopmentOpportunityInline(admin.TabularInline):
    model = DevelopmentOpportunity
    extra = 1
    fields = ["kind", "title", "programme", "cipd_grade", "order"]


class PathwayStepInline(admin.TabularInline):
    model = PathwayStep
    extra = 0
    fields = ["order", "salary_bands"]
    show_change_link = True


@admin.register(PathwayLevel)
class PathwayLevelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "step_count", "opportunity_count"]
    # Four rows, but an editor looks for "where is the Chief People Officer?" or "which
    # level offers a CIPD grade?": search reaches the roles and opportunities.
    search_fields = [
        "summary",
        "steps__salary_bands",
        "steps__roles__title",
        "opportunities__title",
    ]
    list_filter = ["opportunities__kind", "opportunities__cipd_grade"]
    inlines = [PathwayStepInline, DevelopmentOpportunityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(  # subqueries: a join of both would count steps × opportunities
                step_total=related_count(PathwayStep.objects.all(), link="level"),
                opportunity_total=related_count(
                    DevelopmentOpportunity.objects.all(), link="pathway_level"
                ),
            )
        )

    @admin.display(description="Steps", ordering="step_total")
    def step_count(self, obj):
        return obj.step_total

    @admin.display(description="Development opportunities", ordering="opportunity_total")
    def opportunity_count(self, obj):
        return obj.opportunity_total


class PathwayRoleInline(admin.TabularInline):
    model = PathwayRole
    extra = 2
    fields = ["title", "order"]


@admin.register(PathwayStep)
class PathwayStepAdmin(admin.ModelAdmin):
    list_display = ["salary_bands", "level", "order", "role_titles"]
    list_filter = ["level"]
    list_editable = ["order"]
    search_fields = ["salary_bands", "roles__title"]
    list_select_related = ["level"]
    inlines = [PathwayRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description="Roles")
    def role_titles(self, obj):
        return ", ".join(role.title for role in obj.roles.all())


@admin.register(DevelopmentOpportunity)
class DevelopmentOpportunityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "pathway_level", "programme", "cipd_grade", "order"]
    list_filter = ["kind", "pathway_level", "cipd_grade"]
    search_fields = ["title", "programme__title"]
    list_select_related = ["pathway_level", "programme"]


# --- Competency frameworks ---------------------------------------------------------------


class CompetencyInline(admin.TabularInline):
    model = Competency
    extra = 1
    fields = ["name", "order", "description"]
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_published", "order", "competency_count"]
    list_filter = ["kind", "is_published"]
    list_editable = ["is_published", "order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompetencyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(competency_total=Count("competencies"))

    @admin.display(description="Competencies", ordering="competency_total")
    def competency_count(self, obj):
        return obj.competency_total


class CompetencyIndicatorInline(admin.StackedInline):
    model = CompetencyIndicator
    extra = 0
    max_num = 4
    fields = ["level", "text"]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "order"]
    list_filter = ["framework"]
    search_fields = ["name", "description", "indicators__text"]
    list_select_related = ["framework"]
    inlines = [CompetencyIndicatorInline]


# --- Development wheel -------------------------------------------------------------------


@admin.register(WheelItem)
class WheelItemAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active", "description"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


# --- Members' private records: read-only ------------------------------------------------


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CompetencyRatingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CompetencyRating
    fields = ["competency", "rating"]
    readonly_fields = fields
    can_delete = False
    extra = 0


class WheelItemRatingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WheelItemRating
    fields = ["wheel_item", "rating"]
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "framework", "created_at"]
    list_filter = ["framework", "created_at"]
    search_fields = ["member__email", "member__full_name"]
    list_select_related = ["member", "framework"]
    date_hierarchy = "created_at"
    inlines = [CompetencyRatingInline, WheelItemRatingInline]


class ConversationShareInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConversationShare
    fields = ["manager_email", "manager_name", "created_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(CareerConversation)
class CareerConversationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "member", "ambition", "planned_for", "updated_at"]
    list_filter = ["ambition", "target_level"]
    search_fields = ["title", "member__email", "member__full_name"]
    list_select_related = ["member"]
    inlines = [ConversationShareInline]


@admin.register(ConversationShare)
class ConversationShareAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["conversation", "manager_email", "created_at"]
    list_filter = ["created_at", "conversation__ambition"]
    search_fields = ["manager_email", "conversation__member__email"]
    list_select_related = ["conversation__member"]
    date_hierarchy = "created_at"


# --- Hub articles ------------------------------------------------------------------------


@admin.register(HubArticle)
class HubArticleAdmin(admin.ModelAdmin):
    """Entry routes, journeys to inclusion and further resources: the hub's own pages."""

    list_display = ["title", "section", "author_name", "order", "is_published"]
    list_filter = ["section", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "author_name", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = HTTPS_URLS
