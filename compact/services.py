"""Every write to the compact records. Each function is one transaction, validates with
``full_clean()`` and raises ``CompactError`` (a user-facing message) for a broken rule."""

import datetime
import os
from collections import defaultdict

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import unsubscribe
from talenthub.core.choices import Sector
from talenthub.core.models import OutboundEmail
from talenthub.core.notifications import notify, notify_many
from talenthub.core.permissions import COMPACT_SECRETARIAT
from talenthub.core.services import audit_record

from . import selectors
from .models import (
    Action,
    AgendaItem,
    Aim,
    Attendance,
    Bulletin,
    BulletinListing,
    BulletinSubscription,
    CharterSignatory,
    CharterVersion,
    Compact,
    CompactRole,
    Document,
    Group,
    GroupMembership,
    Meeting,
    PrioritiesStatement,
    Priority,
    ProgressUpdate,
    Status,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    TermsOfReference,
)
from .uploads import EXTENSIONS, validate_document

BULLETIN_BATCH_SIZE = 200


class CompactError(Exception):
    """A compact rule was broken; ``message`` is safe to show to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _clean(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise CompactError("; ".join(exc.messages)) from exc


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


# Roles ------------------------------------------------------------------------------------


def editors_group() -> AuthGroup:
    """The "Compact secretariat" admin group. It carries the compact app's model
    permissions; what its members see is scoped to the compacts they edit by
    ``compact.admin.CompactScopedAdmin``. A group nobody has given any permission (e.g.
    one created bare by another app's demo) gets them here, once."""
    group, _created = AuthGroup.objects.get_or_create(name=COMPACT_SECRETARIAT)
    if not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label="compact"))
    return group


def _is_editor_anywhere(user) -> bool:
    return CompactRole.objects.filter(user=user, role__in=CompactRole.EDITING_ROLES).exists()


@transaction.atomic
def role_grant(*, compact: Compact, user, role: str, actor=None) -> CompactRole:
    """Give ``user`` ``role`` in ``compact`` (idempotent). An editing role (secretariat,
    steering group member) also gives what editing in the admin needs: staff status and
    the "Compact secretariat" group (its pages scoped to the compacts they edit)."""
    if role not in CompactRole.Role.values:
        raise CompactError(_("There is no such role."))
    obj, created = CompactRole.objects.get_or_create(compact=compact, user=user, role=role)
    if created:
        audit_record(actor=actor, action="compact.role_granted", obj=obj)
    if role in CompactRole.EDITING_ROLES:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(editors_group())
    return obj


@transaction.atomic
def role_revoke(*, compact: Compact, user, role: str, actor=None) -> bool:
    """Take ``role`` in ``compact`` away from ``user`` (idempotent; True if they had it).
    When they edit no compact any more they leave the "Compact secretariat" group, and
    lose staff status unless something else needs it: a superuser, or a member of
    another admin group (e.g. a programme manager), or someone given permissions one by
    one, stays staff."""
    role_obj = CompactRole.objects.filter(compact=compact, user=user, role=role).first()
    if role_obj is None:
        return False
    audit_record(actor=actor, action="compact.role_revoked", obj=role_obj)
    role_obj.delete()
    if role in CompactRole.EDITING_ROLES and not _is_editor_anywhere(user):
        user.groups.remove(*AuthGroup.objects.filter(name=COMPACT_SECRETARIAT))
        keeps_staff = user.is_superuser or user.groups.exists() or user.user_permissions.exists()
        if user.is_staff and not keeps_staff:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    return True


# Terms of reference -------------------------------------------------------------------------


