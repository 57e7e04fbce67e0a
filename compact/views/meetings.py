"""Meetings: the list, one meeting, what editors record about them, and the
attendance report."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from talenthub.core.ical import ics_response
from talenthub.core.page_cache import kept_fragment
from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..calendar import meetings_calendar
from ..exceptions import CompactError
from ..forms import (
    MeetingAttendanceForm,
    MeetingCancelForm,
    MeetingDocumentForm,
    MeetingMoveForm,
    MeetingRecordForm,
)
from ..models import Document, Meeting
from .compacts import CompactMixin


class MeetingListView(CompactMixin, TemplateView):
    """The compact's meetings, latest first, a page at a time. Below the reader's own
    lines (the public-only notice, the link to their feed), the record links and the
    table depend only on the data and whether the reader is a member (every meeting, with
    attendance figures) and an editor (the record links): kept per data version
    (``page_cache.kept_fragment``) under those two, so a committed change shows on the
    next request (issue 16)."""

    template_name = "compact/meeting_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        has_seat = user.is_authenticated and (
            selectors.member_seats(user=user, compact=self.compact).exists()
        )
        context = super().get_context_data(has_seat=has_seat, **kwargs)
        access = self.access
        context["meeting_table"] = kept_fragment(
            "compact-meetings",
            self.request,
            vary_on=(self.compact.pk, access.is_member, access.is_editor),
            render=lambda: render_to_string(
                "compact/_meeting_table.html", self.table_context(), self.request
            ),
        )
        return context

    def table_context(self) -> dict:
        meetings = selectors.meetings_for(compact=self.compact, access=self.access)
        page = Paginator(meetings, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        # Only their names are shown here, not their members.
        groups = (
            selectors.group_list(compact=self.compact).prefetch_related(None)
            if self.access.is_editor
            else []
        )
        return {
            "compact": self.compact,
            "access": self.access,
            "page_obj": page,
            "meetings": page.object_list,
            "groups": groups,
        }


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


class MeetingCancelView(MeetingMixin, DomainErrorFormMixin, FormView):
    required = "editor"
    form_class = MeetingCancelForm
    template_name = "compact/meeting_cancel.html"

    def form_valid(self, form):
        meeting = self.get_meeting()
        try:
            services.meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], actor=self.request.user
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
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
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The meeting has been moved.")
        return redirect(new.get_absolute_url())


class MeetingRecordView(CompactMixin, DomainErrorFormMixin, FormView):
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
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
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


class MeetingHoldView(MeetingMixin, DomainErrorFormMixin, FormView):
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
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The meeting has been recorded as held.")
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        return super().get_context_data(
            meeting=meeting, has_taken_place=meeting.starts_at <= timezone.now(), **kwargs
        )


class MeetingDocumentView(MeetingMixin, DomainErrorFormMixin, FormView):
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
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
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


def _access(request, slug):
    compact = selectors.compact_get(slug=slug)
    return compact, selectors.compact_access(user=request.user, compact=compact)


def meeting_ics(request, slug, pk):
    """One meeting as an .ics file, for whoever may see the meeting (404 otherwise)."""
    compact, access = _access(request, slug)
    meeting = selectors.meeting_get(compact=compact, access=access, pk=pk)
    content = meetings_calendar([meeting], name=str(meeting))
    return ics_response(content, f"meeting-{meeting.pk}.ics")


@never_cache
def group_meetings_ics(request, slug, group_pk):
    """A group's meetings as a feed a calendar app subscribes to. A calendar app carries
    no session, so a subscription lists the group's public meetings; a signed-in member
    downloading it gets every meeting of the group."""
    compact, access = _access(request, slug)
    group, meetings = selectors.group_meetings_feed(
        compact=compact, access=access, group_pk=group_pk
    )
    content = meetings_calendar(meetings, name=f"{group.name}, {compact.name}")
    return ics_response(content, f"{compact.slug}-group-{group.pk}.ics")
