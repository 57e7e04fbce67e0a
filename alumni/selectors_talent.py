"""Reads for talent pool management (issue 19, item 1), scoped to what the viewer may
see: a pool's members for its managers, a vacancy's candidates for the pool managers
and (only members who agreed) the posting organisation, succession plans, and the moves
members made since joining a pool."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from .models import CareerEntry, KeyRole, Readiness, Successor, TalentPoolMember, Vacancy
from .selectors import READINESS_ORDER, organisations_user_may_post_for, pools_managed_by


def pool_for_manager(user, slug: str):
    """A pool ``user`` manages, by slug; another provider's pool is a 404."""
    pool = pools_managed_by(user).filter(slug=slug).first()
    if pool is None:
        raise Http404("No such pool")
    return pool


def managed_pool_members(user):
    """Members of every pool ``user`` manages, with what the pages show."""
    return TalentPoolMember.objects.filter(pool__in=pools_managed_by(user)).select_related(
        "pool", "user", "assessment"
    )


def pool_member_for_manager(user, pk: int) -> TalentPoolMember:
    member = managed_pool_members(user).prefetch_related("functional_areas").filter(pk=pk).first()
    if member is None:
        raise Http404("No such pool member")
    return member


def shared_assessments_of(user):
    """The user's own pool memberships with an assessment shared with them."""
    return (
        TalentPoolMember.objects.filter(user=user, assessment__shared_with_member=True)
        .select_related("pool", "assessment")
        .order_by("pool__title")
    )


# Vacancy candidates ----------------------------------------------------------------------


@dataclass
class Candidate:
    member: TalentPoolMember
    area_fit: bool

    @property
    def sort_key(self):
        return (
            not self.area_fit,
            READINESS_ORDER[self.member.readiness],
            self.member.user.full_name,
        )


@dataclass
class VacancyCandidates:
    vacancy: Vacancy
    candidates: list = field(default_factory=list)
    # "manager": every matching member of the viewer's pools; "employer": the posting
    # organisation, who sees only members who agreed to be shown to employers.
    audience: str = "manager"


def vacancy_for_candidates(user, pk: int) -> Vacancy:
    """An open vacancy whose candidates ``user`` may see: a pool manager any (their own
    pools' members), a senior member of the posting organisation their own
    organisation's; anyone else a 404."""
    vacancy = (
        Vacancy.objects.open()
        .filter(pk=pk, organisation__in=organisations_user_may_post_for(user))
        .select_related("organisation", "functional_area")
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def vacancy_candidates(user, vacancy: Vacancy) -> VacancyCandidates:
    """The pool members who match ``vacancy`` (``TalentPoolMember.can_fill``: level,
    region by their mobility, secondment), those in its functional area first, then by
    readiness. A pool manager sees the matching members of the pools they manage; the
    posting organisation (anyone else who reached ``vacancy_for_candidates``) sees, from
    every pool, only members who chose to be shown to employers. Two queries."""
    managed = pools_managed_by(user)
    if managed.exists():
        members = TalentPoolMember.objects.filter(pool__in=managed)
        audience = "manager"
    else:
        members = TalentPoolMember.objects.filter(share_with_employers=True)
        audience = "employer"
    # The level is a condition: filter in the database, the rest (regions in JSON) here.
    members = (
        members.filter(target_level=vacancy.level)
        .select_related("user", "pool")
        .prefetch_related("functional_areas")
    )
    candidates = [
        Candidate(member=m, area_fit=m.area_fit(vacancy)) for m in members if m.can_fill(vacancy)
    ]
    candidates.sort(key=lambda c: c.sort_key)
    return VacancyCandidates(vacancy=vacancy, candidates=candidates, audience=audience)


# Succession plans ------------------------------------------------------------------------


@dataclass
class SuccessionPlan:
    key_role: KeyRole
    successors: list

    @property
    def ready_now(self) -> int:
        return sum(s.readiness == Readiness.READY_NOW for s in self.successors)

    @property
    def gaps(self) -> list[str]:
        """What the plan lacks, in words: nobody named, nobody ready now, a single name."""
        if not self.successors:
            return ["No successor named"]
        gaps = []
        if not self.ready_now:
            gaps.append("Nobody ready now")
        if len(self.successors) == 1:
            gaps.append("Only one successor")
        return gaps


def key_roles_with_successors(pool):
    """The key roles of ``pool`` by title, each with its organisation and its successors
    (with their names): a page of them is two queries, however many it holds."""
    return (
        KeyRole.objects.filter(pool=pool)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "successors",
                queryset=Successor.objects.select_related("pool_member__user"),
            )
        )
        .order_by("title", "pk")
    )


