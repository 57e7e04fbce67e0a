"""Screens of the alumni network. Profiles are fetched through
``selectors.directory_profiles``, so what a viewer may not see is a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from talenthub.core.import_views import BulkImportView
from talenthub.core.page_cache import kept_fragment
from talenthub.core.permissions import (
    ProgrammeManagerRequiredMixin,
    is_programme_manager,
    user_provider,
)
from talenthub.core.spreadsheets import spreadsheet_response
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, selectors_talent, services
from .exceptions import AlumniError
from .filters import DirectoryFilter, PledgeFilter, StoryFilter
from .forms import (
    AlumniProfileForm,
    AssessmentForm,
    CareerEntryForm,
    CareerStoryForm,
    MentoringOfferForm,
    MentoringRequestForm,
    MobilityForm,
    OutcomesForm,
    VacancyForm,
)
from .imports import PoolMemberImport
from .models import (
    AlumniProfile,
    CareerEntry,
    MentoringOffer,
    TalentPoolMember,
    Vacancy,
    viewer_is_alumnus,
)


class DirectoryView(ListView):
    """The alumni directory: filters and search narrow the visible profiles. Visitors who
    are not signed in see what the network is and how to join it, never a profile.

    Below its introduction and navigation (the viewer's own), the page (filters, results,
    pages, career updates) depends only on the data, the query string and two things
    about the viewer: whether they are an alumnus (who may see profiles open to alumni
    only: ``selectors.directory_profiles``) and whether they may download the results.
    So it is kept per data version (``page_cache.kept_fragment``) keyed on those two: any
    committed change shows on the next request (issue 16)."""

    template_name = "alumni/directory.html"
    context_object_name = "profiles"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "alumni/landing.html")
        alumnus, can_export = viewer_is_alumnus(request.user), is_programme_manager(request.user)
        directory = kept_fragment(
            "alumni-directory",
            request,
            vary_on=(alumnus, can_export),
            render=lambda: render_to_string(
                "alumni/_directory.html", self.directory_context(can_export=can_export), request
            ),
        )
        return render(request, self.template_name, {"view": self, "directory": directory})

    def directory_context(self, *, can_export: bool) -> dict:
        """ListView's context (paginated; a page past the end is a 404), filtered."""
        self.object_list = self.get_queryset()
        return self.get_context_data(can_export=can_export)

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        self.filterset = DirectoryFilter(
            self.request.GET,
            queryset=selectors.directory_profiles(self.request.user),
            request=self.request,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["updates"] = selectors.career_updates(self.request.user)
        context["query_string"] = self.request.GET.urlencode()
        return context


class DirectoryExportView(ProgrammeManagerRequiredMixin, View):
    """The filtered directory as CSV or XLSX, for programme managers: the page's filters
    over ``selectors.export_profiles``, so hidden profiles are never exported, and a
    manager exports only the alumni of their own provider's cohorts and programmes, with
    only those programmes named (data minimisation: a franchisee gets its own alumni)."""

    file_format = "csv"

    def get(self, request):
        filterset = DirectoryFilter(
            request.GET, queryset=selectors.export_profiles(request.user), request=request
        )
        header = ["Name", "Headline", "Current role", "Organisation", "Region",
                  "Career level", "Programmes", "Open to mentoring"]  # fmt: skip
        rows = (
            [
                profile.user.full_name,
                profile.headline,
                profile.current_role,
                profile.organisation.name if profile.organisation else "",
                profile.get_region_display(),
                profile.get_career_level_display() or "",
                "; ".join(
                    sorted(
                        {
                            p.cohort.version.programme.title
                            for p in profile.user.export_participations
                        }
                    )
                ),  # fmt: skip
                "yes" if profile.open_to_mentoring else "no",
            ]
            for profile in filterset.qs
        )
        return spreadsheet_response("alumni-directory", header, rows, file_format=self.file_format)


class ProfileDetailView(LoginRequiredMixin, TemplateView):
    template_name = "alumni/profile_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = selectors.profile_for(self.request.user, self.kwargs["pk"])
        context["profile"] = profile
        offer = getattr(profile.user, "mentoring_offer", None)
        context["offer"] = offer
        user = self.request.user
        context["offer_taking"] = bool(
            offer and MentoringOffer.objects.taking_mentees().filter(pk=offer.pk).exists()
        )
        if context["offer_taking"] and offer.mentor_id != user.pk:
            context["already_asked"] = offer.requests.live().filter(mentee=user).exists()
            context["request_form"] = kwargs.get("request_form") or MentoringRequestForm()
        return context

    def post(self, request, pk):
        """Ask this alumnus for mentoring."""
        profile = selectors.profile_for(request.user, pk)
        offer = getattr(profile.user, "mentoring_offer", None)
        if offer is None:
            raise Http404("No mentoring offer")
        form = MentoringRequestForm(request.POST)
        if form.is_valid():
            try:
                services.mentoring_request_create(
                    offer=offer, mentee=request.user, message=form.cleaned_data["message"]
                )
            except AlumniError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, f"Your request has been sent to {profile.user}.")
                return redirect("alumni:mentoring")
        return self.render_to_response(self.get_context_data(pk=pk, request_form=form))