@transaction.atomic
def terms_create(*, compact: Compact, aims: list[tuple[str, str]], actor=None, **fields):
    """Create the next version of the terms with its numbered aims, given as
    ``[("1", text), ("2", text), ("2.1", text) …]``. A sub-aim's parent is the aim its
    number extends (``2.1`` → ``2``), which must come before it. Versions are numbered
    1, 2, 3 … per compact in adoption order."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    last = TermsOfReference.objects.filter(compact=compact).order_by("-version").first()
    if last and fields["adopted_on"] <= last.adopted_on:
        raise CompactError(_("A new version must be adopted after the previous one."))
    terms = TermsOfReference(compact=compact, version=(last.version + 1 if last else 1), **fields)
    _clean(terms)
    terms.save()
    by_number = {}
    for order, (number, text) in enumerate(aims, start=1):
        number = number.strip().rstrip(".")
        parent_number = number.rsplit(".", 1)[0] if "." in number else None
        if parent_number and parent_number not in by_number:
            raise CompactError(_("Aim %(n)s comes before its parent aim.") % {"n": number})
        aim = Aim(
            terms=terms,
            number=number,
            text=text.strip(),
            order=order,
            parent=by_number.get(parent_number),
        )
        _clean(aim)
        aim.save()
        by_number[number] = aim
    audit_record(actor=actor, action="compact.terms_created", obj=terms)
    return terms


# Priorities ---------------------------------------------------------------------------------


@transaction.atomic
def statement_create(
    *, compact: Compact, year: str, starts_on: datetime.date, ends_on: datetime.date, actor=None
) -> PrioritiesStatement:
    """A statement of annual priorities, bound to the terms in force on ``starts_on``."""
    terms = selectors.terms_in_force(compact=compact, on=starts_on)
    if terms is None:
        raise CompactError(_("No terms of reference are in force on %(d)s.") % {"d": starts_on})
    statement = PrioritiesStatement(
        compact=compact, year=year, starts_on=starts_on, ends_on=ends_on, terms=terms
    )
    _clean(statement)
    statement.save()
    audit_record(actor=actor, action="compact.statement_created", obj=statement)
    return statement


def _aims_from_numbers(terms: TermsOfReference, numbers) -> list[Aim]:
    """The aims of ``terms`` with these numbers; any number not in those terms is an error
    (this is the aim-reference validation: only aims of the terms in force)."""
    wanted = [str(n).strip().rstrip(".") for n in numbers if str(n).strip()]
    found = {a.number: a for a in Aim.objects.filter(terms=terms, number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise CompactError(
            _("Aim %(aims)s is not in the terms of reference in force (version %(v)s).")
            % {"aims": ", ".join(missing), "v": terms.version}
        )
    return [found[n] for n in wanted]


def check_aims_in_terms(*, terms: TermsOfReference, aims) -> None:
    foreign = [a for a in aims if a.terms_id != terms.pk]
    if foreign:
        raise CompactError(
            _("Aim %(aims)s is not in the terms of reference in force (version %(v)s).")
            % {"aims": ", ".join(a.number for a in foreign), "v": terms.version}
        )


@transaction.atomic
def priority_create(
    *, statement: PrioritiesStatement, title: str, aim_numbers, comments: str = "", order=None
) -> Priority:
    """Add a priority citing the aims it serves by number; every number must be an aim of
    the statement's terms of reference (the terms in force for that year)."""
    aims = _aims_from_numbers(statement.terms, aim_numbers)
    if order is None:
        order = statement.priorities.count() + 1
    priority = Priority(statement=statement, title=title, comments=comments, order=order)
    _clean(priority)
    priority.save()
    priority.aims.set(aims)
    return priority


@transaction.atomic
def priority_set_aims(*, priority: Priority, aims) -> Priority:
    """Replace the aims a priority serves; rejects aims of any other terms version."""
    check_aims_in_terms(terms=priority.statement.terms, aims=aims)
    priority.aims.set(aims)
    return priority


# Groups -------------------------------------------------------------------------------------


def check_vcs_allowed(*, compact: Compact, organisation) -> None:
    """The terms limit the voluntary and community sector at steering-group level (and in
    the charter) to the compact's named VCS bodies."""
    if organisation.sector == Sector.VOLUNTARY_AND_COMMUNITY and not (
        compact.vcs_bodies.filter(pk=organisation.pk).exists()
    ):
        raise CompactError(
            _(
                "%(org)s is a voluntary and community sector body not named in the terms of "
                "reference for %(compact)s."
            )
            % {"org": organisation, "compact": compact}
        )


@transaction.atomic
def group_create(*, compact: Compact, actor=None, **fields) -> Group:
    """A group; a task-and-finish group must name a priority of this compact and reports to
    the compact's steering group."""
    group = Group(compact=compact, **fields)
    if group.kind == Group.Kind.TASK_AND_FINISH and group.reports_to is None:
        group.reports_to = Group.objects.filter(compact=compact, kind=Group.Kind.STEERING).first()
    _clean(group)  # Group.clean: the priority and the steering group are this compact's
    group.save()
    audit_record(actor=actor, action="compact.group_created", obj=group)
    return group


