"""Managers' completion page (completion by rule, issue 18 item 4) and reviewers' scoring
of project reports (item 7). Objects come through scoped selectors: another provider's
cohort, or a cohort the user does not review, is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from talenthub.core.permissions import ProgrammeManagerRequiredMixin
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services
from .exceptions import CohortError
from .forms import CompletionForm, ProjectReviewForm
from .models import ProjectReview


class CompletionView(ProgrammeManagerRequiredMixin, DomainErrorFormMixin, TemplateView):
    """A cohort's participants against its version's completion rule: what each has
    done, what is missing, and a button to mark them completed (with a reason when the
    rule does not hold). A cohort holds at most its capacity of participants, so the
    page is not paginated; its queries do not grow with them."""

    template_name = "cohorts/completion.html"

    def get_cohort(self):
        return get_object_or_404(
            selectors.cohorts_managed_by(self.request.user).select_related("version__programme"),
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = kwargs.get("cohort") or self.get_cohort()
        refused_form = kwargs.get("refused_form")
        rows = []
        for participant in selectors.participants_for_completion(cohort):
            progress = services.completion_progress(participant, attended=participant.present_count)
            refused_here = refused_form is not None and (
                refused_form.cleaned_data.get("participant") == participant.pk
            )
            form = (
                refused_form
                if refused_here
                else CompletionForm(
                    initial={"participant": participant.pk}, prefix=f"p{participant.pk}"
                )
            )
            rows.append({"participant": participant, "progress": progress, "form": form})
        context.update(cohort=cohort, version=cohort.version, rows=rows, refused_form=refused_form)
        return context

    def post(self, request, slug):
        cohort = self.get_cohort()
        prefix = next(
            (key.split("-", 1)[0] for key in request.POST if key.endswith("-participant")), None
        )
        form = CompletionForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return redirect("cohorts:completion", slug=cohort.slug)
        participant = get_object_or_404(
            cohort.participants.active(), pk=form.cleaned_data["participant"]
        )
        try:
            services.participant_mark_completed(
                participant=participant,
                actor=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except CohortError as refusal:
            refusal.add_to_form(form)
            return self.render_to_response(self.get_context_data(cohort=cohort, refused_form=form))
        messages.success(
            request, f"{participant.user.get_full_name()} has been marked as completed."
        )
        return redirect("cohorts:completion", slug=cohort.slug)


class ProjectReviewView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """A named reviewer scores one project report against the version's criteria and
    comments on it; saving again revises their review. Anyone else: 404."""

    template_name = "cohorts/project_review_form.html"
    form_class = ProjectReviewForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = selectors.cohort_for_reports(request.user, kwargs["slug"])
            self.work = selectors.project_work_for_review(request.user, self.cohort, kwargs["pk"])
            self.criteria = list(selectors.review_criteria_of(self.cohort))
            self.review = (
                ProjectReview.objects.filter(project_work=self.work, reviewer=request.user)
                .prefetch_related("scores")
                .first()
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["criteria"] = self.criteria
        if self.review is not None and self.request.method == "GET":
            initial = {"comment": self.review.comment}
            for score in self.review.scores.all():
                initial[f"criterion_{score.criterion_id}"] = score.score
            kwargs["initial"] = initial
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cohort=self.cohort, work=self.work, review=self.review)
        return context

    def form_valid(self, form):
        try:
            services.project_review_save(
                project_work=self.work,
                reviewer=self.request.user,
                comment=form.cleaned_data["comment"],
                scores=form.scores(),
            )
        except CohortError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Your review of “{self.work.title}” has been saved.")
        return redirect("cohorts:project_reports", slug=self.cohort.slug)
