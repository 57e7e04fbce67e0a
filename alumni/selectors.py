"""Reads scoped to what a user may see.

``directory_profiles`` is the one place that applies an alumnus's visibility choice:
the directory, its search and counts, profile pages, photos, career updates and the CSV
export all start from it, so a hidden profile cannot appear in any of them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from cohorts.models import Cohort, Participant
from programmes.models import Programme
from talenthub.core.choices import CareerLevel, Region
from talenthub.core.permissions import provider_scoped

from .models import (
    AlumniProfile,
    CareerEntry,
    CareerStory,
    MentoringOffer,
    MentoringRequest,
    Pledge,
    Readiness,
    TalentPoolMember,
    Vacancy,
    viewer_is_alumnus,
)


def directory_profiles(viewer):
    """The alumni profiles ``viewer`` may see, with what a directory row shows.

    - anonymous visitors see nobody;
    - hidden profiles are seen by nobody (not even their owner, in listings);
    - "alumni only" profiles are seen by viewers who are alumni themselves;
    - "all signed-in members" profiles by every signed-in member;
    - a profile whose owner is no longer an alumnus or whose account is inactive is
      never listed.
    """
    qs = AlumniProfile.objects.none()
    if not getattr(viewer, "is_authenticated", False):
        return qs
    allowed = [AlumniProfile.Visibility.MEMBERS]
    # Asked once a request (the filters' years and the career updates start here too).
    if viewer_is_alumnus(viewer):
        allowed.append(AlumniProfile.Visibility.ALUMNI)
    # At capacity is not "open to mentoring": such a mentor cannot take a request.
    open_offer = MentoringOffer.objects.taking_mentees().filter(mentor=OuterRef("user"))
    return (
        AlumniProfile.objects.of_alumni()
        .filter(visibility__in=allowed)
        .annotate(open_to_mentoring=Exists(open_offer))
        .select_related("user", "organisation", "user__mentoring_offer")
        .prefetch_related(
            "functional_areas",
            Prefetch(
                "user__cohort_participations",
                queryset=Participant.objects.completed()
                .select_related("cohort__version__programme")
                .order_by("cohort__ends_on"),
                to_attr="completed_participations",
            ),
        )
        .order_by("user__full_name", "user__email")
    )


def export_profiles(viewer):
    """What a manager's directory export may hold (data minimisation): of the profiles
    ``viewer`` may see (``directory_profiles``), only alumni of the cohorts their provider
    ran or of the programmes it owns (``outcome_cohorts``: a franchisee, its own cohorts
    only), each with only those completed participations (``export_participations``).
    Nobody for a viewer who is not a programme manager; everyone visible for a superuser."""
    cohorts = outcome_cohorts(viewer)
    in_scope = Participant.objects.completed().filter(cohort__in=cohorts)
    return (
        directory_profiles(viewer)
        .filter(Exists(in_scope.filter(user=OuterRef("user"))))
        .prefetch_related(
            Prefetch(
                "user__cohort_participations",
                queryset=in_scope.select_related("cohort__version__programme").order_by(
                    "cohort__ends_on"
                ),
                to_attr="export_participations",
            )
        )
    )


def directory_cohort_years(viewer) -> list[int]:
    """The start years of cohorts with at least one completer whose profile ``viewer`` may
    see, newest first: the directory's cohort-year filter offers no year that would
    find nobody."""
    visible_users = directory_profiles(viewer).values("user_id")
    completed = Participant.objects.completed().filter(
        cohort=OuterRef("pk"), user_id__in=visible_users
    )
    years = Cohort.objects.filter(Exists(completed)).dates("starts_on", "year", order="DESC")
    return [day.year for day in years]


def participations_in_progress(user):
    """The user's cohorts under way (enrolled, not yet completed): what will make them an
    alumnus, for the page that tells a non-alumnus where they stand."""
    return (
        Participant.objects.filter(user=user, status=Participant.Status.ENROLLED)
        .select_related("cohort__version__programme")
        .order_by("cohort__ends_on")
    )


def profile_for(viewer, pk: int) -> AlumniProfile:
    """One profile the viewer may see (404 otherwise), with career history."""
    qs = directory_profiles(viewer).prefetch_related(
        Prefetch(
            "user__career_entries",
            queryset=CareerEntry.objects.order_by("-started_on"),
            to_attr="career",
        )
    )
    profile = qs.filter(pk=pk).first()
    if profile is None:
        raise Http404("No such alumni profile")
    return profile


def career_updates(viewer, limit: int = 10):
    """Career updates announced by alumni whose profiles the viewer may see."""
    visible_users = directory_profiles(viewer).values("user_id")
    return (
        CareerEntry.objects.filter(announced_at__isnull=False, user_id__in=visible_users)
        .select_related("user__alumni_profile")
        .order_by("-announced_at")[:limit]
    )


def announcing_profile(user_id: int) -> AlumniProfile | None:
    """The profile through which ``user_id``'s career updates reach the network: theirs,
    if they are still an alumnus with an active account and the profile is not hidden.
    None means nothing of theirs may be announced."""
    return (
        AlumniProfile.objects.of_alumni()
        .exclude(visibility=AlumniProfile.Visibility.HIDDEN)
        .select_related("user")
        .filter(user_id=user_id)
        .first()
    )


def career_update_recipients(entry: CareerEntry):
    """Who hears of ``entry`` when it is announced: the announcer's network, meaning the
    other completers of any cohort they completed, whose accounts are active, whose own
    profiles are visible (taking part in the network) and who have not turned off
    ``email_career_updates``. Every one of them is an alumnus, so may see the announcer's
    profile whether it is open to members or to alumni only (``directory_profiles``)."""
    User = get_user_model()
    cohorts = Participant.objects.completed().filter(user_id=entry.user_id).values("cohort_id")
    fellows = Participant.objects.completed().filter(cohort_id__in=cohorts).values("user_id")
    return (
        User.objects.filter(
            pk__in=fellows,
            is_active=True,
            alumni_profile__email_career_updates=True,
            alumni_profile__visibility__in=[
                AlumniProfile.Visibility.MEMBERS,
                AlumniProfile.Visibility.ALUMNI,
            ],
        )
        .exclude(pk=entry.user_id)
        .order_by("pk")
    )


def mentoring_requests_received(user):
    return (
        MentoringRequest.objects.filter(offer__mentor=user)
        .select_related("mentee", "offer")
        .order_by("-created_at")
    )


def mentoring_requests_sent(user):
    return (
        MentoringRequest.objects.filter(mentee=user)
        .select_related("offer__mentor__alumni_profile")
        .order_by("-created_at")
    )


def mentoring_request_for_party(user, pk: int) -> MentoringRequest:
    """A request the user is mentor or mentee of; 404 for anyone else."""
    request = (
        MentoringRequest.objects.filter(pk=pk)
        .filter(Q(offer__mentor=user) | Q(mentee=user))
        .select_related("offer__mentor", "mentee")
        .first()
    )
    if request is None:
        raise Http404("No such mentoring request")
    return request


# Outcomes ------------------------------------------------------------------------------


def outcome_cohorts(user):
    """The cohorts whose outcomes a user may see: for a programme manager, cohorts their
    provider runs and every cohort of the programmes it owns; all for a superuser."""
    qs = Cohort.objects.select_related("version__programme").exclude(status=Cohort.Status.CANCELLED)
    return provider_scoped(qs, user, "provider", "version__programme__owner")


@dataclass
class OutcomeRow:
    """One programme's or cohort's completers, split by where their career history puts
    them against the level: ``already`` had held it before the cohort started, so they are
    not counted in the share; ``reached`` first held it after the cohort started and no
    later than N years after it ended; everyone else (including completers who keep no
    career history) did not reach it in the period."""

    label: str
    completers: int = 0
    with_history: int = 0
    already: int = 0
    reached: int = 0
    window_open: bool = False
    cohort: Cohort | None = None
    programme: Programme | None = None

    @property
    def eligible(self) -> int:
        """Completers who were below the level when their cohort started."""
        return self.completers - self.already

    @property
    def share(self) -> float:
        return self.reached / self.eligible if self.eligible else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class Outcomes:
    level: int
    years: int
    programmes: list[OutcomeRow] = field(default_factory=list)
    cohorts: list[OutcomeRow] = field(default_factory=list)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def outcomes(*, user, level: int, years: int, today=None) -> Outcomes:
    """For each programme and cohort the user may see (cohorts that have ended): the
    completers, how many keep a career history, how many were already at ``level`` or
    above before the cohort started (``already``, left out of the share), and how many
    of the others reached it within ``years`` years of the cohort's end (the rules are
    ``_outcome_counts``'s). Completers with no career history count as not reached, so
    shares are lower bounds.

    Two queries whatever the number of alumni: the cohorts, then the figures counted by
    the database (``_outcome_counts``), so no completer or career entry is read into
    Python (issue 16: at 100 times the demo that was 28,000 participations and 40,000
    career entries, 0.9 s of SQL)."""
    today = today or timezone.localdate()
    cohorts = list(outcome_cohorts(user).filter(ends_on__lt=today).order_by("ends_on", "name"))
    result = Outcomes(level=level, years=years)
    if not cohorts:
        return result
    counts = _outcome_counts(cohorts, level=level, years=years)
    programme_rows: dict[int, OutcomeRow] = {}
    for cohort in cohorts:
        deadline = add_years(cohort.ends_on, years)
        row = OutcomeRow(label=cohort.name, cohort=cohort, window_open=deadline > today)
        row.completers, row.with_history, row.already, row.reached = counts.get(
            ("cohort", cohort.pk), (0, 0, 0, 0)
        )
        result.cohorts.append(row)
        programme = cohort.version.programme
        programme_rows.setdefault(
            programme.pk, OutcomeRow(label=str(programme), programme=programme)
        )
    for programme_id, row in programme_rows.items():
        row.completers, row.with_history, row.already, row.reached = counts.get(
            ("programme", programme_id), (0, 0, 0, 0)
        )
        result.programmes.append(row)
    result.programmes.sort(key=lambda r: r.label)
    return result


# Portable SQL (PostgreSQL and SQLite): the rules of ``_outcome_counts`` applied per completer,
# then counted per cohort and, counting each person once, per programme. The ORM cannot
# group twice (person, then programme) in one query, and as correlated subqueries the
# earliest role at the level is worked out again for every comparison (five subplans
# per completer: 2.3 s at 100 times the demo).
_OUTCOME_COUNTS_SQL = """
WITH cohort_window (cohort_id, programme_id, starts_on, deadline) AS (VALUES {windows}),
history AS (
    SELECT e.user_id, MIN(CASE WHEN e.level >= %s THEN e.started_on END) AS first_at_level
    FROM {career_entry} e
    WHERE e.user_id IN (
        SELECT p.user_id FROM {participant} p
        WHERE p.status = %s AND p.cohort_id IN (SELECT w.cohort_id FROM cohort_window w)
    )
    GROUP BY e.user_id
),
outcome AS (
    SELECT w.cohort_id, w.programme_id, p.user_id,
        CASE WHEN h.user_id IS NULL THEN 0 ELSE 1 END AS with_history,
        CASE WHEN h.first_at_level <= w.starts_on THEN 1 ELSE 0 END AS already,
        CASE WHEN h.first_at_level > w.starts_on AND h.first_at_level <= w.deadline
            THEN 1 ELSE 0 END AS reached
    FROM {participant} p
    INNER JOIN cohort_window w ON w.cohort_id = p.cohort_id
    LEFT OUTER JOIN history h ON h.user_id = p.user_id
    WHERE p.status = %s
)
SELECT 'cohort', o.cohort_id, COUNT(*), SUM(o.with_history), SUM(o.already), SUM(o.reached)
FROM outcome o
GROUP BY o.cohort_id
UNION ALL
SELECT 'programme', person.programme_id, COUNT(*), SUM(person.with_history),
    SUM(person.already), SUM(person.reached)
