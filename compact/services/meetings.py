"""Meetings: scheduling, moving and cancelling them, recording one that was held (its
agenda, attendance and minutes), and reminders of those coming up."""

import datetime
import zlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import AgendaItem, Attendance, Document, Group, GroupMembership, Meeting
from .documents import document_upload

# Every email this module sends, by its template's name (``templates/emails/<name>.txt``,
# first line the subject): grep the file name to find the code that sends it.
MEETING_REMINDER = "compact_meeting_reminder"
MEETING_MOVED = "compact_meeting_moved"
MEETING_CANCELLED = "compact_meeting_cancelled"
MEETING_CHANGED = "compact_meeting_changed"
MINUTES = "compact_minutes"


def _notify_group(*, meeting: Meeting, key: str, template: str, context: dict) -> int:
    """Email each person sitting on the meeting's group on its day, once per key
    (``<key>:<user>``), so a repeated call emails nobody twice."""
    day = timezone.localtime(meeting.starts_at).date()
    queued = 0
    members = GroupMembership.objects.current(day).filter(group=meeting.group)
    for membership in members.select_related("person"):
        queued += (
            notify(
                key=f"{key}:{membership.person_id}",
                user=membership.person,
                template=template,
                context=context,
            )
            is not None
        )
    return queued


def _check_held(starts_at: datetime.datetime) -> None:
    """Attendance is a record of what happened: never for a meeting still to come."""
    if starts_at > timezone.now():
        raise CompactError(
            _(
                "The meeting on %(d)s has not taken place yet: record its attendance once it "
                "has been held."
            )
            % {"d": f"{timezone.localtime(starts_at):%d %B %Y, %H:%M}"},
            code="meeting_not_yet_held",
        )


def _attendance_set(*, meeting: Meeting, attendance: dict) -> None:
    """Record each person's attendance once (replacing what was recorded for them
    before). Each must have been a member of the meeting's group on its date."""
    day = timezone.localtime(meeting.starts_at).date()
    seen = set()
    for membership, state in attendance.items():
        person = membership.person
        if membership.group_id != meeting.group_id:
            raise CompactError(
                _("%(p)s is not a member of this group.") % {"p": person},
                code="attendee_not_in_group",
            )
        if membership.starts_on > day or (membership.ends_on and membership.ends_on < day):
            raise CompactError(
                _("%(p)s was not a member of the group on %(d)s.") % {"p": person, "d": day},
                code="attendee_not_member_that_day",
            )
        if membership.person_id in seen:
            raise CompactError(
                _("%(p)s is listed twice.") % {"p": person}, code="attendee_listed_twice"
            )
        if state not in Attendance.Status.values:
            raise CompactError(
                _("Choose present, apologies or absent for %(p)s.") % {"p": person},
                code="attendance_status_unknown",
            )
        seen.add(membership.person_id)
        Attendance.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"organisation": membership.organisation, "status": state},
        )


def _agenda_set(*, meeting: Meeting, agenda) -> None:
    titles = [t.strip()[:300] for t in agenda if t.strip()]
    meeting.agenda_items.all().delete()
    for order, title in enumerate(titles, start=1):
        AgendaItem.objects.create(meeting=meeting, order=order, title=title)


@transaction.atomic
def meeting_record(
    *,
    group: Group,
    starts_at: datetime.datetime,
    place: str,
    actor,
    agenda: list[str] = (),
    attendance: dict | None = None,
    minutes=None,
    minutes_visibility: str = Document.Visibility.MEMBERS,
    is_public: bool = False,
    circulate: bool = False,
) -> Meeting:
    """Record a meeting that was held and had not been scheduled: agenda items,
    attendance (a dict of ``GroupMembership → Attendance.Status``; each person once), and
    optionally the minutes upload, circulated by email to the group's current members.
    Refused for a date still to come, and for a day on which the group already has a
    scheduled meeting (that one is marked held instead: ``meeting_hold``), so a meeting
    is never recorded twice."""
    _check_held(starts_at)
    day = timezone.localtime(starts_at).date()
    scheduled = (
        Meeting.objects.filter(group=group, status=Meeting.Status.SCHEDULED)
        .filter(starts_at__date=day)
        .first()
    )
    recorded = Meeting.objects.filter(
        group=group, status=Meeting.Status.HELD, starts_at__date=day
    ).exists()
    if recorded:
        # The same meeting recorded twice would store its minutes twice and email them
        # to the group twice.
        raise CompactError(
            _("A meeting of the %(group)s on %(d)s has already been recorded.")
            % {"group": group, "d": f"{day:%d %B %Y}"},
            code="meeting_already_recorded",
        )
    if scheduled is not None:
        raise CompactError(
            _(
                "A meeting of the %(group)s is already scheduled on %(d)s: record its "
                "attendance from that meeting's page."
            )
            % {"group": group, "d": f"{day:%d %B %Y}"},
            code="meeting_already_scheduled",
        )
    meeting = Meeting(
        group=group,
        starts_at=starts_at,
        place=place,
        status=Meeting.Status.HELD,
        is_public=is_public,
    )
    clean_or_raise(meeting, CompactError)
    meeting.save()
    _agenda_set(meeting=meeting, agenda=agenda)
    _attendance_set(meeting=meeting, attendance=attendance or {})
    if minutes is not None:
        meeting_minutes_upload(
            meeting=meeting,
            uploaded=minutes,
            visibility=minutes_visibility,
            actor=actor,
            circulate=circulate,
        )
    audit_record(actor=actor, action="compact.meeting_recorded", obj=meeting)
    return meeting


