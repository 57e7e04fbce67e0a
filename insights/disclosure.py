"""Disclosure control for every figure that counts a group of people: the equality
reports (journey and representation), their CSV downloads and their charts.

The method (docs/insights.md, "How the equality figures are protected", names its sources):

1. **Releases.** The reports are published as releases (``EqualityRelease``), quarterly
   by default, frozen until the next: a reader cannot watch the figures move as one
   person applies, answers the questions or is promoted.
2. **Rounding.** Every count is rounded to the nearest multiple of 5, and 1 and 2 to 0:
   the Higher Education Statistics Agency's standard rounding methodology, which HESA
   applies to exactly this kind of table (staff and students by ethnicity, disability,
   sexual orientation, religion…). A shown 0 means 0, 1 or 2 people, and 5 means 3 to 7.
3. **An audit that is an attacker** (``insights.attack``): every figure of every page and
   CSV of a release, for every characteristic and every programme and all programmes, is
   one ``Problem``, audited together with the releases before it (``HISTORY``). For each
   *protected* figure — a count of 1 to the threshold people
   (``TALENTHUB["SUPPRESSION_THRESHOLD"]``, 7: NHS Digital's small-number rule); a
   difference of 1 to the threshold people between two stages of one group (applied and
   not offered a place; members who are not alumni); the change of 1 to the threshold
   people in a group between two releases (the people who joined it, or left) — an
   integer programme finds the smallest and largest value consistent with everything
   published in those releases and with what a well-informed reader knows besides: exact
   totals (another page shows them), non-negative integers, the sums, the order of the
   stages, and how many records changed in each table between two releases.
4. **Protection.** Every protected figure must stay either possibly zero (the reader
   cannot tell that anyone is there at all) or uncertain over at least
   ``PROTECTION + 1`` values (3: never pinned, never narrowed to better than ±1).
5. **Withholding.** A figure the attacker narrows further is withheld (``[c]``) in the new
   release: first the figure itself, then (if that is not enough) the smallest count that
   shares a sum with it, chosen by what is printed, never by the true counts; the audit
   runs again until every protected figure is protected. The audit takes a ``[c]`` to be
   any number from 0 up: it does not model what a reader might guess from where figures
   are withheld (that a withheld figure is one that needed protecting, so not 0). The
   docs/insights.md reports how many protected figures such a guess would narrow further.

Derived figures are computed from the published (rounded) counts, never from the true
ones: a rate from a withheld count is withheld; a rate whose published denominator is
below ``MIN_DENOMINATOR`` (25: HESA shows no percentage of fewer than 22.5 people) is not
shown (``[low]``), as it would mislead.

A threshold below 1 turns disclosure control off (exact counts, nothing withheld); the
system check ``insights.E001`` refuses that outside tests.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

SUPPRESSED = "[c]"  # the ONS / GSS marker for "confidential"
LOW = "[low]"  # the GSS marker for a figure too unreliable to show
BASE = 5  # HESA: counts rounded to the nearest 5, and 0, 1 and 2 to 0
PROTECTION = 2  # a protected figure keeps 0 possible, or at least PROTECTION + 1 values
MIN_DENOMINATOR = 25  # no percentage of fewer people (HESA: 22.5, before rounding)
BIG_GROUP = 20  # a figure printed this big is withheld only when no smaller one will do


def threshold() -> int:
    return int(settings.TALENTHUB.get("SUPPRESSION_THRESHOLD", 7))


def method(limit: int | None = None) -> dict:
    """The published rules, for the pages' notes and the explanation page (``limit``: a
    release's threshold; by default the configured one)."""
    return {
        "threshold": threshold() if limit is None else limit,
        "base": BASE,
        "protection": PROTECTION,
        "choices": PROTECTION + 1,
        "min_denominator": MIN_DENOMINATOR,
    }