FROM (
    SELECT o.programme_id, o.user_id, MAX(o.with_history) AS with_history,
        MIN(o.already) AS already, MAX(o.reached) AS reached
    FROM outcome o
    GROUP BY o.programme_id, o.user_id
) person
GROUP BY person.programme_id
"""


def _outcome_counts(cohorts: list[Cohort], *, level: int, years: int) -> dict[tuple, tuple]:
    """``{("cohort", id) or ("programme", id): (completers, with_history, already,
    reached)}`` for ``cohorts``, in one query.

    Per completer: the earliest start of a role at ``level`` or above (none: not
    reached); on or before the cohort's first day, ``already`` (the programme cannot
    claim it: a director in 2005 is not an outcome of a 2014 cohort, even if they later
    held a lower role for a while); after it and no later than the deadline
    (``add_years``, worked out here per cohort), ``reached`` (a promotion during the
    programme counts). Per
    programme a person counts once: with a history if they keep one, ``already`` only if
    already there for every cohort of it they completed, ``reached`` if they reached it
    after any of them."""
    windows, params = [], []
    for cohort in cohorts:
        windows.append("(%s, %s, %s, %s)")
        params += [
            cohort.pk,
            cohort.version.programme_id,
            connection.ops.adapt_datefield_value(cohort.starts_on),
            connection.ops.adapt_datefield_value(add_years(cohort.ends_on, years)),
        ]
    sql = _OUTCOME_COUNTS_SQL.format(
        windows=", ".join(windows),
        participant=connection.ops.quote_name(Participant._meta.db_table),
        career_entry=connection.ops.quote_name(CareerEntry._meta.db_table),
    )
    completed = Participant.Status.COMPLETED.value
    params += [level, completed, completed]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(kind, pk): tuple(int(n) for n in figures) for kind, pk, *figures in cursor}


# Talent pools --------------------------------------------------------------------------


def pools_managed_by(user):
    """Talent pools a user manages: those their provider owns; all for a superuser."""
    qs = Programme.objects.filter(kind=Programme.Kind.TALENT_POOL).select_related("owner")
    return provider_scoped(qs, user, "owner")


def pool_memberships_of(user):
    """The user's own pool memberships, without the pool's assessment."""
    return (
        TalentPoolMember.objects.filter(user=user).select_related("pool").defer("pool__description")
    )


READINESS_ORDER = {value: order for order, value in enumerate(Readiness.values)}


@dataclass
class RegionLevelBalance:
    region: str
    level: int
    vacancies: int = 0
    ready_now: int = 0
    ready_soon: int = 0

    @property
    def region_label(self):
        return Region(self.region).label

    @property
    def level_label(self):
        return CareerLevel(self.level).label

    @property
    def gap(self) -> int:
        return self.vacancies - self.ready_now


SUPPLY_READINESS = (Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS)


def supply_and_demand(pool: Programme, today=None):
    """Each open vacancy with the pool members who could fill it
    (``TalentPoolMember.can_fill``: its level, its region by their mobility, and open to
    secondment if it is one), best readiness first; and per region and level, the open
    vacancies against the ready-now and ready-in-1–2-years members who could fill them.

    The table has a row wherever there is demand (an open vacancy) or supply (a member
    ready now or in 1–2 years, at their home region and target level), so ready people
    with no vacancy to match show as supply without demand. In a row with vacancies a
    member counts if they could fill at least one of them; in a row without, if they
    would work there. Three queries, whatever the size of the pool."""
    members = list(
        pool.pool_members.select_related("user", "assessment").order_by("user__full_name")
    )
    vacancies = list(Vacancy.objects.open().select_related("organisation"))
    matches = []
    row_vacancies: dict[tuple, list[Vacancy]] = defaultdict(list)
    for vacancy in vacancies:
        fits = sorted(
            (m for m in members if m.can_fill(vacancy)),
            key=lambda m: (READINESS_ORDER[m.readiness], m.user.full_name),
        )
        matches.append((vacancy, fits))
        row_vacancies[(vacancy.region, vacancy.level)].append(vacancy)
    ready = [m for m in members if m.readiness in SUPPLY_READINESS]
    for member in ready:
        row_vacancies.setdefault((member.home_region, member.target_level), [])
    rows = []
    for (region, level), demand in row_vacancies.items():
        if demand:
            supply = [m for m in ready if any(m.can_fill(v) for v in demand)]
        else:
            supply = [m for m in ready if m.target_level == level and m.can_work_in(region)]
        rows.append(
            RegionLevelBalance(
                region=region,
                level=level,
                vacancies=len(demand),
                ready_now=sum(m.readiness == Readiness.READY_NOW for m in supply),
                ready_soon=sum(m.readiness == Readiness.ONE_TO_TWO_YEARS for m in supply),
            )
        )
    rows.sort(key=lambda b: (b.region_label, b.level))
    return members, matches, rows


def open_vacancies():
    return Vacancy.objects.open().select_related("organisation")


def organisations_user_may_post_for(user):
    """Every organisation for a talent pool's manager; a senior member's own; else none."""
    from talenthub.core.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if pools_managed_by(user).exists():
        return Organisation.objects.order_by("name")
    profile = getattr(user, "profile", None)
    if profile and profile.organisation_id and profile.career_level == 4:
        return Organisation.objects.filter(pk=profile.organisation_id)
    return Organisation.objects.none()


# Stories and pledges -------------------------------------------------------------------


def published_stories():
    return CareerStory.objects.published().select_related("author", "functional_area")


def stories_visible_to(user):
    """Published stories, and the user's own whatever their state (an author follows
    their pending story; nobody else sees it before a moderator approves it)."""
    visible = Q(status=CareerStory.Status.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(author=user)
    return CareerStory.objects.filter(visible).select_related("author", "functional_area")


def published_pledges():
    return Pledge.objects.published().select_related("organisation")