@transaction.atomic
def meeting_hold(
    *,
    meeting: Meeting,
    actor,
    attendance: dict | None = None,
    agenda: list[str] | None = None,
    minutes=None,
    minutes_visibility: str = Document.Visibility.MEMBERS,
    circulate: bool = False,
) -> Meeting:
    """Mark a scheduled meeting as held, with its attendance (as ``meeting_record``), the
    agenda as it was taken (``None`` keeps the scheduled agenda) and optionally its
    minutes. Only a scheduled meeting whose time has come can be marked held; the row is
    locked so two editors cannot both do it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise CompactError(
            _("This meeting is %(status)s: only a scheduled meeting can be marked as held.")
            % {"status": meeting.get_status_display().lower()},
            code="meeting_not_scheduled",
        )
    _check_held(meeting.starts_at)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    if agenda is not None:
        _agenda_set(meeting=meeting, agenda=agenda)
    _attendance_set(meeting=meeting, attendance=attendance or {})
    if minutes is not None:
        meeting_minutes_upload(
            meeting=meeting,
            uploaded=minutes,
            visibility=minutes_visibility,
            actor=actor,
            circulate=circulate,
        )
    audit_record(actor=actor, action="compact.meeting_held", obj=meeting)
    return meeting


@transaction.atomic
def meeting_minutes_upload(
    *, meeting: Meeting, uploaded, visibility: str, actor, circulate: bool = True
) -> Document:
    """Attach minutes to a meeting that was held; with ``circulate`` email every current
    member of the group once (key ``compact.minutes:<document>:<user>``)."""
    document = document_upload(
        compact=meeting.group.compact,
        uploaded=uploaded,
        title=f"Minutes: {meeting.group} {timezone.localtime(meeting.starts_at):%d %B %Y}",
        kind=Document.Kind.MINUTES,
        visibility=visibility,
        meeting=meeting,
        actor=actor,
    )
    if circulate:
        minutes_circulate(document=document)
    return document


@transaction.atomic
def meeting_paper_upload(
    *, meeting: Meeting, uploaded, title: str, visibility: str, actor
) -> Document:
    """Attach an agenda or paper to a scheduled or held meeting."""
    if not title.strip():
        message = _("Enter the paper's title.")
        raise CompactError(
            message,
            code="paper_title_missing",
            field_errors={"title": [message]},
            non_field_errors=[],
        )
    return document_upload(
        compact=meeting.group.compact,
        uploaded=uploaded,
        title=title.strip(),
        kind=Document.Kind.AGENDA,
        visibility=visibility,
        meeting=meeting,
        actor=actor,
    )


def minutes_circulate(*, document: Document) -> int:
    meeting = document.meeting
    today = timezone.localdate()
    queued = 0
    memberships = GroupMembership.objects.current(today).filter(group=meeting.group)
    for membership in memberships.select_related("person"):
        queued += (
            notify(
                key=f"compact.minutes:{document.pk}:{membership.person_id}",
                user=membership.person,
                template=MINUTES,
                context={"meeting": meeting, "document": document},
            )
            is not None
        )
    return queued


@transaction.atomic
def meeting_schedule(
    *, group: Group, starts_at, place: str, agenda=(), is_public=False, actor=None
) -> Meeting:
    meeting = Meeting(group=group, starts_at=starts_at, place=place, is_public=is_public)
    clean_or_raise(meeting, CompactError)
    meeting.save()
    for order, title in enumerate((t for t in agenda if t.strip()), start=1):
        AgendaItem.objects.create(meeting=meeting, order=order, title=title.strip())
    audit_record(actor=actor, action="compact.meeting_scheduled", obj=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, actor=None) -> Meeting:
    """Cancel a scheduled meeting; a reason is required (the database insists too)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise CompactError(
            _("Only a scheduled meeting can be cancelled."), code="meeting_not_scheduled"
        )
    if not reason.strip():
        raise CompactError(_("Give the reason the meeting was cancelled."), code="reason_missing")
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = reason.strip()
    meeting.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(actor=actor, action="compact.meeting_cancelled", obj=meeting, reason=reason)
    _notify_group(
        meeting=meeting,
        key=f"compact.meeting_cancelled:{meeting.pk}",
        template=MEETING_CANCELLED,
        context={"meeting": meeting},
    )
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, starts_at, reason: str, place: str = "", actor=None):
    """Move a scheduled meeting: the original is kept as *moved* (with its reason) and
    points to a new scheduled meeting with the same agenda (never in the past:
    ``Meeting.clean``). The group's members are emailed the new time once
    (key ``compact.meeting_moved:<meeting>:<user>``)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise CompactError(
            _("Only a scheduled meeting can be moved."), code="meeting_not_scheduled"
        )
    if not reason.strip():
        raise CompactError(_("Give the reason the meeting was moved."), code="reason_missing")
    new = meeting_schedule(
        group=meeting.group,
        starts_at=starts_at,
        place=place or meeting.place,
        agenda=[item.title for item in meeting.agenda_items.all()],
        is_public=meeting.is_public,
        actor=actor,
    )
    meeting.status = Meeting.Status.MOVED
    meeting.status_reason = reason.strip()
    meeting.moved_to = new
    meeting.save(update_fields=["status", "status_reason", "moved_to", "updated_at"])
    audit_record(actor=actor, action="compact.meeting_moved", obj=meeting, reason=reason)
    _notify_group(
        meeting=new,
        key=f"compact.meeting_moved:{meeting.pk}",
        template=MEETING_MOVED,
        context={"meeting": new, "previous": meeting},
    )
    return new


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, changed=()) -> Meeting:
    """Save a corrected meeting (the admin's change form): the date in a sane range and a
    scheduled meeting never moved into the past (``Meeting.clean``), an audit entry, and,
    when a scheduled meeting's time or place changed, an email to the group's members
    once per new time and place."""
    adding = meeting.pk is None
    clean_or_raise(meeting, CompactError)
    meeting.save()
    audit_record(
        actor=actor,
        action="compact.meeting_scheduled" if adding else "compact.meeting_updated",
        obj=meeting,
        data={"changed": list(changed)},
    )
    if (
        not adding
        and meeting.status == Meeting.Status.SCHEDULED
        and {"starts_at", "place"} & set(changed)
    ):
        _notify_group(
            meeting=meeting,
            key=f"compact.meeting_changed:{meeting.pk}:{meeting.starts_at:%Y%m%d%H%M}:"
            f"{zlib.crc32(meeting.place.encode()):08x}",
            template=MEETING_CHANGED,
            context={"meeting": meeting},
        )
    return meeting


@transaction.atomic
def meeting_rows_save(*, meeting: Meeting, rows, deleted=(), actor) -> None:
    """Save the agenda items and attendance rows edited with a meeting in the admin, each
    checked by its model, with one audit entry on the meeting listing what changed."""
    for row in deleted:
        row.delete()
    for row in rows:
        clean_or_raise(row, CompactError)
        row.save()
    if rows or deleted:
        audit_record(
            actor=actor,
            action="compact.meeting_rows_saved",
            obj=meeting,
            data={
                "saved": [f"{row._meta.model_name}:{row.pk}" for row in rows],
                "deleted": len(deleted),
            },
        )


def send_meeting_reminders(*, now: datetime.datetime | None = None, days: int = 7) -> int:
    """Remind each current group member of scheduled meetings in the next ``days`` days,
    once per meeting (key ``compact.meeting_reminder:<meeting>:<user>``)."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=days),
    ).select_related("group__compact")
    queued = 0
    for meeting in meetings:
        members = GroupMembership.objects.current(meeting.starts_at.date()).filter(
            group=meeting.group
        )
        for membership in members.select_related("person"):
            with transaction.atomic():
                queued += (
                    notify(
                        key=f"compact.meeting_reminder:{meeting.pk}:{membership.person_id}",
                        user=membership.person,
                        template=MEETING_REMINDER,
                        context={"meeting": meeting},
                    )
                    is not None
                )
    return queued