@transaction.atomic
def group_membership_add(
    *, group: Group, person, organisation, role=GroupMembership.Role.MEMBER, starts_on, ends_on=None
) -> GroupMembership:
    """Add a person to a group for an organisation. Steering-group seats for voluntary and
    community sector bodies are limited to those the terms name."""
    if group.is_steering:
        check_vcs_allowed(compact=group.compact, organisation=organisation)
    membership = GroupMembership(
        group=group,
        person=person,
        organisation=organisation,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _clean(membership)
    membership.save()
    return membership


# Action plans -------------------------------------------------------------------------------


@transaction.atomic
def action_create(*, plan, aims=(), parent: Action | None = None, **fields) -> Action:
    """Add a row to a plan. Aims must be aims of the terms in force today for the plan's
    compact; a sub-action's parent must be a top-level row of the same plan."""
    if parent is not None:
        if parent.plan_id != plan.pk:
            raise CompactError(_("A sub-action must be in its parent's plan."))
        if parent.parent_id is not None:
            raise CompactError(_("Sub-actions cannot have sub-actions of their own."))
    aims = list(aims)
    if aims:
        terms = selectors.terms_in_force(compact=plan.compact)
        if terms is None:
            raise CompactError(_("No terms of reference are in force."))
        check_aims_in_terms(terms=terms, aims=aims)
    priority = fields.get("priority")
    if priority is not None and priority.statement.compact_id != plan.compact_id:
        raise CompactError(_("The priority belongs to another compact."))
    action = Action(plan=plan, parent=parent, **fields)
    _clean(action)
    action.save()
    action.aims.set(aims)
    return action


@transaction.atomic
def progress_update_add(
    *, action: Action, author, status: str, percent_complete: int, note: str, on=None
) -> ProgressUpdate:
    """Record a dated progress update and make its status and progress the action's own.
    Guarantees: done means 100%; an action with sub-actions takes its status from them, so
    updates are recorded on the sub-actions instead."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.sub_actions.exists():
        raise CompactError(
            _("%(code)s takes its status from its sub-actions: update those instead.")
            % {"code": action.code}
        )
    if status == Status.DONE:
        percent_complete = 100
    update = ProgressUpdate(
        action=action,
        author=author,
        on=on or timezone.localdate(),
        status=status,
        percent_complete=percent_complete,
        note=note,
    )
    _clean(update)
    update.save()
    action.status = status
    action.percent_complete = percent_complete
    _clean(action)
    action.save(update_fields=["status", "percent_complete", "updated_at"])
    audit_record(actor=author, action="compact.progress_update", obj=action, reason=note[:500])
    return update


def send_action_digests(*, today: datetime.date | None = None) -> int:
    """Email each action lead the flagged actions they lead, once per ISO week: the key
    ``compact.digest:<lead id>:<year>-W<week>`` makes a rerun in the same week a no-op.
    Returns the number of emails queued by this call."""
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    week = f"{iso_year}-W{iso_week:02d}"
    by_lead = defaultdict(list)
    for action in selectors.flagged_actions(today=today).filter(lead_person__isnull=False):
        by_lead[action.lead_person].append(action)
    queued = 0
    for lead, actions in by_lead.items():
        with transaction.atomic():
            email = notify(
                key=f"compact.digest:{lead.pk}:{week}",
                user=lead,
                template="compact_digest",
                context={"actions": actions, "week": week, "stale_weeks": selectors.stale_weeks()},
            )
        queued += email is not None
    return queued


# Meetings -----------------------------------------------------------------------------------


def _document_from_upload(*, compact, uploaded, title, kind, visibility, meeting=None, actor=None):
    content_type = validate_document(uploaded)
    base = os.path.splitext(os.path.basename(uploaded.name or "document"))[0][:200] or "document"
    document = Document(
        compact=compact,
        title=title,
        kind=kind,
        visibility=visibility,
        meeting=meeting,
        original_name=f"{base}.{EXTENSIONS[content_type]}",
        content_type=content_type,
        size=uploaded.size,
        published_on=timezone.localdate(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(document.original_name, uploaded, save=False)
    try:
        _clean(document)
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_upload(
    *, compact: Compact, uploaded, title: str, kind: str, visibility: str, meeting=None, actor=None
) -> Document:
    """Store an uploaded document under MEDIA_ROOT with a random name, after checking its
    type by content and its size (``uploads.validate_document``). A document attached to
    a meeting must be of the same compact (``Document.clean``); minutes only to a meeting
    that was held, papers to one that is scheduled or held."""
    if meeting is not None:
        if kind == Document.Kind.MINUTES and meeting.status != Meeting.Status.HELD:
            raise CompactError(_("Minutes can be added only to a meeting that has been held."))
        if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.HELD):
            raise CompactError(
                _("This meeting was %(status)s: add papers to the meeting that took its place.")
                % {"status": meeting.get_status_display().lower()}
            )
    try:
        document = _document_from_upload(
            compact=compact,
            uploaded=uploaded,
            title=title,
            kind=kind,
            visibility=visibility,
            meeting=meeting,
            actor=actor,
        )
    except ValidationError as exc:
        raise CompactError("; ".join(exc.messages)) from exc
    audit_record(actor=actor, action="compact.document_uploaded", obj=document)
    return document


def _check_held(starts_at: datetime.datetime) -> None:
    """Attendance is a record of what happened: never for a meeting still to come."""
    if starts_at > timezone.now():
        raise CompactError(
            _(
                "The meeting on %(d)s has not taken place yet: record its attendance once it "
                "has been held."
            )
            % {"d": f"{timezone.localtime(starts_at):%d %B %Y, %H:%M}"}
        )


def _attendance_set(*, meeting: Meeting, attendance: dict) -> None:
    """Record each person's attendance once (replacing what was recorded for them
    before). Each must have been a member of the meeting's group on its date."""
    day = timezone.localtime(meeting.starts_at).date()
    seen = set()
    for membership, state in attendance.items():
        person = membership.person
        if membership.group_id != meeting.group_id:
            raise CompactError(_("%(p)s is not a member of this group.") % {"p": person})
        if membership.starts_on > day or (membership.ends_on and membership.ends_on < day):
            raise CompactError(
                _("%(p)s was not a member of the group on %(d)s.") % {"p": person, "d": day}
            )
        if membership.person_id in seen:
            raise CompactError(_("%(p)s is listed twice.") % {"p": person})
        if state not in Attendance.Status.values:
            raise CompactError(_("Choose present, apologies or absent for %(p)s.") % {"p": person})
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
    if scheduled is not None:
        raise CompactError(
            _(
                "A meeting of the %(group)s is already scheduled on %(d)s: record its "
                "attendance from that meeting's page."
            )
            % {"group": group, "d": f"{day:%d %B %Y}"}
        )
    meeting = Meeting(
        group=group,
        starts_at=starts_at,
        place=place,
        status=Meeting.Status.HELD,
        is_public=is_public,
    )
    _clean(meeting)
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
            % {"status": meeting.get_status_display().lower()}
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
        raise CompactError(_("Enter the paper's title."))
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
                template="compact_minutes",
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
    _clean(meeting)
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
        raise CompactError(_("Only a scheduled meeting can be cancelled."))
    if not reason.strip():
        raise CompactError(_("Give the reason the meeting was cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = reason.strip()
    meeting.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(actor=actor, action="compact.meeting_cancelled", obj=meeting, reason=reason)
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, starts_at, reason: str, place: str = "", actor=None):
    """Move a scheduled meeting: the original is kept as *moved* (with its reason) and
    points to a new scheduled meeting with the same agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise CompactError(_("Only a scheduled meeting can be moved."))
    if not reason.strip():
        raise CompactError(_("Give the reason the meeting was moved."))
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
    return new


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
                        template="compact_meeting_reminder",
                        context={"meeting": meeting},
                    )
                    is not None
                )
    return queued


def send_terms_review_reminders(*, today: datetime.date | None = None, days: int = 30) -> int:
    """Remind the secretariat when the terms in force are due for their annual review
    within ``days`` days (or overdue), once per terms version and person."""
    today = today or timezone.localdate()
    queued = 0
    for compact in Compact.objects.all():
        terms = selectors.terms_in_force(compact=compact, on=today)
        if terms is None or terms.review_due_on > today + datetime.timedelta(days=days):
            continue
        secretariat = CompactRole.objects.filter(
            compact=compact, role=CompactRole.Role.SECRETARIAT
        ).select_related("user")
        for role in secretariat:
            with transaction.atomic():
                queued += (
                    notify(
                        key=f"compact.terms_review:{terms.pk}:{role.user_id}",
                        user=role.user,
                        template="compact_terms_review",
                        context={"terms": terms, "compact": compact},
                    )
                    is not None
                )
    return queued


# Members' charter ---------------------------------------------------------------------------


def check_eligible(*, compact: Compact, organisation) -> None:
    """Charter membership is open to the 16 public-sector categories and to the voluntary
    and community sector bodies the terms name."""
    if organisation.sector in Sector.public_sector():
        return
    if organisation.sector == Sector.VOLUNTARY_AND_COMMUNITY:
        check_vcs_allowed(compact=compact, organisation=organisation)
        return
    raise CompactError(
        _("%(org)s is not in one of the public-sector categories the compact covers.")
        % {"org": organisation}
    )


@transaction.atomic
def charter_sign(
    *,
    charter: CharterVersion,
    organisation,
    signatory_name: str,
    joined_on: datetime.date,
    senior_representative,
    deputy=None,
    champion=None,
    board_endorsed_on=None,
    renewal_due_on=None,
    actor=None,
) -> CharterSignatory:
    """An organisation signs a charter version. Guarantees: the organisation is eligible
    by sector; membership runs at least the charter's minimum (12 months): the renewal
    date defaults to the later of the charter's end and 12 months after joining, and an
    earlier one is refused."""
    check_eligible(compact=charter.compact, organisation=organisation)
    earliest = add_months(joined_on, charter.minimum_membership_months)
    if renewal_due_on is None:
        renewal_due_on = max(charter.ends_on, earliest)
    if renewal_due_on < earliest:
        raise CompactError(
            _("Membership runs for at least %(m)s months: renewal cannot be before %(d)s.")
            % {"m": charter.minimum_membership_months, "d": earliest}
        )
    signature = CharterSignatory(
        charter=charter,
        organisation=organisation,
        signatory_name=signatory_name,
        joined_on=joined_on,
        board_endorsed_on=board_endorsed_on,
        senior_representative=senior_representative,
        deputy=deputy,
        champion=champion,
        renewal_due_on=renewal_due_on,
    )
    _clean(signature)
    signature.save()
    audit_record(actor=actor, action="compact.charter_signed", obj=signature)
    return signature


# Surveys ------------------------------------------------------------------------------------


@transaction.atomic
def survey_send(*, survey: Survey, on: datetime.date | None = None) -> int:
    """Invite the group's current members (each once) and email them; returns the number
    of new invitations."""
    on = on or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise CompactError(_("Add questions before sending the survey."))
    invited = set(survey.invitations.values_list("person_id", flat=True))
    created = 0
    for membership in GroupMembership.objects.current(on).filter(group=survey.group):
        if membership.person_id in invited:
            continue
        invited.add(membership.person_id)
        SurveyInvitation.objects.create(survey=survey, person=membership.person)
        notify(
            key=f"compact.survey:{survey.pk}:{membership.person_id}",
            user=membership.person,
            template="compact_survey",
            context={"survey": survey},
        )
        created += 1
    if survey.sent_on is None:
        survey.sent_on = on
        survey.save(update_fields=["sent_on", "updated_at"])
    return created


@transaction.atomic
def survey_respond(
    *, invitation: SurveyInvitation, answers: dict, usable: bool = True, on=None
) -> SurveyInvitation:
    """Record one reply: ``answers`` maps SurveyQuestion → value (text, bool or 1–5).
    A person replies once."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.responded_on is not None:
        raise CompactError(_("You have already replied to this survey."))
    for question, value in answers.items():
        if question.survey_id != invitation.survey_id:
            raise CompactError(_("That question is not in this survey."))
        answer = SurveyAnswer(invitation=invitation, question=question)
        if question.kind == SurveyQuestion.Kind.YES_NO:
            answer.yes = bool(value)
        elif question.kind == SurveyQuestion.Kind.SCALE:
            answer.scale = int(value)
        else:
            answer.text = str(value)
        _clean(answer)
        answer.save()
    invitation.responded_on = on or timezone.localdate()
    invitation.usable = usable
    invitation.save(update_fields=["responded_on", "usable", "updated_at"])
    return invitation


# E-bulletin ---------------------------------------------------------------------------------


def bulletin_subscribe(*, compact: Compact, user) -> BulletinSubscription:
    return BulletinSubscription.objects.get_or_create(compact=compact, user=user)[0]


def bulletin_unsubscribe(*, compact: Compact, user) -> None:
    BulletinSubscription.objects.filter(compact=compact, user=user).delete()


# The one-click unsubscribe link of an e-bulletin (``talenthub.core.unsubscribe``, kind
# "bulletin", scoped to the compact) ends that compact's subscription only.
def bulletin_unsubscribe_label(scope: int | None) -> str:
    compact = Compact.objects.filter(pk=scope).first()
    return _("the %(compact)s e-bulletin") % {"compact": compact} if compact else _("e-bulletins")


def bulletin_unsubscribe_turn_off(*, user, scope: int | None) -> None:
    compact = Compact.objects.filter(pk=scope).first()
    if compact is not None:
        bulletin_unsubscribe(compact=compact, user=user)


def bulletin_unsubscribe_manage_url(scope: int | None) -> str:
    compact = Compact.objects.filter(pk=scope).first()
    if compact is None:
        return reverse("compact:index")
    return reverse("compact:bulletin_list", kwargs={"slug": compact.slug})


# The member's master switch, "Email me newsletters and bulletins" on their profile: off,
# no e-bulletin of any compact reaches them, and their subscriptions stay as they are
# (turned back on, the next issues come again). A member with no profile row yet has the
# default, on.
WANTS_BULLETINS = Q(user__profile__isnull=True) | Q(user__profile__email_bulletins=True)
# How long after sending a cut-short fan-out is still made good, and how long it is left
# to the batch tasks first (``bulletins_unfinished``).
BULLETIN_SWEEP_DAYS = 7
BULLETIN_SWEEP_GRACE = datetime.timedelta(minutes=5)


def bulletin_recipients(bulletin: Bulletin):
    """The subscriptions of ``bulletin``'s compact whose person gets it now: an active
    account that keeps "Email me newsletters and bulletins" on."""
    return BulletinSubscription.objects.filter(
        WANTS_BULLETINS, compact_id=bulletin.compact_id, user__is_active=True
    )


def bulletin_key_prefix(bulletin: Bulletin) -> str:
    """Every email of ``bulletin`` has a key starting with this (then the user's id)."""
    return f"compact.bulletin:{bulletin.pk}:"


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BULLETIN_BATCH_SIZE] for i in range(0, len(ids), BULLETIN_BATCH_SIZE)]


