"""Reads, scoped to what the user may see.

Who may see what:
- everyone (the public) sees a compact's public page: purpose, aims of the terms in force,
  annual priorities, member organisations, upcoming public meetings, public documents and
  the e-bulletin archive;
- *members* of a compact (anyone holding a role in it, or working for an organisation
  that is a current charter signatory) also see action plans, meetings and members-only
  documents;
- *editors* (the secretariat and steering group members, and superusers) also see the
  health view, the attendance report, surveys and steering-group-only documents, and
  record meetings and progress updates.
What a user may not see is a 404 (the object is fetched through these querysets).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from talenthub.core.aggregates import related_aggregate, related_count

from .models import (
    Action,
    Attendance,
    CharterSignatory,
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
    TermsOfReference,
)

# Permissions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What one user may do in one compact."""

    is_member: bool = False
    is_editor: bool = False
    roles: frozenset = field(default_factory=frozenset)

    @property
    def document_levels(self) -> list[str]:
        levels = [Document.Visibility.PUBLIC]
        if self.is_member:
            levels.append(Document.Visibility.MEMBERS)
        if self.is_editor:
            levels.append(Document.Visibility.STEERING)
        return levels


def compact_access(*, user, compact: Compact, on: datetime.date | None = None) -> Access:
    """The user's access to ``compact`` (two queries at most)."""
    if not getattr(user, "is_authenticated", False):
        return Access()
    if user.is_superuser:
        return Access(is_member=True, is_editor=True, roles=frozenset(CompactRole.Role.values))
    roles = frozenset(
        CompactRole.objects.filter(compact=compact, user=user).values_list("role", flat=True)
    )
    is_editor = bool(roles & set(CompactRole.EDITING_ROLES))
    is_member = bool(roles)
    if not is_member:
        on = on or timezone.localdate()
        is_member = (
            CharterSignatory.objects.current(on)
            .filter(charter__compact=compact, organisation__profiles__user=user)
            .exists()
        )
    return Access(is_member=is_member, is_editor=is_editor, roles=roles)


def compacts_edited_by(user):
    """Compacts the user may edit (used to scope the admin)."""
    if user.is_superuser:
        return Compact.objects.all()
    return Compact.objects.filter(
        roles__user=user, roles__role__in=CompactRole.EDITING_ROLES
    ).distinct()


def compact_get(*, slug: str) -> Compact:
    compact = Compact.objects.select_related("facilitating_agency").filter(slug=slug).first()
    if compact is None:
        raise Http404("No such compact.")
    return compact


def compact_list():
    return Compact.objects.select_related("facilitating_agency").order_by("name")


# Terms, aims and priorities ---------------------------------------------------------------


