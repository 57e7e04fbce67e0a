"""The insights reports: aggregates only, computed in a fixed number of queries whatever
the number of members.

The equality reports (``journey``, ``representation``) are the only code that reads
monitoring answers, and they read them only inside ``GROUP BY`` queries: what leaves
this module is a count per group, rounded and audited (``insights.disclosure``) before
any view sees it. There is no function here, or anywhere, that returns a person's answers to
anyone but that person (``MonitoringRecord`` of ``request.user`` in the member's own
pages and data download).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import CareerEntry, TalentPoolMember
from cohorts.models import Application, Attendance, Cohort, Feedback, Participant
from events.models import Booking, Event
from programmes.models import Programme
from talenthub.core import page_cache
from talenthub.core.choices import CareerLevel
from talenthub.core.models import Profile
from talenthub.core.permissions import is_programme_manager, provider_scoped, user_provider

from .choices import CHARACTERISTICS, NOT_RECORDED, Characteristic
from .disclosure import Cell, Figure, Problem, Table, gap, method, percent, rate
from .models import EqualityRelease, current_consent_answer
from .permissions import can_view_equality

# Journey by group ---------------------------------------------------------------------

STAGES = [
    ("applied", _("Applied")),
    ("offered", _("Offered a place")),
    ("enrolled", _("Enrolled")),
    ("completed", _("Completed")),
    ("promoted", _("Promoted after completing")),
]


TRANSITIONS = [
    _("Offered a place, of those who applied"),
    _("Enrolled, of those offered a place"),
    _("Completed, of those enrolled"),
    _("Promoted, of those who completed"),
]


def journey_stage_filters() -> dict[str, Q]:
    """Each stage up to completion as a condition on a submitted application (its own
    row: one person applying to two cohorts makes two). *Promoted* is ``promoted``."""
    return {
        "applied": Q(pk__isnull=False),
        "offered": Q(offer_count__gt=0) | Q(participant__isnull=False),
        "enrolled": Q(participant__isnull=False),
        "completed": Q(participant__status=Participant.Status.COMPLETED),
    }


def promoted(completions: list[tuple[int, datetime.date]]) -> set[tuple[int, datetime.date]]:
    """Of (person, cohort end date) completions, those whose career history shows a role
    at a higher level than any they held when the cohort ended, starting after it ended.
    Someone with no role recorded up to the cohort's end has no baseline and counts as
    not promoted (so the figure is a lower bound, like the alumni outcomes). One query."""
    people = {person for person, _ended in completions}
    history = defaultdict(list)
    for person, started_on, level in (
        CareerEntry.objects.filter(user_id__in=people)
        .order_by()
        .values_list("user_id", "started_on", "level")
    ):
        history[person].append((started_on, level))
    found = set()
    for person, ended in completions:
        entries = history.get(person, [])
        baseline = max((level for started, level in entries if started <= ended), default=None)
        if baseline is not None and any(
            started > ended and level > baseline for started, level in entries
        ):
            found.add((person, ended))
    return found


def journey_applications(programme: Programme | None = None):
    qs = Application.objects.filter(submitted_at__isnull=False).exclude(
        status=Application.Status.DRAFT
    )
    if programme is not None:
        qs = qs.filter(cohort__version__programme=programme)
    return qs


@dataclass
class GroupRow:
    key: str
    label: str
    is_reference: bool
    counts: list[Cell]
    rates: list[Figure] = field(default_factory=list)
    gaps: list[Figure] = field(default_factory=list)


@dataclass
class JourneyReport:
    characteristic: Characteristic
    programme: Programme | None
    stages: list[tuple[str, str]]
    rows: list[GroupRow]
    total: GroupRow
    release: object = None
    method: dict = field(default_factory=method)

    @property
    def transitions(self) -> list[str]:
        """Labels of the rates: each stage as a share of the one before."""
        return [str(label) for label in TRANSITIONS]

    @property
    def reference(self) -> GroupRow:
        return next(r for r in self.rows if r.is_reference)


ALL = "all"  # the "all programmes" scope
TOTAL = "total"  # everyone, whatever their group
FIELDS = [c.field for c in CHARACTERISTICS.values()]


def _group_key(char: Characteristic | None, group: str):
    """A group's part of a cell key: "no monitoring information" and the total are the
    same figures in every characteristic's table, so they share a key."""
    return (None, group) if char is None or group == NOT_RECORDED else (char.field, group)


