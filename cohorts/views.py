"""Screens for applicants, participants, line managers, reviewers and managers. Objects are
fetched through scoped selectors, so what a user may not see is a 404."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import InvalidPage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.views import View
from django.views.generic import FormView, TemplateView

from programmes.models import ProgrammeVersion
from talenthub.core.import_views import BulkImportView
from talenthub.core.page_cache import kept_fragment
from talenthub.core.pagination import CountWhenFullPaginator
from talenthub.core.permissions import ProgrammeManagerRequiredMixin, user_provider
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services
from .certificates import (
    certificate_pdf,
    formatted_code,
    normalised_code,
    verification_url,
)
from .exceptions import CohortError
from .forms import (
    ApplicationForm,
    FeedbackForm,
    LineManagerSupportForm,
    ProjectWorkForm,
    VisibilityForm,
    question_field_name,
)
from .imports import ParticipantImport
from .models import Application, ApplicationQuestion, Attendance, Cohort, Session
from .uploads import CONTENT_TYPES


class IndexView(TemplateView):
    """Cohorts open for applications; for a signed-in person, their applications and
    cohorts too."""

    template_name = "cohorts/cohort_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_cohorts"] = selectors.cohorts_open_for_applications()
        user = self.request.user
        if user.is_authenticated:
            context["applications"] = selectors.applications_of(user)
            context["participations"] = selectors.participations_of(user).active()
            context["reviewing"] = selectors.cohorts_reviewed_by(user)
        return context


class CohortDetailView(TemplateView):
    template_name = "cohorts/cohort_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = selectors.cohort_public_detail(self.kwargs["slug"])
        context["cohort"] = cohort
        context["accepting"] = cohort.is_accepting_applications()
        if self.request.user.is_authenticated:
            context["application"] = cohort.applications.filter(applicant=self.request.user).first()
        return context


class ApplyView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """Write, save and submit an application. "Save as draft" keeps a partial answer;
    "Submit application" requires every required answer and an open window."""

    template_name = "cohorts/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        self.cohort = selectors.cohort_public_detail(kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_existing(self):
        if not self.request.user.is_authenticated:
            return None
        return (
            self.cohort.applications.filter(applicant=self.request.user)
            .prefetch_related("answers", "competency_scores")
            .first()
        )

    def get(self, request, *args, **kwargs):
        existing = self.get_existing()
        if existing and not existing.is_editable:
            return redirect(existing)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.questions = ApplicationQuestion.objects.for_cohort(self.cohort)
        kwargs["questions"] = self.questions
        kwargs["competencies"] = services.framework_competencies(self.cohort)
        kwargs["submitting"] = "submit" in self.request.POST
        existing = self.get_existing()
        if existing and self.request.method == "GET":
            initial = {
                "line_manager_name": existing.line_manager_name,
                "line_manager_email": existing.line_manager_email,
            }
            answers = {a.question_id: a.text for a in existing.answers.all()}
            for question in self.questions:
                initial[question_field_name(question)] = answers.get(question.pk, "")
            for score in existing.competency_scores.all():
                initial[f"competency_{score.competency_id}"] = score.self_rating
            kwargs["initial"] = initial
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["application"] = self.get_existing()
        context["accepting"] = self.cohort.is_accepting_applications()
        return context

    def form_valid(self, form):
        try:
            application = services.application_save_draft(
                cohort=self.cohort,
                applicant=self.request.user,
                answers=form.answers(),
                line_manager_name=form.cleaned_data["line_manager_name"],
                line_manager_email=form.cleaned_data["line_manager_email"],
                self_ratings=form.self_ratings(),
            )
        except CohortError as exc:
            return self.domain_error_form_invalid(form, exc)
        if not form.submitting:
            messages.success(self.request, "Your draft application has been saved.")
            return redirect(reverse("cohorts:apply", kwargs={"slug": self.cohort.slug}))
        try:
            services.application_submit(application=application)
        except CohortError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your application has been submitted.")
        return redirect(application)


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "cohorts/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = selectors.application_of(self.request.user, self.kwargs["pk"])
        context["application"] = application
        context["cohort"] = application.cohort
        context["answers"] = application.answers.select_related("question")
        context["self_ratings"] = application.competency_scores.select_related("competency")
        context["waiting_position"] = selectors.waiting_list_position(application)
        if application.status not in {
            Application.Status.DRAFT,
            Application.Status.UNSUCCESSFUL,
            Application.Status.WITHDRAWN,
        }:
            context["funding"] = selectors.place_funding(
                application.cohort,
                application.applicant,
                getattr(application, "participant", None),
            )
        context["offer_open"] = (
            application.status == Application.Status.OFFERED
            and application.offer_expires_at > timezone.now()
        )
        context["can_resend_to_line_manager"] = (
            bool(application.line_manager_email)
            and application.line_manager_confirmed_at is None
            and application.status
            in {
                Application.Status.SUBMITTED,
                Application.Status.WAITING,
                Application.Status.OFFERED,
            }
        )
        if context["can_resend_to_line_manager"]:
            available_at = services.line_manager_resend_available_at(application)
            if available_at and available_at > timezone.now():
                context["line_manager_resend_at"] = available_at
        return context


class ApplicationActionView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST only: accept or decline an offer, withdraw an application, or send the line
    manager's request again."""

    action = None
    http_method_names = ["post"]

    def post(self, request, pk):
        application = selectors.application_of(request.user, pk)
        with self.domain_error_message():
            if self.action == "accept":
                services.offer_accept(application=application, user=request.user)
                messages.success(request, "You have accepted your place. Welcome to the cohort.")
                return redirect("cohorts:participant_home", slug=application.cohort.slug)
            if self.action == "resend_line_manager":
                services.line_manager_support_resend(application=application, user=request.user)
                messages.success(
                    request,
                    "We have emailed your line manager again with a new link "
                    f"({application.line_manager_email}).",
                )
                return redirect(application)
            if self.action == "decline":
                services.offer_decline(application=application, user=request.user)
                messages.success(request, "You have declined the offer.")
            else:
                services.application_withdraw(application=application, user=request.user)
                messages.success(request, "Your application has been withdrawn.")
        return redirect(application)