def terms_in_force(*, compact: Compact, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return (
        TermsOfReference.objects.filter(compact=compact)
        .in_force(on)
        .prefetch_related("aims")
        .first()
    )


def terms_list(*, compact: Compact):
    return TermsOfReference.objects.filter(compact=compact).order_by("-version")


def terms_get(*, compact: Compact, version: int) -> TermsOfReference:
    terms = (
        TermsOfReference.objects.filter(compact=compact, version=version)
        .prefetch_related("aims")
        .first()
    )
    if terms is None:
        raise Http404("No such version.")
    return terms


def current_statement(*, compact: Compact, on: datetime.date | None = None):
    """The statement of annual priorities covering ``on``, or the latest one before it."""
    on = on or timezone.localdate()
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    qs = PrioritiesStatement.objects.filter(compact=compact).prefetch_related(
        Prefetch("priorities", queryset=priorities)
    )
    return (
        qs.filter(starts_on__lte=on, ends_on__gte=on).first()
        or qs.filter(starts_on__lte=on).order_by("-starts_on").first()
        or qs.order_by("starts_on").first()
    )


def member_organisations(*, compact: Compact):
    """Signatories of the compact's latest charter that have not withdrawn (the public
    page lists them with the charter period; renewals due are shown on the charter page)."""
    latest = compact.charters.order_by("-starts_on").values("pk")[:1]
    return (
        CharterSignatory.objects.filter(charter__in=latest, withdrawn_on__isnull=True)
        .select_related("organisation", "charter")
        .order_by("organisation__name")
    )


def latest_meeting_year(*, compact: Compact) -> int:
    """The year of the compact's latest held meeting (the attendance report's default)."""
    latest = (
        Meeting.objects.filter(group__compact=compact, status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(latest).year if latest else timezone.localdate().year


def signatories_latest(*, compact: Compact):
    """Every signature of the compact's charters, latest charter first."""
    return (
        CharterSignatory.objects.filter(charter__compact=compact)
        .select_related("organisation", "charter", "senior_representative", "deputy", "champion")
        .order_by("-charter__starts_on", "organisation__name")
    )


# Groups and meetings ----------------------------------------------------------------------


def group_list(*, compact: Compact, on: datetime.date | None = None):
    on = on or timezone.localdate()
    members = (
        GroupMembership.objects.current(on)
        .select_related("person", "organisation")
        .order_by("role", "person__full_name")
    )
    return (
        Group.objects.filter(compact=compact)
        .select_related("priority", "reports_to")
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="current_members"))
        .order_by("kind", "name")
    )


def group_get(*, compact: Compact, pk: int) -> Group:
    group = Group.objects.filter(compact=compact, pk=pk).first()
    if group is None:
        raise Http404("No such group.")
    return group


def group_members_on(*, group: Group, on: datetime.date):
    """The group's members on ``on`` (whose attendance a meeting that day records)."""
    return (
        GroupMembership.objects.current(on)
        .filter(group=group)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__full_name")
    )


def meetings_to_hold(*, group: Group):
    """The group's scheduled meetings whose time has come: they are marked held (with
    their attendance) rather than recorded again."""
    return (
        Meeting.objects.filter(
            group=group, status=Meeting.Status.SCHEDULED, starts_at__lte=timezone.now()
        )
        .select_related("group__compact")
        .order_by("-starts_at")
    )


def meetings_for_documents(*, compact: Compact):
    """Meetings a paper or minutes may be attached to (not moved or cancelled)."""
    return (
        Meeting.objects.filter(
            group__compact=compact,
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
        )
        .select_related("group")
        .order_by("-starts_at")
    )


def meetings_for(*, compact: Compact, access: Access):
    qs = (
        Meeting.objects.filter(group__compact=compact)
        .select_related("group__compact")
        .annotate(
            present_count=Count("attendances", filter=Q(attendances__status="present")),
            apologies_count=Count("attendances", filter=Q(attendances__status="apologies")),
        )
        .order_by("-starts_at")
    )
    if not access.is_member:
        qs = qs.filter(is_public=True)
    return qs


def upcoming_good_practice_events(*, compact: Compact, limit: int = 5):
    """The compact's published good-practice events that have not ended, soonest first,
    with their place counts."""
    from events.models import Event

    return list(
        Event.objects.published()
        .filter(compacts=compact)
        .upcoming()
        .with_place_counts()
        .select_related("organiser")[:limit]
    )


def upcoming_public_meetings(*, compact: Compact, limit: int = 5):
    return (
        Meeting.objects.filter(
            group__compact=compact,
            is_public=True,
            starts_at__gte=timezone.now(),
            status=Meeting.Status.SCHEDULED,
        )
        .select_related("group__compact")
        .order_by("starts_at")[:limit]
    )


def meeting_get(*, compact: Compact, access: Access, pk: int) -> Meeting:
    meeting = (
        meetings_for(compact=compact, access=access)
        .select_related("moved_to__group__compact")
        .prefetch_related(
            "agenda_items",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "organisation").order_by(
                    "organisation__name", "person__full_name"
                ),
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.visible_at(access.document_levels)
                .select_related("compact")
                .order_by("title"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


@dataclass
class AttendanceRow:
    """One member organisation's year. ``meetings_held``: the steering group's meetings
    held in the year; ``meetings_expected``: those held while the organisation was a
    member (the ones the charter expected it at); ``attended`` and ``apologies`` count
    only those; ``required`` is the charter's minimum, never more than
    ``meetings_expected`` (an organisation that joined in November cannot attend two)."""

    organisation: object
    meetings_held: int
    meetings_expected: int
    attended: int
    apologies: int
    required: int

    @property
    def applies(self) -> bool:
        """False when no meeting was held while it was a member: nothing to judge."""
        return self.meetings_expected > 0

    @property
    def meets_rule(self) -> bool:
        return self.attended >= self.required


def _membership_end(signature) -> datetime.date:
    """The last day of a signature's membership: its renewal date, or the day it withdrew
    if earlier."""
    if signature.withdrawn_on and signature.withdrawn_on < signature.renewal_due_on:
        return signature.withdrawn_on
    return signature.renewal_due_on


def attendance_report(*, compact: Compact, year: int) -> list[AttendanceRow]:
    """Each member organisation's attendance in calendar ``year`` against the charter's
    rule ("members or their nominated deputies will be expected to attend a minimum of 2
    meetings per year").

    Precisely: the meetings counted are the compact's steering-group meetings that were
    held (not moved or cancelled) in the year; an organisation is expected at those held
    while it was a member, i.e. on a day from a signature's ``joined_on`` to its renewal
    date or withdrawal, whichever is first (several charter versions' signatures add up).
    It attended a meeting if anyone represented it there as present; apologies count the
    expected meetings it sent apologies to and did not attend. Meetings of task-and-finish
    groups, and meetings before it joined or after it left, do not count either way. It
    is listed if it was a member on any day of the year. The minimum is that of its latest
    charter signed, capped at the meetings it was expected at. Three queries whatever the
    size."""
    return attendance_reports(years={compact.pk: year})[compact.pk]


def attendance_reports(*, years: dict[int, int]) -> dict[int, list[AttendanceRow]]:
    """``attendance_report`` for several compacts at once, each for its own year
    ({compact id: year}): still three queries, whatever the number of compacts."""
    if not years:
        return {}
    signed, held = Q(pk__in=[]), Q(pk__in=[])
    for compact_id, year in years.items():
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        signed |= Q(
            charter__compact_id=compact_id, joined_on__lte=end, renewal_due_on__gte=start
        ) & ~Q(withdrawn_on__lt=start)
        held |= Q(group__compact_id=compact_id, starts_at__year=year)
    signatures = (
        CharterSignatory.objects.filter(signed)
        .select_related("organisation", "charter")
        .order_by("organisation__name", "-charter__starts_on")
    )
    organisations = {compact_id: {} for compact_id in years}
    required, periods = {}, {}
    for signature in signatures:
        if _membership_end(signature) < signature.joined_on:
            continue  # withdrew before the membership began
        compact_id, org = signature.charter.compact_id, signature.organisation
        if org.pk not in organisations[compact_id]:
            organisations[compact_id][org.pk] = org
            required[(compact_id, org.pk)] = signature.charter.minimum_meetings_per_year
        periods.setdefault((compact_id, org.pk), []).append(
            (signature.joined_on, _membership_end(signature))
        )
    held_days = {compact_id: {} for compact_id in years}
    for pk, starts_at, compact_id in Meeting.objects.filter(
        held, group__kind=Group.Kind.STEERING, status=Meeting.Status.HELD
    ).values_list("pk", "starts_at", "group__compact_id"):
        held_days[compact_id][pk] = timezone.localtime(starts_at).date()
    present, apologies = defaultdict(set), defaultdict(set)
    every_meeting = [pk for days in held_days.values() for pk in days]
    every_organisation = {pk for orgs in organisations.values() for pk in orgs}
    for meeting_id, organisation_id, status in (
        Attendance.objects.filter(
            meeting_id__in=every_meeting, organisation_id__in=every_organisation
        )
        .exclude(status=Attendance.Status.ABSENT)
        .values_list("meeting_id", "organisation_id", "status")
        .distinct()
    ):
        # Meetings belong to one compact, so the sets below are cut to each compact's.
        (present if status == Attendance.Status.PRESENT else apologies)[organisation_id].add(
            meeting_id
        )
    reports = {}
    for compact_id, orgs in organisations.items():
        days = held_days[compact_id]
        rows = []
        for pk, org in orgs.items():
            expected = {
                meeting_id
                for meeting_id, day in days.items()
                if any(joined <= day <= until for joined, until in periods[(compact_id, pk)])
            }
            attended = present[pk] & expected
            rows.append(
                AttendanceRow(
                    organisation=org,
                    meetings_held=len(days),
                    meetings_expected=len(expected),
                    attended=len(attended),
                    apologies=len((apologies[pk] & expected) - attended),
                    required=min(required[(compact_id, pk)], len(expected)),
                )
            )
        reports[compact_id] = rows
    return reports


def latest_meeting_years(*, compacts) -> dict[int, int]:
    """``latest_meeting_year`` of each of ``compacts``, in one query."""
    latest = dict(
        Meeting.objects.filter(group__compact__in=compacts, status=Meeting.Status.HELD)
        .order_by()
        .values("group__compact_id")
        .annotate(latest=Max("starts_at"))
        .values_list("group__compact_id", "latest")
    )
    this_year = timezone.localdate().year
    return {
        compact.pk: timezone.localtime(latest[compact.pk]).year
        if compact.pk in latest
        else this_year
        for compact in compacts
    }


# Action plans and health ------------------------------------------------------------------


def stale_weeks() -> int:
    return int(settings.TALENTHUB.get("COMPACT_STALE_WEEKS", 8))


def actions_with_health(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Actions annotated with their rolled-up status and progress and their health flags,
    all computed in the database (no per-row queries).

    Roll-up rule for an action with sub-actions: progress is the mean of its
    sub-actions' progress (rounded down); status is *done* when every sub-action is done,
    otherwise the worst of them (off track, then at risk), otherwise *not started* when
    none has started, otherwise *on track*. An action without sub-actions keeps its own.

    Flags (each a boolean annotation, ``flag_count`` their sum):
    - ``flag_overdue``: target date passed and the (rolled-up) status is not done;
    - ``flag_no_lead``: neither a lead person nor a lead organisation;
    - ``flag_no_target``: no target date;
    - ``flag_stale``: not done and no progress update (on it or, for a parent, on any of its
      sub-actions) in COMPACT_STALE_WEEKS weeks (the row's creation counts as its first);
    - ``flag_no_aim``: serves no aim of the terms of reference in force on ``today`` for
      its compact (a sub-action serves its parent's aims too); an action citing only
      aims of superseded terms is flagged.
    """
    today = today or timezone.localdate()
    stale_before = today - datetime.timedelta(weeks=stale_weeks())
    qs = Action.objects.all()
    if compact is not None:
        qs = qs.filter(plan__compact=compact)
    aims_through = Action.aims.through
    children = Action.objects.filter(parent=OuterRef("pk"))
    # The terms in force for each row's compact, as a scalar subquery: the query stays one
    # whatever the number of compacts or actions.
    qs = qs.annotate(
        terms_in_force_id=Subquery(
            TermsOfReference.objects.filter(compact=OuterRef("plan__compact"))
            .in_force(today)
            .values("pk")[:1]
        )
    )
    current_aims = aims_through.objects.filter(aim__terms_id=OuterRef("terms_in_force_id"))
    # Each figure over sub-actions or updates is its own subquery: joining sub-actions and
    # updates (and the sub-actions' updates) to one action multiplied them (issue 21).
    sub_actions = Action.objects.all()
    own_last_update = related_aggregate(
        ProgressUpdate.objects.all(), Max("on"), link="action", output_field=DateField()
    )
    qs = qs.annotate(
        child_count=related_count(sub_actions, link="parent"),
        child_done=related_count(sub_actions.filter(status=Status.DONE), link="parent"),
        child_off=related_count(sub_actions.filter(status=Status.OFF_TRACK), link="parent"),
        child_risk=related_count(sub_actions.filter(status=Status.AT_RISK), link="parent"),
        child_not_started=related_count(
            sub_actions.filter(status=Status.NOT_STARTED), link="parent"
        ),
        child_progress_sum=Coalesce(
            _sum_subquery(children, "percent_complete"), Value(0), output_field=IntegerField()
        ),
        own_last_update=own_last_update,
        # The latest of the sub-actions' own latest updates: a subquery per sub-action
        # (found through the parent index), not updates joined to actions and filtered
        # on the parent, which read every update once for each action.
        child_last_update=related_aggregate(
            sub_actions.annotate(own_last=own_last_update),
            Max("own_last"),
            link="parent",
            output_field=DateField(),
        ),
        has_own_aim=Exists(current_aims.filter(action_id=OuterRef("pk"))),
        has_parent_aim=Exists(current_aims.filter(action_id=OuterRef("parent_id"))),
        created_date=TruncDate("created_at"),
    ).annotate(
        rolled_status=Case(
            When(child_count=0, then=F("status")),
            When(child_done=F("child_count"), then=Value(Status.DONE)),
            When(child_off__gt=0, then=Value(Status.OFF_TRACK)),
            When(child_risk__gt=0, then=Value(Status.AT_RISK)),
            When(child_not_started=F("child_count"), then=Value(Status.NOT_STARTED)),
            default=Value(Status.ON_TRACK),
        ),
        rolled_percent=Case(
            When(child_count=0, then=F("percent_complete")),
            default=F("child_progress_sum") / F("child_count"),
            output_field=IntegerField(),
        ),
        last_update_on=Case(
            When(child_last_update__gt=F("own_last_update"), then=F("child_last_update")),
            When(own_last_update__isnull=True, then=F("child_last_update")),
            default=F("own_last_update"),
        ),
    )
    qs = qs.annotate(
        flag_overdue=Case(
            When(Q(target_date__lt=today) & ~Q(rolled_status=Status.DONE), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_lead=Case(
            When(lead_person__isnull=True, lead_organisation__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_target=Case(
            When(target_date__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_stale=Case(
            When(rolled_status=Status.DONE, then=Value(False)),
            When(last_update_on__gte=stale_before, then=Value(False)),
            When(last_update_on__isnull=False, then=Value(True)),
            When(Q(created_date__lt=stale_before), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_aim=Case(
            When(has_own_aim=False, has_parent_aim=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).annotate(
        flag_count=Case(When(flag_overdue=True, then=1), default=0)
        + Case(When(flag_no_lead=True, then=1), default=0)
        + Case(When(flag_no_target=True, then=1), default=0)
        + Case(When(flag_stale=True, then=1), default=0)
        + Case(When(flag_no_aim=True, then=1), default=0)
    )
    return qs.select_related(
        "plan", "plan__compact", "lead_person", "lead_organisation", "priority", "parent"
    ).prefetch_related("aims")


def _sum_subquery(queryset, field_name):
    """SUM(field) over ``queryset`` as a scalar subquery: a plain Sum() over the join would
    be multiplied by the progress-update rows joined for the other annotations."""
    return Subquery(
        queryset.order_by().values("parent").annotate(total=Sum(field_name)).values("total")[:1],
        output_field=IntegerField(),
    )


def actions_health(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Actions with health annotations (see ``actions_with_health``), in plan order."""
    return actions_with_health(compact=compact, today=today).order_by(
        "plan__title", "order", "code"
    )


def flagged_actions(*, compact: Compact | None = None, today: datetime.date | None = None):
    return actions_health(compact=compact, today=today).filter(flag_count__gt=0)


def action_is_led_by(*, compact: Compact, pk: int, user) -> bool:
    """Whether ``user`` leads action ``pk`` of ``compact``, or the action it is part of:
    the digest's recipients may open and update the actions it lists for them."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Action.objects.filter(plan__compact=compact, pk=pk)
        .filter(Q(lead_person=user) | Q(parent__lead_person=user))
        .exists()
    )


def action_get(*, compact: Compact, pk: int):
    action = (
        actions_with_health(compact=compact)
        .prefetch_related("updates__author", "sub_actions")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def survey_results(*, compact: Compact):
    return (
        Survey.objects.filter(compact=compact)
        .select_related("group")
        .annotate(
            sent_count=Count("invitations", distinct=True),
            reply_count=Count(
                "invitations", filter=Q(invitations__responded_on__isnull=False), distinct=True
            ),
            usable_count=Count(
                "invitations",
                filter=Q(invitations__responded_on__isnull=False, invitations__usable=True),
                distinct=True,
            ),
        )
        .order_by("-sent_on")
    )


def survey_get(*, compact: Compact, pk: int):
    """One survey with its response counts and every question's answers (usable replies
    only), in three queries."""
    from .models import SurveyAnswer, SurveyQuestion

    answers = SurveyAnswer.objects.filter(invitation__usable=True).order_by("id")
    survey = (
        survey_results(compact=compact)
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=SurveyQuestion.objects.prefetch_related(
                    Prefetch("answers", queryset=answers, to_attr="usable_answers")
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404("No such survey.")
    for question in survey.questions.all():
        values = question.usable_answers
        question.yes_count = sum(1 for a in values if a.yes is True)
        question.no_count = sum(1 for a in values if a.yes is False)
        scales = [a.scale for a in values if a.scale is not None]
        question.scale_mean = round(sum(scales) / len(scales), 1) if scales else None
        question.texts = [a.text for a in values if a.text]
    return survey