def _fold(rows, scope_of, count_keys: list[str]) -> dict:
    """Sum query rows (one per combination of answers) into {(scope, group key): counts}
    for every characteristic's report groups, the shared groups and the total."""
    folded: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        scope = scope_of(row)
        targets = {_group_key(None, TOTAL)}
        for char in CHARACTERISTICS.values():
            targets.add(_group_key(char, char.group_of(row[f"a_{char.field}"])))
        for target in targets:
            for key in count_keys:
                folded[(scope, target)][key] += row[key]
    return folded


def _all_group_keys() -> list:
    """Every group key of every characteristic and the total, in a fixed order: the
    withholding pattern must not depend on the order of a set (nor differ between two
    processes serving the same page)."""
    keys = {_group_key(None, TOTAL)}
    for char in CHARACTERISTICS.values():
        keys |= {_group_key(char, g) for g, _label in char.report_groups()}
    return sorted(keys, key=lambda k: (k[0] or "", k[1]))


def _answers(user_path: str) -> dict:
    """Each answer of the person at ``user_path``, as ``a_<field>``; None for someone
    with no record or whose consent was to an older statement (no information)."""
    return {f"a_{name}": current_consent_answer(user_path, name) for name in FIELDS}


def current_release(report: str, *, today: datetime.date | None = None):
    """The latest ``EqualityRelease`` of ``report``: every page and CSV shows it. The
    hourly task publishes a period's release when the period starts; if it has not yet,
    the latest earlier release is shown meanwhile and the task is asked to run (the
    audit against the releases before it can take minutes, too long for a page). With
    no release at all (a new site), the first is published at once: with nothing before
    it, it takes about a second."""
    from django.db import transaction

    from .models import EqualityRelease
    from .services import RULES, equality_release_publish, release_period

    period = release_period(today)
    # A release made by other rules (before a deploy that changed them) is not shown:
    # its figures were audited as that code printed them.
    latest = (
        EqualityRelease.objects.filter(report=report, period__lte=period, rules=RULES)
        .order_by("-period")
        .first()
    )
    if latest is None:
        return equality_release_publish(report=report, period=period)
    if latest.period < period:
        transaction.on_commit(lambda: _ask_for_releases(period))
    return latest


def _ask_for_releases(period) -> None:
    """Queue the task that publishes this period's releases, once an hour however many
    pages ask. A page must not fail because the broker cannot take it: the hourly beat
    task publishes them anyway."""
    from django.core.cache import cache

    from talenthub.core.queueing import enqueue

    from .tasks import publish_equality_releases

    if cache.add(f"insights:asked-for-releases:{period}", True, timeout=60 * 60):
        enqueue(publish_equality_releases)


def release_problem(release) -> Problem:
    """The release's figures as published (a ``Problem`` whose cells say what is
    shown and what is withheld)."""
    return Problem.from_data(release.problem)


