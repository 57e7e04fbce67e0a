"""The attendance report: each member organisation's year against the charter's
minimum number of meetings."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import Attendance, CharterSignatory, Compact, Group, Meeting


def latest_meeting_year(*, compact: Compact) -> int:
    """The year of the compact's latest held meeting (the attendance report's default)."""
    latest = (
        Meeting.objects.filter(group__compact=compact, status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(latest).year if latest else timezone.localdate().year


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


def meetings_held_counts(*, years: dict[int, int]) -> dict[int, int]:
    """How many meetings (of any of its groups) each compact held in its year of
    ``years`` (``{compact_id: year}``), in one query. Counted from the meetings, not from
    the attendance report's member organisations, so a year with a recorded meeting but
    no charter member yet still shows it."""
    if not years:
        return {}
    in_year = Q(pk__in=[])
    for compact_id, year in years.items():
        in_year |= Q(group__compact_id=compact_id, starts_at__year=year)
    counts = dict(
        Meeting.objects.filter(in_year, status=Meeting.Status.HELD)
        .order_by()
        .values("group__compact_id")
        .annotate(held=Count("pk"))
        .values_list("group__compact_id", "held")
    )
    return {compact_id: counts.get(compact_id, 0) for compact_id in years}


def meeting_years(*, compacts) -> list[int]:
    """The years in which any of ``compacts`` held a meeting, latest first, with the
    current year always offered (for a year selector)."""
    years = set(
        Meeting.objects.filter(group__compact__in=compacts, status=Meeting.Status.HELD)
        .dates("starts_at", "year")
        .values_list("starts_at__year", flat=True)
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
