"""The secretariat's pages (issue 19, item 5): the work that was only in the admin,
for the compact's editors (secretariat and steering group members), each page scoped to
the compact in its URL (another compact's objects are a 404) and each write one service,
the same the admin calls. Group membership, scheduling meetings, sub-group reports for
the steering group, and the e-bulletin (compose, preview, confirm, send)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from talenthub.core.models import Organisation
from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import (
    ActionCreateForm,
    BulletinCreateForm,
    ConfirmSendForm,
    ConfirmSurveyForm,
    MeetingScheduleForm,
    MembershipAddForm,
    MembershipEndForm,
    NewsItemForm,
    SubgroupReportForm,
    SurveyCreateForm,
    SurveyQuestionForm,
)
from ..models import ActionPlan, Aim, Bulletin, Group, GroupMembership, Priority, Survey
from .compacts import CompactMixin
from .meetings import MeetingMixin


class EditorMixin(CompactMixin):
    required = "editor"


class SecretariatHomeView(EditorMixin, TemplateView):
    """Where the secretariat starts: its groups, drafts and the pages to run the compact."""

    template_name = "compact/secretariat/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            groups=list(Group.objects.filter(compact=self.compact).order_by("kind", "name")),
            plans=list(ActionPlan.objects.filter(compact=self.compact).order_by("title")),
            drafts=list(
                self.compact.bulletins.filter(status=Bulletin.Status.DRAFT).order_by("-number")
            ),
            **kwargs,
        )


class GroupMixin(EditorMixin):
    def get_group(self):
        if not hasattr(self, "_group"):
            self._group = selectors.group_get(compact=self.compact, pk=self.kwargs["group_pk"])
        return self._group


class GroupMembersView(GroupMixin, DomainErrorFormMixin, FormView):
    """A group's current members, and a seat added (``services.group_membership_add``:
    a steering seat needs a charter signatory, named VCS bodies only)."""

    template_name = "compact/secretariat/group_members.html"
    form_class = MembershipAddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": Organisation.objects.order_by("name")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.group_membership_add(
                group=self.get_group(),
                person=data["email"],
                organisation=data["organisation"],
                role=data["role"],
                starts_on=data["starts_on"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{data['email']} has joined the {self.get_group()}.")
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        group = self.get_group()
        members = (
            GroupMembership.objects.current(timezone.localdate())
            .filter(group=group)
            .select_related("person", "organisation")
            .order_by("role", "person__full_name")
        )
        return super().get_context_data(group=group, members=members, **kwargs)


class MembershipEndView(EditorMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/secretariat/membership_end.html"
    form_class = MembershipEndForm

    def get_membership(self):
        if not hasattr(self, "_membership"):
            membership = (
                GroupMembership.objects.filter(group__compact=self.compact, pk=self.kwargs["pk"])
                .select_related("group", "person", "organisation")
                .first()
            )
            if membership is None:
                raise Http404("No such membership.")
            self._membership = membership
        return self._membership

    def form_valid(self, form):
        membership = self.get_membership()
        try:
            services.group_membership_end(
                membership=membership, ends_on=form.cleaned_data["ends_on"], actor=self.request.user
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{membership.person}'s seat has been ended.")
        return redirect(
            "compact:group_members", slug=self.compact.slug, group_pk=membership.group_id
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.get_membership(), **kwargs)


class MeetingScheduleView(GroupMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/secretariat/meeting_schedule.html"
    form_class = MeetingScheduleForm

    def form_valid(self, form):
        try:
            meeting = services.meeting_schedule(
                group=self.get_group(),
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                agenda=form.cleaned_data["agenda"].splitlines(),
                is_public=form.cleaned_data["is_public"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The meeting has been scheduled.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.get_group(), **kwargs)


class SubgroupReportView(MeetingMixin, DomainErrorFormMixin, FormView):
    """A task-and-finish group's report, attached to a meeting of the group it reports
    to (``services.subgroup_report_attach``)."""

    required = "editor"
    template_name = "compact/secretariat/subgroup_report.html"
    form_class = SubgroupReportForm

    def get_form_kwargs(self):
        groups = Group.objects.filter(
            compact=self.compact, reports_to_id=self.get_meeting().group_id
        ).order_by("name")
        return {**super().get_form_kwargs(), "groups": groups}

    def form_valid(self, form):
        data = form.cleaned_data
        meeting = self.get_meeting()
        try:
            services.subgroup_report_attach(
                meeting=meeting,
                group=data["group"],
                uploaded=data["file"],
                title=data["title"],
                visibility=data["visibility"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The report has been added to the meeting's papers.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)


class ActionCreateView(EditorMixin, DomainErrorFormMixin, FormView):
    """A new action in one of the compact's plans (``services.action_create``)."""

    template_name = "compact/secretariat/action_create.html"
    form_class = ActionCreateForm

    def get_plan(self):
        if not hasattr(self, "_plan"):
            plan = ActionPlan.objects.filter(compact=self.compact, pk=self.kwargs["plan_pk"])
            self._plan = plan.select_related("compact").first()
            if self._plan is None:
                raise Http404("No such action plan.")
        return self._plan

    def get_form_kwargs(self):
        terms = selectors.terms_in_force(compact=self.compact)
        aims = Aim.objects.filter(terms=terms).order_by("order") if terms else Aim.objects.none()
        priorities = Priority.objects.filter(
            statement__compact=self.compact, statement__status="published"
        ).order_by("-statement__starts_on", "order")
        return {**super().get_form_kwargs(), "aims": aims, "priorities": priorities}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        aims = list(data.pop("aims"))
        lead = data.pop("lead_email")
        try:
            action = services.action_create(
                plan=self.get_plan(),
                aims=aims,
                lead_person=lead,
                actor=self.request.user,
                **data,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Action {action.code} added.")
        return redirect(action.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.get_plan(), **kwargs)


# The e-bulletin ---------------------------------------------------------------------------


class BulletinDraftsView(EditorMixin, DomainErrorFormMixin, FormView):
    """Draft issues, and a new one started."""

    template_name = "compact/secretariat/bulletin_drafts.html"
    form_class = BulletinCreateForm

    def form_valid(self, form):
        try:
            bulletin = services.bulletin_create(
                compact=self.compact, title=form.cleaned_data["title"], actor=self.request.user
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        return redirect("compact:bulletin_compose", slug=self.compact.slug, pk=bulletin.pk)

    def get_context_data(self, **kwargs):
        drafts = self.compact.bulletins.filter(status=Bulletin.Status.DRAFT).order_by("-number")
        return super().get_context_data(drafts=drafts, **kwargs)


class BulletinMixin(EditorMixin):
    def get_bulletin(self):
        if not hasattr(self, "_bulletin"):
            bulletin = (
                self.compact.bulletins.filter(pk=self.kwargs["pk"], status=Bulletin.Status.DRAFT)
                .prefetch_related("items")
                .first()
            )
            if bulletin is None:
                raise Http404("No such draft.")
            self._bulletin = bulletin
        return self._bulletin


class BulletinComposeView(BulletinMixin, DomainErrorFormMixin, FormView):
    """A draft as subscribers will read it (the preview), and a news item added."""

    template_name = "compact/secretariat/bulletin_compose.html"
    form_class = NewsItemForm

    def form_valid(self, form):
        try:
            services.bulletin_item_add(
                bulletin=self.get_bulletin(), actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "News item added.")
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(bulletin=self.get_bulletin(), **kwargs)


class BulletinSendView(BulletinMixin, DomainErrorFormMixin, FormView):
    """Confirmation before the bulk email: how many subscribers it goes to; sent only
    when the box is ticked (``services.bulletin_send``: once, with a news item)."""

    template_name = "compact/secretariat/bulletin_send.html"
    form_class = ConfirmSendForm

    def form_valid(self, form):
        bulletin = self.get_bulletin()
        try:
            services.bulletin_send(bulletin=bulletin, actor=self.request.user)
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"E-bulletin {bulletin.number} is being sent.")
        return redirect(bulletin.get_absolute_url())

    def get_context_data(self, **kwargs):
        bulletin = self.get_bulletin()
        return super().get_context_data(
            bulletin=bulletin,
            reach=services.bulletin_recipients(bulletin).count(),
            compose_url=reverse(
                "compact:bulletin_compose", kwargs={"slug": self.compact.slug, "pk": bulletin.pk}
            ),
            **kwargs,
        )


# Surveys ------------------------------------------------------------------------------------


class SurveyCreateView(EditorMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/secretariat/survey_create.html"
    form_class = SurveyCreateForm

    def get_form_kwargs(self):
        groups = Group.objects.filter(compact=self.compact).order_by("kind", "name")
        return {**super().get_form_kwargs(), "groups": groups}

    def form_valid(self, form):
        try:
            survey = services.survey_create(
                compact=self.compact, actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        return redirect("compact:survey_compose", slug=self.compact.slug, pk=survey.pk)


class SurveyMixin(EditorMixin):
    def get_survey(self):
        if not hasattr(self, "_survey"):
            survey = (
                Survey.objects.filter(compact=self.compact, pk=self.kwargs["pk"])
                .select_related("group")
                .prefetch_related("questions")
                .first()
            )
            if survey is None:
                raise Http404("No such survey.")
            self._survey = survey
        return self._survey


class SurveyComposeView(SurveyMixin, DomainErrorFormMixin, FormView):
    """A survey's questions, and one added (until it is sent)."""

    template_name = "compact/secretariat/survey_compose.html"
    form_class = SurveyQuestionForm

    def form_valid(self, form):
        try:
            services.survey_question_add(
                survey=self.get_survey(), actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Question added.")
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.get_survey(), **kwargs)


class SurveySendView(SurveyMixin, DomainErrorFormMixin, FormView):
    """Confirmation before the survey is emailed to the group's current members."""

    template_name = "compact/secretariat/survey_send.html"
    form_class = ConfirmSurveyForm

    def form_valid(self, form):
        survey = self.get_survey()
        try:
            invited = services.survey_send(survey=survey, actor=self.request.user)
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"The survey has been sent to {invited} people.")
        return redirect("compact:survey_detail", slug=self.compact.slug, pk=survey.pk)

    def get_context_data(self, **kwargs):
        survey = self.get_survey()
        reach = (
            GroupMembership.objects.current(timezone.localdate())
            .filter(group=survey.group)
            .exclude(person__survey_invitations__survey=survey)
            .values("person")
            .distinct()
            .count()
        )
        return super().get_context_data(survey=survey, reach=reach, **kwargs)