def _journey_counts() -> tuple[list[dict], list[str]]:
    """One row per programme (and "all programmes") and combination of answers: per
    stage, applications and different applicants; per pair of stages, different
    applicants at the first and not the second (the people between two shown counts).
    Two queries (applications, then the career history of those who completed), one row
    per application, counted here: SQL with twenty distinct counts, each re-running a
    promotion subquery, took seconds on PostgreSQL."""
    filters = journey_stage_filters()
    stage_keys = [key for key, _label in STAGES]
    flags = {
        f"reached_{key}": Case(When(filters[key], then=Value(True)), default=Value(False),
                               output_field=BooleanField())
        for key in stage_keys[1:4]
    }  # fmt: skip
    answers = _answers("applicant")
    applications = list(
        journey_applications()
        .order_by()
        .annotate(**flags, **answers)
        .values_list(
            "cohort__version__programme_id", "applicant_id", "cohort__ends_on", *answers, *flags
        )
    )
    completions = [(row[1], row[2]) for row in applications if row[-1]]
    promotions = promoted(completions)
    n = len(stage_keys)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    fine: dict = {}
    for programme_id, applicant_id, ended, *rest in applications:
        combination, reached_flags = tuple(rest[: len(FIELDS)]), rest[len(FIELDS) :]
        reached = max((i + 1 for i, flag in enumerate(reached_flags) if flag), default=0)
        if reached == 3 and (applicant_id, ended) in promotions:
            reached = 4
        for scope in (programme_id, ALL):
            entry = fine.get((scope, combination))
            if entry is None:
                entry = fine[(scope, combination)] = (
                    [0] * n,
                    [set() for _ in range(n)],
                    {pair: set() for pair in pairs},
                )
            counts, people, between = entry
            for stage in range(reached + 1):
                counts[stage] += 1
                people[stage].add(applicant_id)
                for later in range(reached + 1, n):
                    between[(stage, later)].add(applicant_id)
    keys = [*(f"n_{s}" for s in stage_keys), *(f"p_{s}" for s in stage_keys)]
    keys += [f"d_{stage_keys[i]}_{stage_keys[j]}" for i, j in pairs]
    rows = []
    for (scope, combination), (counts, people, between) in fine.items():
        row = {"scope": scope}
        row.update((f"a_{name}", a) for name, a in zip(FIELDS, combination, strict=True))
        for i, stage in enumerate(stage_keys):
            row[f"n_{stage}"], row[f"p_{stage}"] = counts[i], len(people[i])
        for (i, j), who in between.items():
            row[f"d_{stage_keys[i]}_{stage_keys[j]}"] = len(who)
        rows.append(row)
    return rows, keys


def journey_problem() -> Problem:
    """Every journey figure any page can show, for every characteristic and for each
    programme and all programmes, from the data as it is now: one disclosure-control
    problem, not yet solved (a release solves it). Two queries."""
    rows, keys = _journey_counts()
    folded = _fold(rows, lambda row: row["scope"], keys)
    programmes = sorted({scope for scope, _group in folded if scope != ALL})
    scopes = [*programmes, ALL]
    stage_keys = [key for key, _label in STAGES]
    problem = Problem()

    def cell(stage, scope, group_key):
        counts = folded.get((scope, group_key), {})
        total = group_key[1] == TOTAL
        return problem.cell(
            ("journey", stage, scope, group_key),
            counts.get(f"n_{stage}", 0),
            people=counts.get(f"p_{stage}", 0),
            total=total,
            # The programme outcomes page shows each programme's applications and offers
            # exactly: the audit assumes a reader knows every total (all groups).
            known=total,
        )

    columns = _all_group_keys()
    for stage in stage_keys:
        for char in CHARACTERISTICS.values():
            groups = [_group_key(char, g) for g, _label in char.report_groups()]
            for scope in scopes:
                parts = [cell(stage, scope, g) for g in groups]
                total = cell(stage, scope, _group_key(None, TOTAL))
                problem.add_sum(parts, total)
        for group_key in columns:  # each programme's figure adds up to all programmes'
            parts = [cell(stage, p, group_key) for p in programmes]
            problem.add_sum(parts, cell(stage, ALL, group_key))
    for scope in scopes:
        for group_key in columns:
            counts = folded.get((scope, group_key), {})
            problem.nest(
                [cell(stage, scope, group_key) for stage in stage_keys],
                lambda i, j, counts=counts: counts.get(f"d_{stage_keys[i]}_{stage_keys[j]}", 0),
            )
    return problem


