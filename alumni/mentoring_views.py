"""Mentoring pages added by issue 19, item 2: suggested mentors, the relationship page
(goals, agreed frequency, session log, closing reviews) and programme figures."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from talenthub.core.permissions import ProgrammeManagerRequiredMixin
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors_mentoring, services_mentoring
from .exceptions import AlumniError
from .talent_forms import AgreementForm, ReviewForm, SessionForm, SuggestionForm


class SuggestionsView(LoginRequiredMixin, TemplateView):
    template_name = "alumni/mentoring_suggestions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SuggestionForm(self.request.GET or None)
        looking_for = form.cleaned_data["looking_for"] if form.is_valid() else ""
        context.update(
            form=form,
            suggestions=selectors_mentoring.suggested_mentors(self.request.user, looking_for),
        )
        return context


class RelationshipView(LoginRequiredMixin, DomainErrorFormMixin, TemplateView):
    """A mentoring relationship, for its mentor and mentee only (anyone else: 404)."""

    template_name = "alumni/mentoring_relationship.html"
    forms = {"agreement": AgreementForm, "session": SessionForm, "review": ReviewForm}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        relationship = selectors_mentoring.relationship_for_party(self.request.user, kwargs["pk"])
        is_mentor = relationship.offer.mentor_id == self.request.user.pk
        bound = kwargs.get("bound", {})
        own_review = relationship.mentor_review if is_mentor else relationship.mentee_review
        context.update(
            relationship=relationship,
            is_mentor=is_mentor,
            other=relationship.mentee if is_mentor else relationship.offer.mentor,
            agreement_form=bound.get("agreement")
            or AgreementForm(
                initial={"goals": relationship.goals, "frequency": relationship.frequency}
            ),
            session_form=bound.get("session") or SessionForm(),
            review_form=bound.get("review") or ReviewForm(initial={"review": own_review}),
        )
        return context

    def post(self, request, pk):
        relationship = selectors_mentoring.relationship_for_party(request.user, pk)
        kind = request.POST.get("form")
        if kind not in self.forms:
            return redirect("alumni:relationship", pk=pk)
        form = self.forms[kind](request.POST)
        if form.is_valid():
            try:
                if kind == "agreement":
                    services_mentoring.mentoring_agreement_save(
                        relationship=relationship, by=request.user, **form.cleaned_data
                    )
                elif kind == "session":
                    services_mentoring.mentoring_session_log(
                        relationship=relationship, by=request.user, **form.cleaned_data
                    )
                else:
                    services_mentoring.mentoring_review_save(
                        relationship=relationship, by=request.user, **form.cleaned_data
                    )
            except AlumniError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, "Saved.")
                return redirect("alumni:relationship", pk=pk)
        return self.render_to_response(self.get_context_data(pk=pk, bound={kind: form}))


class FiguresView(ProgrammeManagerRequiredMixin, TemplateView):
    """Mentoring figures for the alumni of the manager's programmes: counts only."""

    template_name = "alumni/mentoring_figures.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=selectors_mentoring.mentoring_figures(self.request.user), **kwargs
        )