def _enqueue_bulletin_batches(bulletin_id: int, ids: list[int], *, on_commit: bool) -> int:
    from talenthub.core.queueing import enqueue, enqueue_on_commit

    from .tasks import send_bulletin_batch

    batches = _batches(ids)
    for batch in batches:
        (enqueue_on_commit if on_commit else enqueue)(send_bulletin_batch, bulletin_id, batch)
    return len(batches)


@transaction.atomic
def bulletin_send(*, bulletin: Bulletin, actor=None) -> int:
    """Publish a draft e-bulletin to the archive and enqueue its emails to subscribers in
    batches (after commit). The upcoming public meetings and good-practice events it
    announces are copied now, once (``BulletinListing``): every batch and the archive show
    the same issue. Sending twice is refused; each email has key
    ``compact.bulletin:<bulletin>:<user>`` so a retried batch sends nothing twice, and
    ``bulletins_unfinished`` (the beat's sweep) finishes a fan-out cut short.
    Returns the number of batches."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise CompactError(_("This e-bulletin has already been sent."))
    if not bulletin.items.exists():
        raise CompactError(_("Add at least one news item before sending."))
    bulletin.status = Bulletin.Status.SENT
    bulletin.sent_at = timezone.now()
    bulletin.save(update_fields=["status", "sent_at", "updated_at"])
    _bulletin_snapshot(bulletin)
    audit_record(actor=actor, action="compact.bulletin_sent", obj=bulletin)
    ids = list(bulletin_recipients(bulletin).order_by("user_id").values_list("user_id", flat=True))
    return _enqueue_bulletin_batches(bulletin.pk, ids, on_commit=True)


def bulletin_unqueued_user_ids(bulletin: Bulletin) -> list[int]:
    """Subscribers who were subscribed when ``bulletin`` was sent, still are, still want
    bulletins, and have no email of it in the outbox: its fan-out was cut short for them
    (a worker killed mid-batch, batch tasks lost with Redis). One query."""
    queued = OutboundEmail.objects.filter(
        key=Concat(Value(bulletin_key_prefix(bulletin)), Cast(OuterRef("user_id"), CharField()))
    )
    return list(
        bulletin_recipients(bulletin)
        .filter(created_at__lte=bulletin.sent_at)
        .exclude(Exists(queued))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def bulletins_unfinished(now=None):
    """``(bulletin, user ids)`` for each e-bulletin sent in the last week (and at least five
    minutes ago, so batch tasks still in the queue are not doubled) with a subscriber
    who should have its email and has none. A query for due rows, not a memory of what
    ran: a late or repeated sweep gives the same result."""
    now = now or timezone.now()
    candidates = Bulletin.objects.filter(
        status=Bulletin.Status.SENT,
        sent_at__gte=now - datetime.timedelta(days=BULLETIN_SWEEP_DAYS),
        sent_at__lte=now - BULLETIN_SWEEP_GRACE,
    ).order_by("pk")
    for bulletin in candidates:
        missing = bulletin_unqueued_user_ids(bulletin)
        if missing:
            yield bulletin, missing


def bulletins_sweep(now=None) -> int:
    """Enqueue again, in batches, the emails of every e-bulletin whose fan-out was cut
    short (``bulletins_unfinished``). Safe to run any number of times: a batch skips
    whoever has their email (outbox keys). Returns the number of batches enqueued."""
    return sum(
        _enqueue_bulletin_batches(bulletin.pk, missing, on_commit=False)
        for bulletin, missing in bulletins_unfinished(now)
    )


def _bulletin_snapshot(bulletin: Bulletin) -> None:
    """Copy what the issue announces as coming up (called once, under the bulletin's lock,
    as it turns from draft to sent)."""
    listings = [
        BulletinListing(
            kind=BulletinListing.Kind.MEETING,
            title=str(meeting.group),
            starts_at=meeting.starts_at,
            place=meeting.place,
            path=meeting.get_absolute_url(),
        )
        for meeting in selectors.upcoming_public_meetings(compact=bulletin.compact)
    ] + [
        BulletinListing(
            kind=BulletinListing.Kind.EVENT,
            title=event.title,
            starts_at=event.starts_at,
            place=event.venue or _("Online"),
            path=event.get_absolute_url(),
        )
        for event in selectors.upcoming_good_practice_events(compact=bulletin.compact)
    ]
    for order, listing in enumerate(listings, start=1):
        listing.bulletin = bulletin
        listing.order = order
        listing.title = listing.title[:300]
        listing.place = listing.place[:300]
    BulletinListing.objects.bulk_create(listings)


def bulletin_send_batch(*, bulletin_id: int, user_ids: list[int]) -> int:
    """Queue the e-bulletin email for each subscriber in ``user_ids`` who is still
    subscribed and keeps "Email me newsletters and bulletins" on (once per key), with the
    listings copied when sending started. Each carries List-Unsubscribe headers and a
    link that ends this compact's subscription. One transaction and a bulk insert per
    batch; the text is a mail merge (``notify_many``). Returns the number newly queued."""
    bulletin = (
        Bulletin.objects.select_related("compact")
        .filter(pk=bulletin_id, status=Bulletin.Status.SENT)
        .first()
    )
    if bulletin is None:
        return 0
    items = list(bulletin.items.all())
    listings = list(bulletin.listings.all())
    upcoming = [x for x in listings if x.kind == BulletinListing.Kind.MEETING]
    events = [x for x in listings if x.kind == BulletinListing.Kind.EVENT]
    prefix = bulletin_key_prefix(bulletin)
    with transaction.atomic():
        subscriptions = (
            bulletin_recipients(bulletin)
            .filter(user_id__in=user_ids)
            .select_related("user")
            .order_by("user_id")
        )
        messages = []
        for subscription in subscriptions:
            unsubscribe_url, headers = unsubscribe.bulk_email_extras(
                user_id=subscription.user_id, kind="bulletin", scope=bulletin.compact_id
            )
            messages.append(
                (
                    f"{prefix}{subscription.user_id}",
                    subscription.user,
                    {"unsubscribe_url": unsubscribe_url},
                    headers,
                )
            )
        return len(
            notify_many(
                template="compact_bulletin",
                context={
                    "bulletin": bulletin,
                    "items": items,
                    "meetings": upcoming,
                    "events": events,
                },
                recipients=messages,
            )
        )