def journey(*, characteristic: str, programme: Programme | None = None) -> JourneyReport:
    """Applied → offered → enrolled → completed → promoted, by group of
    ``characteristic``, for one programme or all, from this period's release: every
    journey was protected together (``journey_problem``), so that no page or combination
    of pages gives a withheld figure away. One query."""
    char = CHARACTERISTICS[characteristic]
    release = current_release(EqualityRelease.Report.JOURNEY)
    problem = release_problem(release)
    scope = programme.pk if programme is not None else ALL
    stage_keys = [key for key, _label in STAGES]

    def counts(group_key):
        return [
            problem.published(("journey", stage, scope, group_key), total=group_key[1] == TOTAL)
            for stage in stage_keys
        ]

    report_rows = [
        GroupRow(
            key=key,
            label=label,
            is_reference=key == char.reference,
            counts=counts(_group_key(char, key)),
        )
        for key, label in char.report_groups()
    ]
    total = GroupRow(
        key="total",
        label=_("All applications"),
        is_reference=False,
        counts=counts(_group_key(None, TOTAL)),
    )
    for row in [*report_rows, total]:
        row.rates = [rate(row.counts[i], row.counts[i - 1]) for i in range(1, len(STAGES))]
    reference = next(r for r in report_rows if r.is_reference)
    for row in [*report_rows, total]:
        row.gaps = [gap(row.rates[i], reference.rates[i]) for i in range(len(row.rates))]
    return JourneyReport(
        characteristic=char,
        programme=programme,
        stages=STAGES,
        rows=report_rows,
        total=total,
        release=release,
        method=method(problem.limit),
    )


def journey_programmes():
    """The programmes of this period's journey release (those with a submitted
    application when it was published), for the report's filter."""
    release = current_release(EqualityRelease.Report.JOURNEY)
    # The cells' keys as stored ("journey", stage, scope, group): no need to rebuild.
    scopes = {key[2] for key, *_cell in release.problem["cells"]}
    return Programme.objects.filter(pk__in=scopes - {ALL}).order_by("title")


# Representation by career level ----------------------------------------------------------

LEVELS = [*((level.value, level.label) for level in CareerLevel), (None, _("Level not given"))]


@dataclass
class RepresentationTable:
    title: str
    population: str
    groups: list[tuple[str, str]]
    levels: list[tuple[int | None, str]]
    table: Table
    reference: str

    def rows(self):
        """(level label, cells, row total, shares of the row) per level."""
        for i, (_value, label) in enumerate(self.levels):
            total = self.table.row_totals[i]
            shares = [rate(cell, total) for cell in self.table.cells[i]]
            yield label, self.table.cells[i], total, shares

    def total_shares(self):
        return [rate(cell, self.table.grand_total) for cell in self.table.column_totals]


@dataclass
class RepresentationReport:
    characteristic: Characteristic
    tables: list[RepresentationTable]
    release: object = None
    method: dict = field(default_factory=method)


POPULATIONS = [
    ("members", _("Members"), _("members")),
    ("alumni", _("Alumni"), _("alumni")),
    # Issue 19: the diversity of talent pool membership, under the same control.
    ("pool", _("Talent pool members"), _("talent pool members")),
]


def representation_problem() -> Problem:
    """Members, alumni and talent pool members by career level, for every
    characteristic, from the data as it is now: one disclosure-control problem (alumni
    and pool members are members too: ``nest``), not yet solved (a release solves it).
    Three queries. A pool member is counted once however many pools they are in."""
    members = Profile.objects.filter(user__is_active=True)
    alumni = members.filter(user_id__in=Participant.objects.completed().values("user_id"))
    pool = members.filter(user_id__in=TalentPoolMember.objects.values("user_id"))
    level_index = {value: i for i, (value, _label) in enumerate(LEVELS)}
    problem = Problem()
    columns = _all_group_keys()
    rows = [*range(len(LEVELS)), -1]  # -1: every level
    for population, profiles in [("members", members), ("alumni", alumni), ("pool", pool)]:
        data = profiles.order_by().values("career_level", **_answers("user"))
        folded = _fold(
            data.annotate(n=Count("pk")), lambda row: level_index[row["career_level"]], ["n"]
        )
        for (_level, group_key), counts in list(folded.items()):
            folded[(-1, group_key)]["n"] += counts["n"]

        def cell(level, group_key, population=population, folded=folded):
            return problem.cell(
                ("representation", population, level, group_key),
                folded.get((level, group_key), {}).get("n", 0),
                total=group_key[1] == TOTAL,
                # Members and alumni at each level, over all groups, may be known from
                # elsewhere (the directory, an organisation's own records): assumed known.
                known=group_key[1] == TOTAL,
            )

        for char in CHARACTERISTICS.values():
            groups = [_group_key(char, g) for g, _label in char.report_groups()]
            for level in rows:
                parts = [cell(level, g) for g in groups]
                problem.add_sum(parts, cell(level, (None, TOTAL)))
        for group_key in columns:
            levels = [cell(level, group_key) for level in range(len(LEVELS))]
            problem.add_sum(levels, cell(-1, group_key))
    for level in rows:
        for group_key in columns:
            for subset in ("alumni", "pool"):
                pair = [("representation", p, level, group_key) for p in ("members", subset)]
                problem.nest([problem.cells[key] for key in pair])
    return problem