def succession_plan(role: KeyRole) -> SuccessionPlan:
    """``role``'s plan: its successors readiest first (from ``key_roles_with_successors``,
    no query of its own)."""
    successors = sorted(
        role.successors.all(),
        key=lambda s: (READINESS_ORDER[s.readiness], s.pool_member.user.full_name),
    )
    return SuccessionPlan(key_role=role, successors=successors)


def succession_plans(pool) -> list[SuccessionPlan]:
    """Every key role of ``pool`` with its successors (readiest first) and gaps. Two
    queries."""
    return [succession_plan(role) for role in key_roles_with_successors(pool)]


def key_roles_with_gaps(pool) -> int:
    """How many key roles of ``pool`` have a gap (``SuccessionPlan.gaps``: nobody named,
    nobody ready now, or a single name), counted in the database: one query."""
    return (
        KeyRole.objects.filter(pool=pool)
        .annotate(
            named=Count("successors"),
            ready=Count("successors", filter=Q(successors__readiness=Readiness.READY_NOW)),
        )
        .exclude(named__gte=2, ready__gte=1)
        .count()
    )


def key_role_for_manager(user, pk: int) -> KeyRole:
    role = (
        KeyRole.objects.filter(pk=pk, pool__in=pools_managed_by(user))
        .select_related("pool", "organisation")
        .first()
    )
    if role is None:
        raise Http404("No such key role")
    return role


# Moves since joining ---------------------------------------------------------------------


@dataclass
class PoolMoves:
    """Moves made by a pool's members since they were selected (seed 003 action 30):
    promotions, sideways moves (another organisation at the same level) and moves into
    another sector, not promotion alone. A move can be both sideways and cross-sector."""

    members: int = 0
    promotions: int = 0
    sideways: int = 0
    cross_sector: int = 0
    movers: set = field(default_factory=set)

    @property
    def members_who_moved(self) -> int:
        return len(self.movers)


def classify_move(previous: CareerEntry | None, entry: CareerEntry) -> set[str]:
    """What kind of move ``entry`` is after ``previous`` (the role before it)."""
    if previous is None:
        return set()
    kinds = set()
    if entry.level > previous.level:
        kinds.add("promotion")
    elif entry.level == previous.level and (
        entry.organisation_name.strip().lower() != previous.organisation_name.strip().lower()
    ):
        kinds.add("sideways")
    if entry.sector and previous.sector and entry.sector != previous.sector:
        kinds.add("cross_sector")
    return kinds


def pool_moves(pool) -> PoolMoves:
    """``PoolMoves`` for ``pool``: every career entry that started after the member was
    selected, compared with the entry before it. Two queries."""
    joined = dict(pool.pool_members.values_list("user_id", "created_at"))
    result = PoolMoves(members=len(joined))
    entries = CareerEntry.objects.filter(user_id__in=joined).order_by("user_id", "started_on", "pk")
    previous_by_user: dict[int, CareerEntry] = {}
    for entry in entries:
        previous = previous_by_user.get(entry.user_id)
        previous_by_user[entry.user_id] = entry
        if entry.started_on < joined[entry.user_id].date():
            continue
        kinds = classify_move(previous, entry)
        if not kinds:
            continue
        result.movers.add(entry.user_id)
        result.promotions += "promotion" in kinds
        result.sideways += "sideways" in kinds
        result.cross_sector += "cross_sector" in kinds
    return result