class PhotoView(LoginRequiredMixin, View):
    """A profile photo, served under the same rules as the profile (the owner always
    sees their own)."""

    def get(self, request, pk):
        own = AlumniProfile.objects.filter(pk=pk, user=request.user).first()
        profile = own or selectors.profile_for(request.user, pk)
        if not profile.photo:
            raise Http404("No photo")
        try:
            photo = profile.photo.open("rb")
        except FileNotFoundError:
            # A profile left pointing at a deleted file (the old "remove my photo" bug).
            raise Http404("No photo") from None
        response = FileResponse(photo, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=300"
        return response


class AlumniRequiredMixin(LoginRequiredMixin):
    """Signed-in alumni only. Anyone else is refused (403) with a page that says who the
    alumni are, where the member stands (a cohort in progress, an application) and what
    they can use meanwhile, rather than a bare "forbidden"."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not viewer_is_alumnus(request.user):
            return render(
                request,
                "alumni/not_alumnus.html",
                {"participations": selectors.participations_in_progress(request.user)},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class MyProfileView(AlumniRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/profile_form.html"
    form_class = AlumniProfileForm
    success_url = reverse_lazy("alumni:my_profile")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        profile = AlumniProfile.objects.filter(user=self.request.user).first()
        if profile is None:
            base = getattr(self.request.user, "profile", None)
            profile = AlumniProfile(user=self.request.user, region=getattr(base, "region", ""))
        kwargs["instance"] = profile
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = context["form"].instance
        # The current role is shown from the one record of it, the person's profile.
        context["account_profile"] = getattr(self.request.user, "profile", None)
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        remove = data.pop("remove_photo", False)
        try:
            services.alumni_profile_save(
                user=self.request.user, photo=photo or None, remove_photo=remove, **data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your alumni profile has been saved.")
        return super().form_valid(form)


class CareerHistoryView(AlumniRequiredMixin, DomainErrorFormMixin, FormView):
    """The alumnus's career history, with a form to add an entry."""

    template_name = "alumni/career_history.html"
    form_class = CareerEntryForm
    success_url = reverse_lazy("alumni:career")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = CareerEntry.objects.filter(user=self.request.user).order_by(
            "-started_on"
        )
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        announce = data.pop("announce", False)
        try:
            services.career_entry_save(user=self.request.user, announce=announce, **data)
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your career history has been updated.")
        return super().form_valid(form)


class CareerEntryEditView(AlumniRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/career_entry_form.html"
    form_class = CareerEntryForm
    success_url = reverse_lazy("alumni:career")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.entry = get_object_or_404(CareerEntry, pk=kwargs["pk"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.entry
        return kwargs

    def post(self, request, *args, **kwargs):
        if "delete" in request.POST:
            services.career_entry_delete(user=request.user, entry=self.entry)
            messages.success(request, "The entry has been removed from your career history.")
            return redirect(self.success_url)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        announce = data.pop("announce", False)
        try:
            services.career_entry_save(
                user=self.request.user, entry=self.entry, announce=announce, **data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your career history has been updated.")
        return super().form_valid(form)


class MentoringView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """Mentoring: the alumnus's offer and the requests they received; the requests a
    member sent."""

    template_name = "alumni/mentoring.html"
    form_class = MentoringOfferForm
    success_url = reverse_lazy("alumni:mentoring")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = MentoringOffer.objects.filter(mentor=self.request.user).first()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_alumnus"] = viewer_is_alumnus(user)
        context["received"] = selectors.mentoring_requests_received(user)
        context["sent"] = selectors.mentoring_requests_sent(user)
        context["is_manager"] = is_programme_manager(user)
        return context

    def form_valid(self, form):
        try:
            services.mentoring_offer_save(mentor=self.request.user, **form.cleaned_data)
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your mentoring offer has been saved.")
        return super().form_valid(form)


class MentoringActionView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """Accept, decline or end a mentoring request (mentor or mentee only: 404 otherwise)."""

    def post(self, request, pk):
        mentoring = selectors.mentoring_request_for_party(request.user, pk)
        action = request.POST.get("action")
        with self.domain_error_message():
            if action in ("accept", "decline"):
                services.mentoring_request_respond(
                    request=mentoring, mentor=request.user, accept=action == "accept"
                )
            elif action == "end":
                services.mentoring_request_end(request=mentoring, by=request.user)
            else:
                raise AlumniError("Choose what to do with the request.", code="action_required")
            messages.success(request, "The mentoring request has been updated.")
        return redirect("alumni:mentoring")


class OutcomesView(ProgrammeManagerRequiredMixin, TemplateView):
    """Career outcomes of completers, per programme and cohort, from career histories.

    The figures (tables and charts) depend only on the data, the level and years asked
    for (the query string), the date, and the cohorts the manager may see: their
    provider's, or all for a superuser (``selectors.outcome_cohorts``). So they are kept
    per data version (``page_cache.kept_fragment``) keyed on those two: any committed
    change shows on the next request (issue 16)."""

    template_name = "alumni/outcomes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = OutcomesForm(self.request.GET or None)
        if form.is_valid():
            level, years = form.cleaned_data["level"], form.cleaned_data["years"]
        else:
            level, years = form.fields["level"].initial, form.fields["years"].initial
        user = self.request.user
        provider = user_provider(user)
        context.update(form=form, years=years, level_label=form.fields["level"].choices)
        context["level_name"] = dict(form.fields["level"].choices)[level]
        context["figures"] = kept_fragment(
            "alumni-outcomes",
            self.request,
            vary_on=(user.is_superuser, provider.pk if provider else None),
            render=lambda: render_to_string(
                "alumni/_outcomes_figures.html",
                self.figures_context(level=level, years=years),
                self.request,
            ),
        )
        return context

    def figures_context(self, *, level, years) -> dict:
        result = selectors.outcomes(user=self.request.user, level=level, years=years)
        return {
            "outcomes": result,
            "programme_chart": outcome_chart(result.programmes),
            "cohort_chart": outcome_chart(result.cohorts),
        }


# Each bar has its label above it, so that the chart stays readable in the narrow column
# beside its table: a row is the label line, the bar, then a gap (SVG user units).
CHART_ROW_HEIGHT, CHART_BAR_WIDTH, CHART_WIDTH = 46, 240, 300


def outcome_chart(rows) -> dict:
    """Geometry of a server-rendered SVG bar chart of the rows' shares: no script and no
    inline styles (the Content Security Policy allows neither). The percentage is written
    after its bar, in the page's text colour, because ``.th-chart text`` in the
    stylesheet sets every label's fill (a white label inside a bar would turn dark)."""
    bars = [
        {
            "row": row,
            "y": i * CHART_ROW_HEIGHT,
            "width": round(row.share * CHART_BAR_WIDTH, 1),
            "text_x": round(row.share * CHART_BAR_WIDTH + 6, 1),
        }
        for i, row in enumerate(rows)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * CHART_ROW_HEIGHT,
        "bar_width": CHART_BAR_WIDTH,
    }


# Talent pools ---------------------------------------------------------------------------


class TalentIndexView(LoginRequiredMixin, TemplateView):
    template_name = "alumni/talent_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pools"] = selectors.pools_managed_by(self.request.user)
        context["memberships"] = selectors.pool_memberships_of(self.request.user).select_related(
            "assessment"
        )
        return context


class PoolDetailView(ProgrammeManagerRequiredMixin, TemplateView):
    """A pool's members (with readiness and assessment) and supply against demand, for the
    pool's managers."""

    template_name = "alumni/pool_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pool = get_object_or_404(selectors.pools_managed_by(self.request.user), slug=kwargs["slug"])
        members, matches, balance = selectors.supply_and_demand(pool)
        context.update(pool=pool, members=members, matches=matches, balance=balance)
        context["moves"] = selectors_talent.pool_moves(pool)
        return context


class PoolImportView(ProgrammeManagerRequiredMixin, BulkImportView):
    """Add a list of people to a talent pool the manager's provider owns (another
    provider's pool is a 404), from a CSV."""

    spec = PoolMemberImport()
    what = "pool members"

    def get_target(self):
        return get_object_or_404(
            selectors.pools_managed_by(self.request.user), slug=self.kwargs["slug"]
        )

    def get_target_label(self):
        return self.target.title

    def get_back_url(self):
        return reverse("alumni:pool", kwargs={"slug": self.target.slug})

    def success_message(self, result):
        return f"{len(result.rows)} people added to {self.target.title}."


class AssessmentView(ProgrammeManagerRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/assessment_form.html"
    form_class = AssessmentForm

    def dispatch(self, request, *args, **kwargs):
        if is_programme_manager(request.user):
            self.member = get_object_or_404(
                TalentPoolMember.objects.select_related("pool", "user"),
                pk=kwargs["pk"],
                pool__in=selectors.pools_managed_by(request.user),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        assessment = getattr(self.member, "assessment", None)
        return {
            "summary": assessment.summary if assessment else "",
            "shared_with_member": assessment.shared_with_member if assessment else False,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        try:
            services.talent_assessment_save(
                member=self.member, manager=self.request.user, **form.cleaned_data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The talent assessment has been saved.")
        return redirect("alumni:pool", slug=self.member.pool.slug)


class MobilityView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/mobility_form.html"
    form_class = MobilityForm
    success_url = reverse_lazy("alumni:talent")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = get_object_or_404(
                selectors.pool_memberships_of(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "mobility_regions": self.member.mobility_regions,
            "open_to_secondment": self.member.open_to_secondment,
            "open_to_relocation": self.member.open_to_relocation,
            "share_with_employers": self.member.share_with_employers,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        try:
            services.pool_member_mobility_update(
                member=self.member, user=self.request.user, **form.cleaned_data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Your mobility preferences have been saved.")
        return super().form_valid(form)


class VacancyListView(LoginRequiredMixin, ListView):
    """Open senior vacancies (demand), with posting for those who may post."""

    template_name = "alumni/vacancy_list.html"
    context_object_name = "vacancies"

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        return selectors.open_vacancies()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_post = selectors.organisations_user_may_post_for(self.request.user)
        context["may_post_ids"] = set(may_post.values_list("pk", flat=True))
        return context


class VacancyCreateView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/vacancy_form.html"
    form_class = VacancyForm
    success_url = reverse_lazy("alumni:vacancies")

    def dispatch(self, request, *args, **kwargs):
        self.organisations = selectors.organisations_user_may_post_for(request.user)
        if request.user.is_authenticated and not self.organisations.exists():
            raise PermissionDenied("Only talent pool managers and senior members post vacancies.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def form_valid(self, form):
        try:
            services.vacancy_post(by=self.request.user, **form.cleaned_data)
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The vacancy has been posted.")
        return super().form_valid(form)


class VacancyCloseView(LoginRequiredMixin, DomainErrorFormMixin, View):
    def post(self, request, pk):
        vacancy = get_object_or_404(
            Vacancy.objects.filter(
                organisation__in=selectors.organisations_user_may_post_for(request.user)
            ),
            pk=pk,
        )
        with self.domain_error_message():
            services.vacancy_close(
                vacancy=vacancy, by=request.user, status=request.POST.get("status")
            )
            messages.success(request, "The vacancy has been closed.")
        return redirect("alumni:vacancies")


# Career stories and pledges -------------------------------------------------------------


class StoryListView(ListView):
    template_name = "alumni/story_list.html"
    context_object_name = "stories"

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        self.filterset = StoryFilter(self.request.GET, queryset=selectors.published_stories())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class StoryDetailView(DetailView):
    """A published story; its author also sees it while it waits for moderation."""

    template_name = "alumni/story_detail.html"
    context_object_name = "story"

    def get_queryset(self):
        return selectors.stories_visible_to(self.request.user)


class StoryCreateView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/story_form.html"
    form_class = CareerStoryForm
    success_url = reverse_lazy("alumni:stories")

    def form_valid(self, form):
        try:
            services.career_story_submit(author=self.request.user, **form.cleaned_data)
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(
            self.request, "Thank you: your story will be published when a moderator approves it."
        )
        return redirect("alumni:my_contributions")


class PledgeListView(ListView):
    template_name = "alumni/pledge_list.html"
    context_object_name = "pledges"

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        self.filterset = PledgeFilter(self.request.GET, queryset=selectors.published_pledges())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)