def representation(*, characteristic: str) -> RepresentationReport:
    """Members and alumni by career level and group of ``characteristic``, from this
    period's release. One query. Members are active accounts with a profile; alumni,
    those who completed a cohort."""
    char = CHARACTERISTICS[characteristic]
    release = current_release(EqualityRelease.Report.REPRESENTATION)
    problem = release_problem(release)
    groups = [_group_key(char, g) for g, _label in char.report_groups()]
    tables = []
    for population, title, plural in POPULATIONS:

        def cell(level, group_key, population=population):
            return problem.published(
                ("representation", population, level, group_key), total=group_key[1] == TOTAL
            )

        levels = range(len(LEVELS))
        table = Table(
            cells=[[cell(level, g) for g in groups] for level in levels],
            row_totals=[cell(level, (None, TOTAL)) for level in levels],
            column_totals=[cell(-1, g) for g in groups],
            grand_total=cell(-1, (None, TOTAL)),
        )
        tables.append(
            RepresentationTable(
                title=title,
                population=plural,
                groups=char.report_groups(),
                levels=LEVELS,
                table=table,
                reference=char.reference,
            )
        )
    return RepresentationReport(
        characteristic=char,
        tables=tables,
        release=release,
        method=method(problem.limit),
    )


# Kept figures ---------------------------------------------------------------------------------


def report_scope(user) -> tuple:
    """Everything besides the data that the programme outcomes and event demand reports
    turn on for ``user``, as ``cohorts_for_insights`` and ``events_for_insights`` (through
    ``provider_scoped``) decide it: everything for an analyst or a superuser who manages
    programmes, their provider's for a programme manager, nothing for anyone else."""
    if can_view_equality(user):
        return ("all",)
    if not is_programme_manager(user):
        return ("none",)
    if user.is_superuser:
        return ("all",)
    return ("provider", user_provider(user).pk)


def _kept(name: str, key: tuple, compute, *, meta=lambda: None, fresh=lambda meta: True):
    """``compute()``, kept until the data changes: under the data version of
    ``talenthub.core.page_cache`` (bumped when a transaction that saved or deleted a row
    commits, so a change shows on the next request) and ``key``, for
    ``PUBLIC_PAGE_CACHE_SECONDS`` at most (a change made only by ``update()`` or
    ``bulk_create`` shows within that; 0 turns keeping off). ``meta()``, asked after
    ``compute()`` and kept with it, tells ``fresh(meta)`` whether the kept figures still
    hold (for figures that turn on the clock)."""
    seconds = page_cache.timeout()
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode()).hexdigest()
    cache_key = f"talenthub:insights:{name}:{page_cache.data_version()}:{digest}"
    kept = cache.get(cache_key)
    if not page_cache.cache_is_shared():  # Redis down: this process's cache only
        return compute()
    if kept is not None and fresh(kept[1]):
        return kept[0]
    figures = compute()
    cache.set(cache_key, (figures, meta()), seconds)
    return figures


# Programme outcomes ----------------------------------------------------------------------


def cohorts_for_insights(user):
    """Cohorts whose outcomes ``user`` may see: every cohort for analysts and
    superusers; for a programme manager those of their provider and, for an owner, its
    franchisees' cohorts of its programmes (as in the cohorts app)."""
    if can_view_equality(user):
        return Cohort.objects.all()
    return provider_scoped(Cohort.objects.all(), user, "provider", "version__programme__owner")