class LineManagerSupportView(FormView):
    """A line manager confirms support through the signed link in their email; no account
    is needed."""

    template_name = "cohorts/line_manager_support.html"
    form_class = LineManagerSupportForm

    def dispatch(self, request, *args, **kwargs):
        try:
            self.application = services.application_from_line_manager_token(kwargs["token"])
        except CohortError as exc:
            raise Http404(exc.message) from exc
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.application
        context["cohort"] = self.application.cohort
        return context

    def form_valid(self, form):
        services.line_manager_support_confirm(
            token=self.kwargs["token"], comment=form.cleaned_data["comment"]
        )
        messages.success(self.request, "Thank you. Your support has been recorded.")
        return redirect(self.request.path)


class ParticipantHomeView(LoginRequiredMixin, FormView):
    """A participant's cohort page: schedule, modules, fellow participants who chose to
    be visible, their own attendance, project work, feedback and certificate."""

    template_name = "cohorts/participant_home.html"
    form_class = VisibilityForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.participant = selectors.participation_of(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"visible_to_cohort": self.participant.visible_to_cohort}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.participant
        cohort = participant.cohort
        attendance = {a.session_id: a for a in participant.attendance.all()}
        sessions = list(cohort.sessions.select_related("module"))
        for session in sessions:
            session.my_attendance = attendance.get(session.pk)
        context.update(
            participant=participant,
            cohort=cohort,
            sessions=sessions,
            modules=cohort.version.modules.all(),
            fellows=selectors.fellow_participants(participant),
            project_work=getattr(participant, "project_work", None),
            feedback_open=services.feedback_is_open(participant),
            has_feedback=hasattr(participant, "feedback"),
            completion_unmet=services.completion_progress(participant).unmet,
        )
        return context

    def form_valid(self, form):
        services.participant_set_visibility(
            participant=self.participant, visible=form.cleaned_data["visible_to_cohort"]
        )
        messages.success(self.request, "Your choice has been saved.")
        return redirect("cohorts:participant_home", slug=self.participant.cohort.slug)


