"""Surveys: results for editors, and the form an invited person answers."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import SurveyResponseForm
from ..models import SurveyInvitation
from .compacts import CompactMixin


class SurveyListView(CompactMixin, TemplateView):
    required = "editor"
    template_name = "compact/survey_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            surveys=selectors.survey_results(compact=self.compact), **kwargs
        )


class SurveyDetailView(CompactMixin, TemplateView):
    """A survey's response rate and its usable answers, question by question."""

    required = "editor"
    template_name = "compact/survey_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            survey=selectors.survey_get(compact=self.compact, pk=self.kwargs["pk"]), **kwargs
        )


class SurveyRespondView(CompactMixin, DomainErrorFormMixin, FormView):
    """The invited person answers the survey (once)."""

    template_name = "compact/survey_respond.html"
    form_class = SurveyResponseForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_invitation(self):
        if not hasattr(self, "_invitation"):
            invitation = (
                SurveyInvitation.objects.select_related("survey")
                .filter(
                    survey__compact=self.compact,
                    survey__pk=self.kwargs["pk"],
                    person=self.request.user,
                )
                .first()
            )
            if invitation is None:
                raise Http404("No such survey.")
            self._invitation = invitation
        return self._invitation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["questions"] = self.get_invitation().survey.questions.all()
        return kwargs

    def form_valid(self, form):
        try:
            services.survey_respond(invitation=self.get_invitation(), answers=form.answers())
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Thank you: your answers have been recorded.")
        return redirect(self.compact.get_absolute_url())

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        return super().get_context_data(survey=invitation.survey, invitation=invitation, **kwargs)