@dataclass
class OutcomeYear:
    programme_id: int
    programme: str
    year: int
    cohorts: int = 0
    places: int = 0
    applications: int = 0
    joined_waiting_list: int = 0
    still_waiting: int = 0
    offered: int = 0
    enrolled: int = 0
    completed: int = 0
    not_completed: int = 0
    withdrawn: int = 0
    sessions_recorded: int = 0
    present: int = 0
    absent: int = 0
    apologies: int = 0
    feedback_count: int = 0
    feedback_mean: float | None = None

    @property
    def applications_per_place(self) -> float | None:
        return self.applications / self.places if self.places else None

    @property
    def completion_rate(self) -> Figure:
        decided = self.completed + self.not_completed
        return percent(self.completed, decided)

    @property
    def attendance_rate(self) -> Figure:
        return percent(self.present, self.sessions_recorded)

    @property
    def no_show_rate(self) -> Figure:
        """Absent without apologies, of the attendance recorded."""
        return percent(self.absent, self.sessions_recorded)


def programme_outcomes(*, user) -> list[OutcomeYear]:
    """Per programme and cohort start year: cohorts and places; demand (submitted
    applications, those that joined the waiting list, those still waiting, offers);
    participants and completions; session attendance and no-shows; feedback responses
    and the mean overall rating (1–5). Five queries, kept until the data changes
    (``_kept``: nothing here turns on the clock). Counts are of cohorts, not of a
    monitored group, so they are not suppressed."""
    return _kept(
        "programme-outcomes",
        report_scope(user),
        lambda: _programme_outcomes(cohorts_for_insights(user)),
    )


def _programme_outcomes(cohorts) -> list[OutcomeYear]:
    cohorts = cohorts.exclude(status=Cohort.Status.CANCELLED)
    rows: dict[tuple, OutcomeYear] = {}

    def key(prefix=""):
        return {
            "programme_id": F(f"{prefix}version__programme_id"),
            "title": F(f"{prefix}version__programme__title"),
            "year": ExtractYear(f"{prefix}starts_on"),
        }

    def row_for(r):
        return rows.setdefault(
            (r["programme_id"], r["year"]),
            OutcomeYear(programme_id=r["programme_id"], programme=r["title"], year=r["year"]),
        )

    for r in cohorts.order_by().values(**key()).annotate(n=Count("pk"), places=Sum("capacity")):
        row = row_for(r)
        row.cohorts, row.places = r["n"], r["places"] or 0
    for r in (
        journey_applications()
        .filter(cohort__in=cohorts)
        .order_by()
        .values(**key("cohort__"))
        .annotate(
            n=Count("pk"),
            joined=Count("pk", filter=Q(waiting_since__isnull=False)),
            waiting=Count("pk", filter=Q(status=Application.Status.WAITING)),
            offered=Count("pk", filter=journey_stage_filters()["offered"]),
        )
    ):
        row = row_for(r)
        row.applications, row.joined_waiting_list = r["n"], r["joined"]
        row.still_waiting, row.offered = r["waiting"], r["offered"]
    status = Participant.Status
    for r in (
        Participant.objects.filter(cohort__in=cohorts)
        .order_by()
        .values(**key("cohort__"))
        .annotate(
            enrolled=Count("pk", filter=~Q(status=status.WITHDRAWN)),
            completed=Count("pk", filter=Q(status=status.COMPLETED)),
            not_completed=Count("pk", filter=Q(status=status.NOT_COMPLETED)),
            withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        )
    ):
        row = row_for(r)
        row.enrolled, row.completed = r["enrolled"], r["completed"]
        row.not_completed, row.withdrawn = r["not_completed"], r["withdrawn"]
    for r in (
        Attendance.objects.filter(session__cohort__in=cohorts)
        .order_by()
        .values(**key("session__cohort__"))
        .annotate(
            recorded=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
            apologies=Count("pk", filter=Q(status=Attendance.Status.APOLOGIES)),
        )
    ):
        row = row_for(r)
        row.sessions_recorded, row.present = r["recorded"], r["present"]
        row.absent, row.apologies = r["absent"], r["apologies"]
    for r in (
        Feedback.objects.filter(participant__cohort__in=cohorts)
        .order_by()
        .values(**key("participant__cohort__"))
        .annotate(n=Count("pk"), mean=Avg("overall_rating"))
    ):
        row = row_for(r)
        row.feedback_count, row.feedback_mean = r["n"], r["mean"]
    return sorted(rows.values(), key=lambda r: (r.programme, r.programme_id, r.year))


