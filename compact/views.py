"""Compact pages. Each view loads the compact and the user's access to it
(``selectors.compact_access``) and fetches objects through scoped selectors: a page or
object the user may not see is a 404 (anonymous users are first asked to sign in)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from talenthub.core.models import Profile

from . import selectors, services
from .diff import terms_diff
from .forms import (
    DocumentUploadForm,
    MeetingAttendanceForm,
    MeetingCancelForm,
    MeetingDocumentForm,
    MeetingMoveForm,
    MeetingRecordForm,
    ProgressUpdateForm,
    SurveyResponseForm,
)
from .models import Bulletin, BulletinListing, Document, Meeting, SurveyInvitation


class CompactMixin:
    """Loads ``self.compact`` and ``self.access``. ``required`` is ``"public"``,
    ``"member"`` or ``"editor"``."""

    required = "public"

    def has_access(self) -> bool:
        return {
            "public": True,
            "member": self.access.is_member,
            "editor": self.access.is_editor,
        }[self.required]

    def dispatch(self, request, *args, **kwargs):
        self.compact = selectors.compact_get(slug=kwargs["slug"])
        self.access = selectors.compact_access(user=request.user, compact=self.compact)
        if not self.has_access():
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404("Not available to you.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(compact=self.compact, access=self.access, **kwargs)


class IndexView(TemplateView):
    template_name = "compact/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(compacts=selectors.compact_list(), **kwargs)


class CompactDetailView(CompactMixin, TemplateView):
    """The public page: purpose, aims in force, annual priorities, member organisations,
    upcoming public meetings, public documents."""

    template_name = "compact/compact_detail.html"

    def get_context_data(self, **kwargs):
        compact = self.compact
        terms = selectors.terms_in_force(compact=compact)
        return super().get_context_data(
            terms=terms,
            aims=list(terms.aims.all()) if terms else [],
            statement=selectors.current_statement(compact=compact),
            members=selectors.member_organisations(compact=compact),
            meetings=selectors.upcoming_public_meetings(compact=compact),
            events=selectors.upcoming_good_practice_events(compact=compact),
            documents=compact.documents.visible_at([Document.Visibility.PUBLIC]).select_related(
                "compact"
            )[:5],
            bulletins=compact.bulletins.filter(status=Bulletin.Status.SENT).select_related(
                "compact"
            )[:3],
            **kwargs,
        )


class TermsListView(CompactMixin, TemplateView):
    template_name = "compact/terms_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            versions=selectors.terms_list(compact=self.compact),
            in_force=selectors.terms_in_force(compact=self.compact),
            **kwargs,
        )


class TermsDetailView(CompactMixin, TemplateView):
    """One version, with the change from the previous version side by side."""

    template_name = "compact/terms_detail.html"

    def get_context_data(self, **kwargs):
        terms = selectors.terms_get(compact=self.compact, version=self.kwargs["version"])
        previous = (
            selectors.terms_get(compact=self.compact, version=terms.version - 1)
            if terms.version > 1
            else None
        )
        return super().get_context_data(
            terms=terms,
            previous=previous,
            rows=terms_diff(previous, terms) if previous else [],
            **kwargs,
        )


class CharterView(CompactMixin, TemplateView):
    template_name = "compact/charter.html"

    def get_context_data(self, **kwargs):
        charters = list(self.compact.charters.all())
        signatories = selectors.signatories_latest(compact=self.compact)
        return super().get_context_data(
            charter=charters[0] if charters else None,
            signatories=signatories,
            today=timezone.localdate(),
            **kwargs,
        )


class GroupListView(CompactMixin, TemplateView):
    required = "member"
    template_name = "compact/group_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.group_list(compact=self.compact), **kwargs)


# Action plans ------------------------------------------------------------------------------


class ActionListView(CompactMixin, TemplateView):
    required = "member"
    template_name = "compact/action_list.html"
    flagged_only = False

    def get_context_data(self, **kwargs):
        actions = selectors.actions_health(compact=self.compact)
        if self.flagged_only:
            # Kept here, not in SQL: a WHERE on the computed flags made PostgreSQL expect
            # one row and join every user to every action (issue 21's plan guard).
            actions = [action for action in actions if action.flag_count]
        return super().get_context_data(
            actions=actions,
            flagged_only=self.flagged_only,
            stale_weeks=selectors.stale_weeks(),
            **kwargs,
        )


class ActionHealthView(ActionListView):
    required = "editor"
    flagged_only = True


class ActionDetailView(CompactMixin, FormView):
    """An action with its progress updates; editors add an update here. The action's
    lead (or its parent's) may read it and add updates too, even without a role in the
    compact: the weekly digest sends them here to clear its flags."""

    required = "member"
    template_name = "compact/action_detail.html"
    form_class = ProgressUpdateForm

    def is_lead(self) -> bool:
        if not hasattr(self, "_is_lead"):
            self._is_lead = selectors.action_is_led_by(
                compact=self.compact, pk=self.kwargs["pk"], user=self.request.user
            )
        return self._is_lead

    def has_access(self) -> bool:
        return super().has_access() or self.is_lead()

    def can_update(self) -> bool:
        return self.access.is_editor or self.is_lead()

    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._action

    def get_initial(self):
        action = self.get_action()
        return {"status": action.status, "percent_complete": action.percent_complete}

    def post(self, request, *args, **kwargs):
        if not self.can_update():
            raise Http404("Not available to you.")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.progress_update_add(
                action=self.get_action(), author=self.request.user, **form.cleaned_data
            )
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "Progress update added.")
        return redirect(self.get_action().get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.get_action(),
            stale_weeks=selectors.stale_weeks(),
            can_update=self.can_update(),
            **kwargs,
        )


# Meetings ----------------------------------------------------------------------------------


class MeetingListView(CompactMixin, TemplateView):
    template_name = "compact/meeting_list.html"

    def get_context_data(self, **kwargs):
        meetings = selectors.meetings_for(compact=self.compact, access=self.access)
        page = Paginator(meetings, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        groups = selectors.group_list(compact=self.compact) if self.access.is_editor else []
        return super().get_context_data(
            page_obj=page, meetings=page.object_list, groups=groups, **kwargs
        )


class MeetingDetailView(CompactMixin, TemplateView):
    template_name = "compact/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.meeting_get(
            compact=self.compact, access=self.access, pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            meeting=meeting,
            has_taken_place=meeting.starts_at <= timezone.now(),
            **kwargs,
        )


class MeetingMixin(CompactMixin):
    """A view of one meeting of the compact (``pk`` in the URL), read once through the
    scoped selector: a meeting the user may not see is a 404."""

    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = selectors.meeting_get(
                compact=self.compact, access=self.access, pk=self.kwargs["pk"]
            )
        return self._meeting


class MeetingCancelView(MeetingMixin, FormView):
    required = "editor"
    form_class = MeetingCancelForm
    template_name = "compact/meeting_cancel.html"

    def form_valid(self, form):
        meeting = self.get_meeting()
        try:
            services.meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], actor=self.request.user
            )
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The meeting has been cancelled.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)


class MeetingMoveView(MeetingCancelView):
    form_class = MeetingMoveForm
    template_name = "compact/meeting_move.html"

    def form_valid(self, form):
        try:
            new = services.meeting_move(
                meeting=self.get_meeting(),
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The meeting has been moved.")
        return redirect(new.get_absolute_url())


class MeetingRecordView(CompactMixin, FormView):
    """Record a meeting of one group with each current member's attendance and the
    minutes."""

    required = "editor"
    form_class = MeetingRecordForm
    template_name = "compact/meeting_record.html"

    def get_group(self):
        if not hasattr(self, "_group"):
            self._group = selectors.group_get(compact=self.compact, pk=self.kwargs["group_pk"])
        return self._group

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["memberships"] = selectors.group_members_on(
            group=self.get_group(), on=timezone.localdate()
        )
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        # The form lists today's members; for an earlier meeting only those who were
        # members on its day are recorded (anyone else is named in a message).
        day = data["date"]
        attendance, not_yet = {}, []
        for membership, state in form.attendance().items():
            if membership.starts_on <= day and (
                membership.ends_on is None or membership.ends_on >= day
            ):
                attendance[membership] = state
            else:
                not_yet.append(str(membership.person))
        try:
            meeting = services.meeting_record(
                group=self.get_group(),
                starts_at=form.starts_at(),
                place=data["place"],
                actor=self.request.user,
                agenda=data["agenda"].splitlines(),
                attendance=attendance,
                minutes=data["minutes"],
                minutes_visibility=data["minutes_visibility"],
                circulate=data["circulate"],
                is_public=data["is_public"],
            )
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The meeting has been recorded.")
        if not_yet:
            messages.info(
                self.request,
                "Not recorded, as they were not members of the group on that day: "
                + ", ".join(not_yet)
                + ".",
            )
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.get_group(),
            scheduled=selectors.meetings_to_hold(group=self.get_group()),
            **kwargs,
        )


class MeetingHoldView(MeetingMixin, FormView):
    """Mark a scheduled meeting as held: each member's attendance (the group's members on
    the meeting's day), the agenda as taken and the minutes. A meeting still to come is
    refused with the reason."""

    required = "editor"
    form_class = MeetingAttendanceForm
    template_name = "compact/meeting_hold.html"

    def get_initial(self):
        return {"agenda": "\n".join(i.title for i in self.get_meeting().agenda_items.all())}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        meeting = self.get_meeting()
        kwargs["memberships"] = selectors.group_members_on(
            group=meeting.group, on=timezone.localtime(meeting.starts_at).date()
        )
        kwargs["recorded"] = {a.person_id: a.status for a in meeting.attendances.all()}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting = services.meeting_hold(
                meeting=self.get_meeting(),
                actor=self.request.user,
                attendance=form.attendance(),
                agenda=data["agenda"].splitlines(),
                minutes=data["minutes"],
                minutes_visibility=data["minutes_visibility"],
                circulate=data["circulate"],
            )
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The meeting has been recorded as held.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        return super().get_context_data(
            meeting=meeting, has_taken_place=meeting.starts_at <= timezone.now(), **kwargs
        )


class MeetingDocumentView(MeetingMixin, FormView):
    """Attach a paper or the minutes to one meeting (uploads validated by content and
    size in ``services.document_upload``); minutes can be circulated by email."""

    required = "editor"
    form_class = MeetingDocumentForm
    template_name = "compact/meeting_document.html"

    def get_initial(self):
        held = self.get_meeting().status == Meeting.Status.HELD
        return {"kind": Document.Kind.MINUTES if held else Document.Kind.AGENDA}

    def form_valid(self, form):
        data = form.cleaned_data
        meeting = self.get_meeting()
        try:
            if data["kind"] == Document.Kind.MINUTES:
                services.meeting_minutes_upload(
                    meeting=meeting,
                    uploaded=data["file"],
                    visibility=data["visibility"],
                    actor=self.request.user,
                    circulate=data["circulate"],
                )
            else:
                services.meeting_paper_upload(
                    meeting=meeting,
                    uploaded=data["file"],
                    title=data["title"],
                    visibility=data["visibility"],
                    actor=self.request.user,
                )
        except services.CompactError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The document has been added to the meeting.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)


class AttendanceReportView(CompactMixin, TemplateView):
    required = "editor"
    template_name = "compact/attendance_report.html"

    def get_context_data(self, **kwargs):
        try:
            year = int(
                self.request.GET.get("year") or selectors.latest_meeting_year(compact=self.compact)
            )
        except ValueError as exc:
            raise Http404("No such year.") from exc
        if not 1900 <= year <= 2999:
            raise Http404("No such year.")
        rows = selectors.attendance_report(compact=self.compact, year=year)
        return super().get_context_data(
            rows=rows,
            year=year,
            previous_year=year - 1,
            next_year=year + 1,
            meeting_the_rule=sum(r.meets_rule for r in rows if r.applies),
            judged=sum(r.applies for r in rows),
            **kwargs,
        )


# Documents ---------------------------------------------------------------------------------


class DocumentListView(CompactMixin, FormView):
    template_name = "compact/document_list.html"
    form_class = DocumentUploadForm

    def post(self, request, *args, **kwargs):
        if not self.access.is_editor:
            raise Http404("Not available to you.")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meetings"] = selectors.meetings_for_documents(compact=self.compact)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.document_upload(
                compact=self.compact,
                uploaded=data["file"],
                title=data["title"],
                kind=data["kind"],
                visibility=data["visibility"],
                meeting=data["meeting"],
                actor=self.request.user,
            )
        except services.CompactError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The document has been added.")
        return redirect("compact:document_list", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        documents = self.compact.documents.visible_at(self.access.document_levels).select_related(
            "compact", "meeting__group"
        )
        page = Paginator(documents, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page_obj=page, documents=page.object_list, **kwargs)


class DocumentDownloadView(CompactMixin, TemplateView):
    """Serves a stored document only to those allowed to read it."""

    def get(self, request, *args, **kwargs):
        document = (
            self.compact.documents.visible_at(self.access.document_levels)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if document is None:
            raise Http404("No such document.")
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=document.content_type != "application/pdf",
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = (
            "public, max-age=3600"
            if document.visibility == Document.Visibility.PUBLIC
            else "private, no-store"
        )
        return response


# Surveys -----------------------------------------------------------------------------------


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


class SurveyRespondView(CompactMixin, FormView):
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
        except services.CompactError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you: your answers have been recorded.")
        return redirect(self.compact.get_absolute_url())

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        return super().get_context_data(survey=invitation.survey, invitation=invitation, **kwargs)


# E-bulletin --------------------------------------------------------------------------------


class BulletinListView(CompactMixin, TemplateView):
    template_name = "compact/bulletin_list.html"

    def get_context_data(self, **kwargs):
        bulletins = (
            self.compact.bulletins.filter(status=Bulletin.Status.SENT)
            .select_related("compact")
            .order_by("-number")
        )
        page = Paginator(bulletins, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        user = self.request.user
        subscribed = user.is_authenticated and self.compact.subscriptions.filter(user=user).exists()
        # "Email me newsletters and bulletins" on the profile is the master switch.
        bulletins_off = (
            user.is_authenticated
            and Profile.objects.filter(user=user, email_bulletins=False).exists()
        )
        return super().get_context_data(
            page_obj=page,
            bulletins=page.object_list,
            subscribed=subscribed,
            bulletins_off=bulletins_off,
            **kwargs,
        )


class BulletinDetailView(CompactMixin, TemplateView):
    template_name = "compact/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        bulletin = (
            self.compact.bulletins.filter(status=Bulletin.Status.SENT, number=self.kwargs["number"])
            .prefetch_related("items")
            .first()
        )
        if bulletin is None:
            raise Http404("No such e-bulletin.")
        listings = list(bulletin.listings.all())
        return super().get_context_data(
            bulletin=bulletin,
            meetings=[x for x in listings if x.kind == BulletinListing.Kind.MEETING],
            events=[x for x in listings if x.kind == BulletinListing.Kind.EVENT],
            **kwargs,
        )


class BulletinSubscribeView(CompactMixin, View):
    """A signed-in person subscribes to (or unsubscribes from) the compact's e-bulletin."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(self.compact.get_absolute_url())
        if request.POST.get("action") == "unsubscribe":
            services.bulletin_unsubscribe(compact=self.compact, user=request.user)
            messages.success(request, "You will no longer receive the e-bulletin.")
        else:
            services.bulletin_subscribe(compact=self.compact, user=request.user)
            messages.success(request, "You will receive the e-bulletin by email.")
        return redirect("compact:bulletin_list", slug=self.compact.slug)