class ProjectWorkSubmitView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "cohorts/projectwork_form.html"
    form_class = ProjectWorkForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.participant = selectors.participation_of(request.user, kwargs["slug"])
            if not self.participant.cohort.version.offers_project_work:
                raise Http404("This cohort has no project work.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.participant, "project_work", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.participant.cohort
        context["project_work"] = getattr(self.participant, "project_work", None)
        return context

    def form_valid(self, form):
        try:
            services.project_work_submit(
                participant=self.participant,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                profession_map_area=form.cleaned_data["profession_map_area"],
                upload=form.cleaned_data["report"],
            )
        except CohortError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your project work has been submitted.")
        return redirect("cohorts:participant_home", slug=self.participant.cohort.slug)


class ProjectWorkDownloadView(View):
    """Serve a project report to its participant, the cohort's managers and the
    celebration event's reviewers only; a 404 for anyone else."""

    def get(self, request, pk):
        work = selectors.project_work_visible_to(request.user, pk)
        response = FileResponse(
            work.file.open("rb"),
            as_attachment=True,
            filename=work.original_filename,
            content_type=CONTENT_TYPES[work.file_type],
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ProjectReportsView(LoginRequiredMixin, TemplateView):
    """The cohort's project reports, for its managers (with every reviewer's scores and
    comments) and reviewers (with their own review and a link to write it)."""

    template_name = "cohorts/projectwork_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cohort = selectors.cohort_for_reports(user, self.kwargs["slug"])
        context["cohort"] = cohort
        context["works"] = selectors.project_works_with_reviews(cohort, user)
        context["is_manager"] = selectors.can_manage_cohort(user, cohort)
        context["is_reviewer"] = selectors.is_cohort_reviewer(user, cohort)
        context["criteria"] = list(selectors.review_criteria_of(cohort))
        return context


class FeedbackView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "cohorts/feedback_form.html"
    form_class = FeedbackForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.participant = selectors.participation_of(request.user, kwargs["slug"])
            self.modules = list(self.participant.cohort.version.modules.all())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["modules"] = self.modules
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.participant.cohort
        context["feedback_open"] = services.feedback_is_open(self.participant)
        context["has_feedback"] = hasattr(self.participant, "feedback")
        return context

    def form_valid(self, form):
        try:
            services.feedback_submit(
                participant=self.participant,
                overall_rating=form.cleaned_data["overall_rating"],
                comments=form.cleaned_data["comments"],
                module_ratings=form.module_ratings(),
            )
        except CohortError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Thank you for your feedback.")
        return redirect("cohorts:participant_home", slug=self.participant.cohort.slug)


class CertificateView(LoginRequiredMixin, TemplateView):
    """A printable certificate for a participant who completed."""

    template_name = "cohorts/certificate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = selectors.participation_of(self.request.user, self.kwargs["slug"])
        if participant.status != participant.Status.COMPLETED:
            raise Http404
        context["participant"] = participant
        context["cohort"] = participant.cohort
        context["code"] = formatted_code(participant.certificate_code)
        context["verify_url"] = verification_url(self.request, participant)
        context["cpd_hours"] = selectors.cpd_hours_of(participant)
        return context


class CertificatePdfView(LoginRequiredMixin, View):
    """The same certificate as a one-page, tagged PDF."""

    def get(self, request, slug):
        participant = selectors.participation_of(request.user, slug)
        if participant.status != participant.Status.COMPLETED:
            raise Http404
        pdf = certificate_pdf(participant, verify_url=verification_url(request, participant))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="certificate-{slug}.pdf"'
        return response


class CertificateVerifyView(TemplateView):
    """Public: anyone holding a certificate's code (an employer) can check it is genuine.
    Shows what the certificate shows (holder, programme and version, completion date) and
    nothing more. An unknown code is a 404; misses are rate-limited per client address
    (``CERTIFICATE_CHECK_RATE_LIMIT``), though with ~98-bit codes guessing is hopeless
    anyway. Not for search engines (``X-Robots-Tag`` and a robots meta tag)."""

    template_name = "cohorts/certificate_verify.html"

    def get(self, request, *args, **kwargs):
        from allauth.core.internal import ratelimit  # noqa: PLC0415 (as ContactView)

        config = {"certificate_check": settings.TALENTHUB["CERTIFICATE_CHECK_RATE_LIMIT"]}
        limits = {"app": "talenthub", "action": "certificate_check", "config": config}
        # Check without counting first: a client that has used up its misses is refused
        # even a right code, so trying many codes and then a known one tells nothing.
        if not ratelimit.consume(request, limit_get=True, dry_run=True, **limits):
            response = render(request, "429.html", status=429)
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response
        participant = selectors.certificate_by_code(normalised_code(kwargs["code"]))
        if participant is None:
            ratelimit.consume(request, limit_get=True, **limits)
            raise Http404
        response = self.render_to_response(
            self.get_context_data(
                participant=participant,
                cohort=participant.cohort,
                code=formatted_code(participant.certificate_code),
                cpd_hours=selectors.cpd_hours_of(participant),
            )
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ParticipantImportView(ProgrammeManagerRequiredMixin, BulkImportView):
    """Enrol a list of people in a cohort the manager's provider runs (a franchisee's or
    another provider's cohort is a 404), from a CSV of email addresses."""

    spec = ParticipantImport()
    what = "participants"

    def get_target(self):
        return get_object_or_404(
            selectors.cohorts_managed_by(self.request.user), slug=self.kwargs["slug"]
        )

    def get_back_url(self):
        return reverse("cohorts:manage")

    def success_message(self, result):
        return f"{len(result.rows)} participants enrolled in {self.target}."


def _url_for_each(name: str, key: str, values) -> list[str]:
    """``reverse(name, kwargs={key: value})`` for each value, reversing once: a page of
    rows asked the resolver three times a row. The values are primary keys or slugs
    (quoted as ``reverse`` quotes them)."""
    # A value no URL holds otherwise; digits, for a pattern whose converter takes only them.
    sentinel = "__value__" if any(not isinstance(v, int) for v in values) else 918273645546372819
    pattern = reverse(name, kwargs={key: sentinel})
    sentinel = str(sentinel)
    return [pattern.replace(sentinel, quote(str(value), safe="")) for value in values]


class ManageIndexView(ProgrammeManagerRequiredMixin, TemplateView):
    """The cohorts a manager runs (and, for a programme's owner, its franchisees'
    cohorts), with places and links to the admin and reports. Counted only when the page
    is full (``CountWhenFullPaginator``); each row's links and status label are worked
    out here once per page, not by the template per row (issue 21).

    Everything below the heading depends only on the data, the manager's provider and
    whether they are a superuser, so it is kept per data version
    (``page_cache.kept_fragment``): a manager coming back sees it without its seven
    queries, and any committed change shows on the next request (issue 21)."""

    template_name = "cohorts/manage_cohort_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        provider = user_provider(user)
        context["cohort_tables"] = kept_fragment(
            "cohorts-manage",
            self.request,
            vary_on=(user.is_superuser, provider.pk if provider else None),
            render=lambda: render_to_string(
                "cohorts/_manage_cohort_tables.html", self.tables_context(), self.request
            ),
        )
        return context

    def get_queryset(self):
        return (
            selectors.cohorts_visible_to(self.request.user)
            .with_place_counts()
            .order_by("-starts_on", "name")
        )

    def get_page(self):
        """The page asked for, as ``ListView`` gives it: a 404 past the end."""
        paginator = CountWhenFullPaginator(self.get_queryset(), self.paginate_by)
        number = self.request.GET.get("page") or 1
        try:
            return paginator.page(paginator.num_pages if number == "last" else number)
        except InvalidPage as exc:
            raise Http404("No such page.") from exc

    def tables_context(self) -> dict:
        user = self.request.user
        my_provider = user_provider(user)
        page = self.get_page()
        cohorts = list(page.object_list)
        context = {"page_obj": page, "cohorts": cohorts}
        labels = dict(Cohort.Status.choices)
        admin_urls = _url_for_each(
            "admin:cohorts_cohort_change", "object_id", [c.pk for c in cohorts]
        )
        slugs = [c.slug for c in cohorts]
        feedback_urls = _url_for_each("cohorts:cohort_feedback", "slug", slugs)
        report_urls = _url_for_each("cohorts:project_reports", "slug", slugs)
        import_urls = _url_for_each("cohorts:participant_import", "slug", slugs)
        completion_urls = _url_for_each("cohorts:completion", "slug", slugs)
        applications_url = reverse("admin:cohorts_application_changelist")
        # The sessions of the page's cohorts, in one query of plain values, each as its
        # attendance page's link and label (the label as ``|date:"j M Y"`` wrote it).
        sessions = selectors.session_titles_for([c.pk for c in cohorts])
        attendance_urls = _url_for_each("cohorts:attendance", "pk", [s[0] for s in sessions])
        months = {number: str(name).title() for number, name in MONTHS_3.items()}
        sessions_by_cohort = {}
        for (_pk, cohort_id, day, title), url in zip(sessions, attendance_urls, strict=True):
            label = f"{day.day} {months[day.month]} {day.year}: {title}"
            sessions_by_cohort.setdefault(cohort_id, []).append((url, label))
        for cohort, admin_url, feedback_url, report_url, import_url, completion_url in zip(
            cohorts,
            admin_urls,
            feedback_urls,
            report_urls,
            import_urls,
            completion_urls,
            strict=True,
        ):
            cohort.status_label = labels.get(cohort.status, cohort.status)
            cohort.admin_url = admin_url
            cohort.feedback_url = feedback_url
            runs_it = user.is_superuser or (my_provider and cohort.provider_id == my_provider.pk)
            cohort.reports_url = report_url if runs_it else None
            cohort.import_url = import_url if runs_it else None
            cohort.completion_url = completion_url if runs_it else None
            cohort.applications_url = (
                f"{applications_url}?cohort__id__exact={cohort.pk}" if runs_it else None
            )
            cohort.session_list = sessions_by_cohort.get(cohort.pk, []) if runs_it else []
        context["my_provider"] = my_provider
        # Only a programme's owner sees its franchisees' cohorts, so only a page showing
        # one says so (a franchisee was told "As a programme's owner…").
        context["owns_franchised"] = any(
            my_provider and cohort.provider_id != my_provider.pk for cohort in cohorts
        )
        context["subsidy_schemes"] = selectors.subsidy_schemes_for(user)
        context["versions"] = (
            ProgrammeVersion.objects.filter(cohorts__in=selectors.cohorts_visible_to(user))
            .select_related("programme")
            .distinct()
        )
        return context


class CohortFeedbackReportView(ProgrammeManagerRequiredMixin, TemplateView):
    template_name = "cohorts/feedback_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = selectors.cohorts_visible_to(self.request.user)
        cohort = get_object_or_404(cohorts, slug=self.kwargs["slug"])
        context["title"] = f"Feedback: {cohort.name}"
        context["cohort"] = cohort
        context["summary"] = selectors.feedback_summary(Cohort.objects.filter(pk=cohort.pk))
        return context


class VersionFeedbackReportView(ProgrammeManagerRequiredMixin, TemplateView):
    """Feedback across every cohort of a version the manager may see: for the
    programme's owner, its franchisees' cohorts too, so the next version can be shaped
    by all of them."""

    template_name = "cohorts/feedback_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = selectors.cohorts_visible_to(self.request.user).filter(
            version_id=self.kwargs["pk"]
        )
        version = get_object_or_404(
            ProgrammeVersion.objects.select_related("programme")
            .filter(cohorts__in=cohorts)
            .distinct(),
            pk=self.kwargs["pk"],
        )
        context["title"] = f"Feedback: {version}"
        context["version"] = version
        context["cohort_list"] = cohorts
        context["summary"] = selectors.feedback_summary(cohorts)
        return context


class AttendanceView(ProgrammeManagerRequiredMixin, TemplateView):
    """Record attendance for one session: a radio group per participant."""

    template_name = "cohorts/attendance_form.html"

    def get_session(self):
        cohorts = selectors.cohorts_managed_by(self.request.user)
        return get_object_or_404(
            Session.objects.select_related("cohort", "module").filter(cohort__in=cohorts),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = kwargs.get("session") or self.get_session()
        participants = list(
            session.cohort.participants.active()
            .select_related("user")
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.filter(session=session),
                    to_attr="this_session",
                )
            )
        )
        for participant in participants:
            participant.current = (
                participant.this_session[0].status if participant.this_session else ""
            )
        context.update(
            session=session,
            cohort=session.cohort,
            participants=participants,
            statuses=Attendance.Status.choices,
        )
        return context

    def post(self, request, pk):
        session = self.get_session()
        statuses = {
            participant.pk: request.POST[f"participant_{participant.pk}"]
            for participant in session.cohort.participants.active()
            if request.POST.get(f"participant_{participant.pk}") in Attendance.Status.values
        }
        try:
            services.session_attendance_record(
                session=session, statuses=statuses, actor=request.user
            )
        except CohortError as error:
            # Nothing was recorded: the page again, with the refusal and no success banner.
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(session=session))
        messages.success(request, "Attendance has been saved.")
        return redirect("cohorts:attendance", pk=session.pk)