# Event demand ------------------------------------------------------------------------------


def events_for_insights(user):
    if can_view_equality(user):
        return Event.objects.all()
    return provider_scoped(Event.objects.all(), user, "organiser")


def joined_waiting_list(prefix: str = "") -> Q:
    """A booking that was on the waiting list at some point. Derived, not stored: a
    booking made with a place free is confirmed at the moment it joins; anything else —
    waiting now, offered (now or before), confirmed after joining (promoted), ended
    without ever having had a place — queued first. ``prefix`` is the path to the booking
    (``"bookings__"`` from an event), so the condition is on the joined row itself."""
    status = Booking.Status
    return (
        Q(**{f"{prefix}status__in": [status.WAITING, status.OFFERED, status.DECLINED,
                                     status.EXPIRED]})
        | Q(**{f"{prefix}offer_number__gt": 0})
        | Q(**{f"{prefix}confirmed_at__gt": F(f"{prefix}joined_at")})
        | Q(**{f"{prefix}status": status.CANCELLED, f"{prefix}confirmed_at__isnull": True})
    )  # fmt: skip


@dataclass
class DemandYear:
    year: int
    events: int = 0
    places: int = 0
    booked: int = 0
    attended: int = 0
    no_shows: int = 0
    joined_waiting_list: int = 0
    still_waiting_at_start: int = 0
    full_events: int = 0

    @property
    def no_show_rate(self) -> Figure:
        recorded = self.attended + self.no_shows
        return percent(self.no_shows, recorded)

    @property
    def fill_rate(self) -> Figure:
        return percent(self.booked, self.places)


def event_demand(*, user, now=None) -> list[DemandYear]:
    """Per calendar year of events that have started (published, not cancelled):
    places, bookings, attendance and no-shows (of attendance recorded), people who joined
    a waiting list, people still waiting when the event began, and events that filled.
    One query (a row per event); kept until the data changes (``_kept``) or the next
    event starts (one more query when they are worked out), whichever comes first, and
    only for a ``now`` between the last start counted and that one."""
    now = now or timezone.now()
    published = events_for_insights(user).filter(status=Event.Status.PUBLISHED)
    started = {}

    def compute():
        years, started["last"] = _event_demand(published.filter(starts_at__lte=now))
        return years

    def starts():
        next_start = (
            published.filter(starts_at__gt=now).order_by("starts_at")
            .values_list("starts_at", flat=True).first()
        )  # fmt: skip
        return started["last"], next_start

    def fresh(starts):
        last_start, next_start = starts
        return (last_start is None or last_start <= now) and (
            next_start is None or now < next_start
        )

    # The year of an event is its local date's: the time zone is part of the key.
    scope = (*report_scope(user), timezone.get_current_timezone_name())
    return _kept("event-demand", scope, compute, meta=starts, fresh=fresh)


def _event_demand(events) -> tuple[list[DemandYear], datetime.datetime | None]:
    """The years' figures of ``events``, and the latest of their starts."""
    status = Booking.Status
    events = (
        events.order_by()
        .annotate(
            booked=Count("bookings", filter=Q(bookings__status=status.CONFIRMED)),
            attended=Count("bookings", filter=Q(bookings__attendance="attended")),
            no_shows=Count("bookings", filter=Q(bookings__attendance="no_show")),
            # On the joined rows, not ``bookings__in=<every booking that waited>``:
            # that subquery read the whole booking table (250,000 rows at ×100) for
            # the few events that have started.
            waited=Count("bookings", filter=joined_waiting_list("bookings__")),
            still_waiting=Count("bookings", filter=Q(bookings__status=status.WAITING)),
        )
        .values(
            "starts_at", "capacity", "booked", "attended", "no_shows", "waited", "still_waiting"
        )  # fmt: skip
    )
    years: dict[int, DemandYear] = {}
    last_start = None
    for e in events:
        last_start = max(last_start or e["starts_at"], e["starts_at"])
        year = timezone.localtime(e["starts_at"]).year
        row = years.setdefault(year, DemandYear(year=year))
        row.events += 1
        row.places += e["capacity"]
        row.booked += e["booked"]
        row.attended += e["attended"]
        row.no_shows += e["no_shows"]
        row.joined_waiting_list += e["waited"]
        row.still_waiting_at_start += e["still_waiting"]
        row.full_events += e["booked"] >= e["capacity"]
    return [years[y] for y in sorted(years)], last_start


