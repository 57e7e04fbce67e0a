"""Surveys, their questions, invitations and the answers (read-only)."""

from django.contrib import admin, messages

from talenthub.core.admin_mixins import ReadOnlyAdminMixin
from talenthub.core.admin_rows import ListedFieldsMixin

from .. import services
from ..models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion
from .scoping import CompactScopedAdmin


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


class SurveyAnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    fields = ["question", "text", "yes", "scale"]
    readonly_fields = fields


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ListedFieldsMixin, CompactScopedAdmin):
    compact_lookup = "survey__compact"
    list_display = ["survey", "person", "responded_on", "usable"]
    list_filter = ["usable", "survey"]
    search_fields = ["person__full_name", "person__email"]
    list_select_related = ["survey", "person"]
    # The columns; the row's text is the survey's and the person's.
    list_fields = ["survey__title", "person__full_name", "person__email", "responded_on", "usable"]
    autocomplete_fields = ["person"]
    inlines = [SurveyAnswerInline]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ListedFieldsMixin, ReadOnlyAdminMixin, CompactScopedAdmin):
    compact_lookup = "invitation__survey__compact"
    list_display = ["question", "invitation", "text", "yes", "scale"]
    list_filter = ["invitation__survey__compact", "invitation__survey"]
    search_fields = ["text", "question__text"]
    list_select_related = ["question", "invitation__survey", "invitation__person"]
    # The columns (the question's number and text, the invitation's survey and person)
    # and the row's text (the question and the person).
    list_fields = [
        "question__order",
        "question__text",
        "invitation__survey__title",
        "invitation__person__full_name",
        "invitation__person__email",
        "text",
        "yes",
        "scale",
    ]
