"""The career resource hub. Public pages read through selectors; a member's own
self-assessments and career conversations are fetched through member-scoped selectors,
so anyone else's are a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from . import charts, contributions, selectors
from .exceptions import ResourcesError
from .forms import CareerConversationForm, ConversationShareForm, SelfAssessmentForm
from .models import HubArticle
from .services import (
    career_conversation_save,
    career_conversation_share,
    self_assessment_complete,
)


class IndexView(TemplateView):
    """The hub's sections: its own, and those the apps above it register
    (``resources.contributions``: "My career story" and the pledges are the alumni
    network's)."""

    template_name = "resources/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributed=contributions.sections(), **kwargs)


class HubSectionView(TemplateView):
    """One of the hub's article sections: entry routes or further resources, each
    article in full on the page (they are short); ``section`` names which."""

    section = HubArticle.Section.ENTRY_ROUTE
    template_name = "resources/hub_section.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            section_label=HubArticle.Section(self.section).label,
            articles=selectors.hub_articles(section=self.section),
            **kwargs,
        )


class InclusionJourneyListView(TemplateView):
    template_name = "resources/inclusion_journey_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            journeys=selectors.hub_articles(section=HubArticle.Section.INCLUSION_JOURNEY),
            **kwargs,
        )


class InclusionJourneyDetailView(DetailView):
    template_name = "resources/inclusion_journey_detail.html"
    context_object_name = "journey"

    def get_object(self, queryset=None):
        return selectors.inclusion_journey_get(slug=self.kwargs["slug"])


class FunctionalAreaListView(ListView):
    template_name = "resources/functionalarea_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        return selectors.functional_area_list()


class FunctionalAreaDetailView(DetailView):
    template_name = "resources/functionalarea_detail.html"
    context_object_name = "area"

    def get_object(self, queryset=None):
        return selectors.functional_area_get(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(areas=list(selectors.functional_area_list()), **kwargs)


class PathwayView(TemplateView):
    template_name = "resources/pathway.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(bands=selectors.pathway_get(), **kwargs)


class FrameworkListView(ListView):
    template_name = "resources/framework_list.html"
    context_object_name = "frameworks"

    def get_queryset(self):
        return selectors.framework_list()


class FrameworkDetailView(DetailView):
    template_name = "resources/framework_detail.html"
    context_object_name = "framework"

    def get_object(self, queryset=None):
        return selectors.framework_get(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.framework_grid(self.object),
            levels=[1, 2, 3, 4],
            **kwargs,
        )


# --- Self-assessment ---------------------------------------------------------------------


class SelfAssessmentListView(LoginRequiredMixin, TemplateView):
    """The member's self-assessments over time, and where to start a new one."""

    template_name = "resources/selfassessment_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=selectors.self_assessment_history(member=self.request.user),
            frameworks=selectors.framework_list().filter(competency_count__gt=0),
            **kwargs,
        )


class SelfAssessmentCreateView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "resources/selfassessment_form.html"
    form_class = SelfAssessmentForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.framework = selectors.framework_get(slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["competencies"] = self.framework.competencies.all()
        kwargs["wheel_items"] = selectors.wheel_items_active()
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(framework=self.framework, **kwargs)

    def form_valid(self, form):
        try:
            assessment = self_assessment_complete(
                member=self.request.user,
                framework=self.framework,
                competency_ratings=form.competency_ratings(),
                wheel_ratings=form.wheel_ratings(),
                reflection=form.cleaned_data["reflection"],
            )
        except ResourcesError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your self-assessment has been saved.")
        return HttpResponseRedirect(assessment.get_absolute_url())


class SelfAssessmentDetailView(LoginRequiredMixin, DetailView):
    """One assessment as charts and tables, compared with the one before it."""

    template_name = "resources/selfassessment_detail.html"
    context_object_name = "assessment"

    def get_object(self, queryset=None):
        return selectors.self_assessment_get(member=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        assessment = self.object
        previous = selectors.self_assessment_previous(assessment)
        competency_rows = selectors.rating_comparison(
            assessment.competency_ratings.all(),
            previous.competency_ratings.all() if previous else None,
            "competency",
        )
        wheel_rows = selectors.rating_comparison(
            assessment.wheel_ratings.all(),
            previous.wheel_ratings.all() if previous else None,
            "wheel_item",
        )
        return super().get_context_data(
            previous=previous,
            competency_rows=competency_rows,
            wheel_rows=wheel_rows,
            competency_chart=charts.rating_bars(
                competency_rows,
                chart_id="competency-chart",
                title=f"Your ratings against the {assessment.framework.name}",
            ),
            wheel_chart=charts.wheel(
                wheel_rows, chart_id="wheel-chart", title="Your development wheel"
            )
            if wheel_rows
            else "",
            **kwargs,
        )


# --- Career conversations ----------------------------------------------------------------


class ConversationListView(LoginRequiredMixin, ListView):
    template_name = "resources/careerconversation_list.html"
    context_object_name = "conversations"

    def get_queryset(self):
        return selectors.career_conversation_list(member=self.request.user)


class ConversationFormMixin(LoginRequiredMixin, DomainErrorFormMixin):
    template_name = "resources/careerconversation_form.html"
    form_class = CareerConversationForm
    conversation = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["wheel_items"] = selectors.wheel_items_active()
        kwargs["instance"] = self.conversation
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(conversation=self.conversation, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        wheel_items = data.pop("wheel_items")
        try:
            conversation = career_conversation_save(
                member=self.request.user,
                conversation=self.conversation,
                wheel_items=wheel_items,
                **data,
            )
        except ResourcesError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your career conversation preparation has been saved.")
        return HttpResponseRedirect(conversation.get_absolute_url())


class ConversationCreateView(ConversationFormMixin, FormView):
    pass


class ConversationUpdateView(ConversationFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.conversation = selectors.career_conversation_get(
                member=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)


class ConversationDetailView(LoginRequiredMixin, DetailView):
    """The preparation as a printable page, with the form to share it."""

    template_name = "resources/careerconversation_detail.html"
    context_object_name = "conversation"

    def get_object(self, queryset=None):
        return selectors.career_conversation_get(member=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("share_form", ConversationShareForm())
        return super().get_context_data(**kwargs)


class ConversationShareView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    form_class = ConversationShareForm
    template_name = "resources/careerconversation_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.conversation = selectors.career_conversation_get(
                member=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.conversation.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            conversation=self.conversation,
            share_form=kwargs.pop("form", None),
            **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        try:
            share = career_conversation_share(
                member=self.request.user, conversation=self.conversation, **form.cleaned_data
            )
        except ResourcesError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(
            self.request,
            f"Your career conversation preparation was emailed to {share.manager_email}.",
        )
        return HttpResponseRedirect(self.conversation.get_absolute_url())