# Compact health ------------------------------------------------------------------------------


def compacts_for_insights(user):
    from compact.models import Compact
    from compact.selectors import compacts_edited_by

    if can_view_equality(user) or user.is_superuser:
        return Compact.objects.all()
    return compacts_edited_by(user)


def compact_ids_for_insights(user) -> list[int]:
    """The ids of the compacts ``compact_health`` reports on for ``user``, in order (one
    query): what scopes the report to its reader."""
    return list(compacts_for_insights(user).order_by("pk").values_list("pk", flat=True))


@dataclass
class CompactHealth:
    compact: object
    year: int
    status_counts: dict = field(default_factory=dict)
    actions: int = 0
    flagged: int = 0
    flag_counts: dict = field(default_factory=dict)
    organisations: int = 0
    meeting_rule: int = 0
    meetings_held: int = 0


FLAGS = [
    ("flag_overdue", _("Overdue")),
    ("flag_no_lead", _("No lead")),
    ("flag_no_target", _("No target date")),
    ("flag_stale", _("No recent update")),
    ("flag_no_aim", _("Serves no aim")),
]


def compact_health(*, user, year: int | None = None, today=None) -> list[CompactHealth]:
    """For each compact the user may see: top-level actions by (rolled-up) status, the
    actions carrying each health flag, and for ``year`` (default: the current year) the
    meetings held and how many member organisations met the charter's attendance rule.
    A constant number of queries whatever the number of compacts, actions or members
    (the actions' health: ``compact.selectors.compact_actions_health``)."""
    from compact.models import Action
    from compact.selectors import (
        attendance_reports,
        compact_actions_health,
        meetings_held_counts,
    )

    today = today or timezone.localdate()
    compacts = list(compacts_for_insights(user).order_by("name"))
    years = {c.pk: year or today.year for c in compacts}
    health = {}
    for compact in compacts:
        health[compact.pk] = CompactHealth(compact=compact, year=years[compact.pk])
        health[compact.pk].status_counts = {value: 0 for value, _label in Action.Status.choices}
        health[compact.pk].flag_counts = {key: 0 for key, _label in FLAGS}
    if not compacts:
        return []
    for action in compact_actions_health(compacts=compacts, top_level_only=True, today=today):
        row = health[action.compact_id]
        row.actions += 1
        row.status_counts[action.rolled_status] += 1
        row.flagged += action.flag_count > 0
        for key, _label in FLAGS:
            row.flag_counts[key] += getattr(action, key)
    for compact_id, rows in attendance_reports(years=years).items():
        row = health[compact_id]
        row.organisations = len(rows)
        row.meeting_rule = sum(r.meets_rule for r in rows)
    for compact_id, held in meetings_held_counts(years=years).items():
        health[compact_id].meetings_held = held
    return list(health.values())


def compact_health_years(*, user) -> list[int]:
    """The years the compact health page offers: those with a meeting held in any of
    the user's compacts, and the current year."""
    from compact.selectors import meeting_years

    return meeting_years(compacts=compacts_for_insights(user))


def status_labels():
    from compact.models import Action

    return list(Action.Status.choices)


def today() -> datetime.date:
    return timezone.localdate()


__all__ = [
    "STAGES",
    "journey",
    "representation",
    "programme_outcomes",
    "event_demand",
    "compact_health",
    "compact_health_years",
    "compact_ids_for_insights",
    "defaultdict",
]