def rounded(count: int) -> int:
    """HESA's standard rounding: to the nearest multiple of 5, with 0, 1 and 2 to 0
    (3 and 4 up to 5: no count is ever half-way)."""
    return BASE * ((count + BASE // 2) // BASE)


@dataclass(eq=False)
class Cell:
    """A count as published. ``raw`` is the true count; ``value`` what the page shows
    (rounded, or the exact count when disclosure control is off; None when withheld).
    ``people`` is the number of different people it counts (one person can make two
    applications): the threshold applies to it. ``known``: a reader can get the exact
    count from another page, so the audit assumes they have it. ``key`` names the figure
    in its problem, and the same figure in every release."""

    raw: int
    suppressed: bool = False
    people: int | None = None
    is_total: bool = False
    known: bool = False
    order: int = 0  # when it joined its problem: breaks ties, so every solve is the same
    base: int = BASE  # 1: exact (disclosure control off)
    key: Hashable = None
    # The true count when a release last printed this figure (None: never printed).
    anchor: int | None = None

    def __post_init__(self):
        if self.people is None:
            self.people = self.raw

    @property
    def value(self) -> int | None:
        if self.suppressed:
            return None
        return rounded(self.raw) if self.base == BASE else self.raw

    @property
    def withholdable(self) -> bool:
        """Not withheld yet, and not known anyway."""
        return not self.suppressed and not self.known

    def published_bounds(self) -> tuple[int, int | None]:
        """What a reader can tell of ``raw`` from this cell alone (None: no upper
        bound)."""
        if self.known:
            return self.raw, self.raw
        if self.suppressed:
            return 0, None
        if self.base != BASE:
            return self.raw, self.raw
        shown = self.value
        return max(0, shown - BASE // 2), shown + BASE // 2

    def __str__(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.value)


@dataclass
class Figure:
    """A derived figure (a rate in percent, a gap in percentage points). ``low``: not
    shown because too few people stand behind it."""

    value: float | None
    suppressed: bool = False
    low: bool = False
    places: int = 1

    @property
    def shown(self) -> bool:
        return not self.suppressed and not self.low and self.value is not None

    def __str__(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.low:
            return LOW
        if self.value is None:
            return "–"
        return f"{self.value:.{self.places}f}"


def percent(numerator: int, denominator: int) -> Figure:
    """``numerator`` as a percentage of ``denominator`` for counts that are not of a
    group of people (nothing to protect); no figure when the denominator is zero."""
    return Figure(100.0 * numerator / denominator if denominator else None)


def rate(numerator: Cell, denominator: Cell) -> Figure:
    """``numerator`` as a percentage of ``denominator``, from the published counts: hidden
    if either is; ``[low]`` (rounded counts) if the published denominator is below
    ``MIN_DENOMINATOR``, in whole percent otherwise (the rounding allows no more)."""
    if numerator.suppressed or denominator.suppressed:
        return Figure(None, suppressed=True)
    if denominator.base != BASE:
        return percent(numerator.value, denominator.value)
    if denominator.value < MIN_DENOMINATOR:
        return Figure(None, low=True)
    return Figure(100.0 * numerator.value / denominator.value, places=0)


def gap(figure: Figure, reference: Figure) -> Figure:
    """``figure`` minus ``reference``, in percentage points; hidden if either is."""
    if figure.suppressed or reference.suppressed:
        return Figure(None, suppressed=True)
    if figure.low or reference.low:
        return Figure(None, low=True)
    if figure.value is None or reference.value is None:
        return Figure(None)
    return Figure(figure.value - reference.value, places=min(figure.places, reference.places))


# The problem ------------------------------------------------------------------------------


@dataclass
class _Sum:
    parts: list[Cell]
    whole: Cell

    @property
    def cells(self) -> list[Cell]:
        return [*self.parts, self.whole]


@dataclass
class _Chain:
    cells: list[Cell]
    # people(i, j): how many people are in cells[i] and not in cells[j] (i < j).
    people: Callable[[int, int], int]


@dataclass(frozen=True)
class Target:
    """A protected figure: a count, the difference ``earlier - later`` of a chain, or
    the change of a figure between two releases (``newer - older``, or the other way
    round when people left: a target's true value is always positive)."""

    cells: tuple[Cell, ...]
    weights: tuple[int, ...]
    kind: str = "count"

    def describe(self) -> str:
        values = " - ".join(str(c.raw) for c in self.cells)
        return f"{self.kind} {values}"

    @property
    def value(self) -> int:
        return sum(w * c.raw for c, w in zip(self.cells, self.weights, strict=True))


class Problem:
    """Counts published together, the sums that tie them and the chains of nested
    populations; ``solve()`` withholds what the audit finds narrowed too far.

    ``cell(key, raw)`` returns one ``Cell`` per key: a figure that appears in several
    tables is given the same key in each, so it is one unknown to the reader and shown
    the same way everywhere. Keys are tuples of strings, numbers and None (and tuples of
    those), so that a problem can be kept with its release (``to_data``) and its figures
    found again in the next release."""

    def __init__(self, limit: int | None = None):
        self.limit = threshold() if limit is None else limit
        self.cells: dict[Hashable, Cell] = {}
        self.sums: list[_Sum] = []
        self.chains: list[_Chain] = []
        self.attack = None  # the audit of the last solve (``insights.attack.Attack``)
        self.audited = 0  # how many targets the last solve protected
        self._sums_of = defaultdict(list)
        self._before: set[int] = set()
        self._last: Problem | None = None

    @property
    def controlled(self) -> bool:
        return self.limit >= 1

    def published(self, key: Hashable, *, total: bool = False) -> Cell:
        """The figure ``key`` as this release published it, for a page. A figure the
        release does not have (a group or level added since it was published) is shown
        withheld: neither made up nor an error."""
        if key in self.cells:
            return self.cells[key]
        return Cell(0, suppressed=True, is_total=total, key=key)

    def cell(self, key: Hashable, raw: int = 0, *, people=None, total=False, known=False):
        if key not in self.cells:
            self.cells[key] = Cell(
                int(raw), people=people, is_total=total, known=known and self.controlled,
                order=len(self.cells), base=BASE if self.controlled else 1, key=key,
            )  # fmt: skip
        return self.cells[key]

    def add_sum(self, parts: Iterable[Cell], whole: Cell) -> None:
        """``whole`` is the sum of ``parts``, and both are published."""
        parts = list(parts)
        if sum(p.raw for p in parts) != whole.raw:
            raise ValueError("the parts do not add up to the whole")
        self.sums.append(_Sum(parts, whole))

    def nest(self, cells: Iterable[Cell], people: Callable[[int, int], int] | None = None):
        """Each cell's population holds the next one's (applied ⊇ offered ⊇ …).
        ``people(i, j)`` counts those in the i-th and not the j-th; by default the
        difference of the counts (right when every count is of different people)."""
        cells = list(cells)
        if any(later.raw > earlier.raw for earlier, later in zip(cells, cells[1:], strict=False)):
            raise ValueError("a later population is larger than the one holding it")
        self.chains.append(_Chain(cells, people or (lambda i, j: cells[i].raw - cells[j].raw)))

    # What must be protected -------------------------------------------------------------

    def _small(self, *counts: int) -> bool:
        return any(1 <= n <= self.limit for n in counts)

    def targets(self) -> list[Target]:
        """Counts of 1 to the threshold people (or applications) in a group, and
        differences of 1 to the threshold between two counts of a chain of groups.
        Totals over every group are not about a group (and are known exactly anyway)."""
        found = [
            Target((c,), (1,))
            for c in self.cells.values()
            if not c.is_total and not c.known and self._small(c.people, c.raw)
        ]
        for chain in self.chains:
            cells = chain.cells
            for i, earlier in enumerate(cells):
                for j in range(i + 1, len(cells)):
                    later = cells[j]
                    if earlier.is_total or (earlier.known and later.known):
                        continue
                    if self._small(chain.people(i, j), earlier.raw - later.raw):
                        found.append(Target((earlier, later), (1, -1), "difference"))
        return found

    def changes(self, older: Problem) -> list[Target]:
        """The people who joined a group, or left it, between the release ``older`` and
        this one: every figure of a group whose count changed by 1 to the threshold."""
        found = []
        for key, cell in self.cells.items():
            before = older.cells.get(key)
            if before is None or cell.is_total or cell.known:
                continue
            change = cell.raw - before.raw
            if self._small(abs(change)):
                pair = (cell, before) if change > 0 else (before, cell)
                found.append(Target(pair, (1, -1), "change"))
        return found

    # Solving ----------------------------------------------------------------------------

    def solve(self, history: Sequence[Problem] = ()) -> Problem:
        """Withhold counts until every target is protected (module docstring):
        this problem's, and those of the releases in ``history`` (oldest first, already
        published) and the changes between any two of them, all audited together."""
        if not self.controlled:
            return self
        from .attack import Attack

        releases = [p for p in history if p.controlled] + [self]
        attack = self.attack = Attack(releases, protection=PROTECTION)
        everything = [t for p in releases for t in p.targets()]
        for i, older in enumerate(releases):
            for newer in releases[i + 1 :]:
                everything += newer.changes(older)
        self._sums_of = defaultdict(list)
        for s in self.sums:
            for c in s.cells:
                self._sums_of[id(c)].append(s)
        # What the last release withheld: withheld again while its count is within the
        # threshold of what a release last printed of it (a reader who kept that release
        # would otherwise work out the change, however far back it was), and preferred
        # where a choice is to be made.
        last = self._last = releases[-2] if len(releases) > 1 else None
        self._before = set()
        carried = []
        for key, c in self.cells.items():
            before = last.cells.get(key) if last is not None else None
            if before is None or not before.suppressed:
                continue
            self._before.add(id(c))
            c.anchor = before.anchor
            near = c.anchor is not None and abs(c.raw - c.anchor) <= self.limit
            if near and c.withholdable:
                c.suppressed = True
                carried.append(c)
        attack.relax(carried)
        attack.seed([self._terms(t) for t in everything])
        attack.register([self._terms(t) for t in everything])
        self._position = {id(t): i for i, t in enumerate(everything)}
        self._touching = defaultdict(list)  # a cell's id: the targets it is a count of
        for target in everything:
            for c in target.cells:
                self._touching[id(c)].append(target)
        self._answers: dict = {}
        self._withhold_until_protected(everything)
        for key, c in self.cells.items():  # what a release last printed of each figure
            if not c.suppressed:
                c.anchor = c.raw
            elif c.anchor is None and last is not None and key in last.cells:
                c.anchor = last.cells[key].anchor
        self.audited = len(everything)
        return self

    def _settled(self, targets: list[Target]) -> list[bool]:
        """Whether the witnesses already prove each of ``targets`` holds (cheap: no
        solve); a target they do not is then checked in full."""
        settled = self.attack.settled()
        return [bool(settled[self._position[id(t)]]) for t in targets]

    def _withhold_until_protected(self, pending: list[Target]) -> None:
        attack = self.attack
        while pending:
            failing = [
                target
                for target, settled in zip(pending, self._settled(pending), strict=True)
                if not settled and not self._protected(target)
            ]
            if not failing:
                break
            withheld = []
            for target in failing:
                if any(self.cells.get(c.key) in withheld for c in target.cells):
                    continue  # its own figure was just withheld: check it again first
                cell = self._to_withhold(target)
                if cell is not None and cell.withholdable:
                    cell.suppressed = True
                    withheld.append(cell)
                    withheld += self._whole_table(cell)
            if not withheld:  # nothing left that could help: withhold all
                logger.error("insights: %d figures could not be protected", len(failing))
                withheld = [c for c in self.cells.values() if c.withholdable]
                for cell in withheld:
                    cell.suppressed = True
                attack.relax(withheld)
                break
            attack.relax(withheld)
            self._answers.clear()
            # Check again what failed, and every target of a figure now withheld.
            again = {id(t): t for t in failing}
            for cell in withheld:
                again.update((id(t), t) for t in self._touching[id(cell)])
            pending = list(again.values())

    def _protected(self, target: Target) -> bool:
        """The audit's answer for ``target``, once for each distinct question: a figure
        that did not change between two releases is one unknown, so its targets in each
        release ask the same (answers are forgotten whenever a figure is withheld)."""
        from .attack import AuditError

        terms = self._terms(target)
        question = frozenset(terms.items())
        if question not in self._answers:
            try:
                self._answers[question] = self.attack.protected(terms)
            except AuditError:
                # The kind and the figures' names only: never a true count in a log.
                logger.warning(
                    "insights audit undecided for a %s of %s",
                    target.kind,
                    ", ".join(str(c.key) for c in target.cells),
                )
                self._answers[question] = False
        return self._answers[question]

    def _whole_table(self, cell: Cell) -> list[Cell]:
        """When ``cell`` is newly withheld in a table of groups where records changed
        since the last release, the rest of that table's groups, withheld too: a ``[c]``
        that appears in one group just after somebody joined or left a table would point
        at the group they are in. Returns the figures it withheld."""
        if id(cell) in self._before or self._last is None:
            return []
        found = []
        for s in self._sums_of[id(cell)]:
            if not s.whole.is_total or any(p.is_total for p in s.parts):
                continue
            moved = any(
                p.raw != (self._last.cells[p.key].raw if p.key in self._last.cells else 0)
                for p in s.parts
            )
            if moved:
                for p in s.parts:
                    if p.withholdable:
                        p.suppressed = True
                        found.append(p)
        return found

    def _terms(self, target: Target) -> dict[int, int]:
        """``target`` as the audit's {column: weight}."""
        column = self.attack.column
        return {column[id(c)]: w for c, w in zip(target.cells, target.weights, strict=True)}

    def _to_withhold(self, target: Target) -> Cell | None:
        """The count of this (the newest) release to withhold for ``target``: its own
        (the later one of a difference first); else one whose printed value holds the
        attacker's bound where it is (``Attack.binding``); else one sharing a sum with
        one of its counts. Among several: what the last release withheld, then the
        smallest printed figure, totals and figures printed ``BIG_GROUP`` or more last,
        zeros last of all (a withheld 0 would read as "somebody is here"). Chosen by what
        is printed, never by the true counts, so that which figure is withheld says
        nothing a reader does not already see."""
        mine = [self.cells.get(c.key) for c in reversed(target.cells)]
        mine = [c for c in mine if c is not None]
        own = [c for c in mine if c.withholdable]
        if own:
            return min(own, key=lambda c: id(c) not in self._before)
        newest = {id(c) for c in self.cells.values()}
        binding = [
            c
            for column in self.attack.binding(self._terms(target))
            for c in self.attack.members[column]
            if id(c) in newest and c.withholdable
        ]
        neighbours = binding or [
            c for m in mine for s in self._sums_of[id(m)] for c in s.cells if c.withholdable
        ]
        if not neighbours:
            return None
        return min(
            neighbours,
            key=lambda c: (
                id(c) not in self._before,
                c.value == 0,
                c.value >= BIG_GROUP,
                c.is_total,
                c.value,
                c.order,
            ),  # fmt: skip
        )

    # Keeping a problem with its release -------------------------------------------------

    def to_data(self) -> dict:
        """Everything ``from_data`` needs to rebuild this problem as published: JSON."""
        index = {id(c): i for i, c in enumerate(self.cells.values())}
        return {
            "limit": self.limit,
            "cells": [
                [_to_json(key), c.raw, c.people, c.is_total, c.known, c.suppressed, c.anchor]
                for key, c in self.cells.items()
            ],
            "sums": [[[index[id(p)] for p in s.parts], index[id(s.whole)]] for s in self.sums],
            "chains": [
                [
                    [index[id(c)] for c in chain.cells],
                    [
                        chain.people(i, j)
                        for i, j in itertools.combinations(range(len(chain.cells)), 2)
                    ],
                ]  # fmt: skip
                for chain in self.chains
            ],
        }

    @classmethod
    def from_data(cls, data: dict) -> Problem:
        problem = cls(data["limit"])
        cells = []
        for key, raw, people, total, known, suppressed, *anchor in data["cells"]:
            cell = problem.cell(_from_json(key), raw, people=people, total=total, known=known)
            cell.suppressed = suppressed
            cell.anchor = anchor[0] if anchor else (None if suppressed else raw)
            cells.append(cell)
        for parts, whole in data["sums"]:
            problem.sums.append(_Sum([cells[i] for i in parts], cells[whole]))
        for members, between in data["chains"]:
            pairs = dict(zip(itertools.combinations(range(len(members)), 2), between, strict=True))
            problem.chains.append(
                _Chain([cells[i] for i in members], lambda i, j, pairs=pairs: pairs[(i, j)])
            )
        return problem


def _to_json(key):
    return [_to_json(k) for k in key] if isinstance(key, tuple) else key


def _from_json(key):
    return tuple(_from_json(k) for k in key) if isinstance(key, list) else key


# One table ------------------------------------------------------------------------------


@dataclass
class Table:
    """Published counts: ``cells[r][c]``; ``row_totals`` and ``column_totals`` when the
    table has them (None otherwise); ``grand_total`` when it has both."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def add_table(
    problem: Problem,
    key: Hashable,
    counts: list[list[int]],
    *,
    row_totals: bool,
    column_totals: bool,
    cell_key: Callable[[int, int], Hashable] | None = None,
) -> Table:
    """Put a table of ``counts`` (rows × columns) into ``problem``. ``row_totals``: each
    row adds up to a published total; ``column_totals``: likewise each column; both: a
    grand total too. ``cell_key(r, c)`` names a cell (``r`` or ``c`` of -1: a total) so
    that tables can share figures; by default every cell is the table's own."""
    n_rows, n_cols = len(counts), len(counts[0]) if counts else 0

    def name(r, c):
        return cell_key(r, c) if cell_key else (key, r, c)

    cells = [[problem.cell(name(r, c), counts[r][c]) for c in range(n_cols)] for r in range(n_rows)]
    table = Table(cells, None, None, None)
    if row_totals:
        table.row_totals = [
            problem.cell(name(r, -1), sum(c.raw for c in cells[r]), total=True)
            for r in range(n_rows)
        ]
        for r in range(n_rows):
            problem.add_sum(cells[r], table.row_totals[r])
    if column_totals:
        table.column_totals = [
            problem.cell(name(-1, c), sum(cells[r][c].raw for r in range(n_rows)), total=True)
            for c in range(n_cols)
        ]
        for c in range(n_cols):
            problem.add_sum([cells[r][c] for r in range(n_rows)], table.column_totals[c])
    if row_totals and column_totals:
        grand = sum(t.raw for t in table.row_totals)
        table.grand_total = problem.cell(name(-1, -1), grand, total=True)
        problem.add_sum(table.row_totals, table.grand_total)
        problem.add_sum(table.column_totals, table.grand_total)
    return table
