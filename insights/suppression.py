"""Small-number suppression for every figure that shows a group of people.

A report is a set of published counts tied together by sums: a table's cells add up to
its totals, one programme's table adds up with the others' to "all programmes", and the
"no monitoring information" group and the totals are the same figures in every
characteristic's table. ``Problem`` holds all of them at once, so that nothing can be
worked out by combining tables or pages:

*Primary* suppression hides every count of 1 to the threshold *people* (7 by default,
NHS Digital's rule for published counts; ``TALENTHUB["SUPPRESSION_THRESHOLD"]``). Zero
is shown: it discloses nothing about a person.

*Secondary* suppression then hides more counts until no hidden count can be worked out
from what is shown. "Worked out" is decided exactly: a hidden count is disclosed when
the sums fix its value, which is when it lies in the span of the sums restricted to the
hidden counts (Gaussian elimination, ``_pinned``). Row-and-column checks are not enough
for a two-way table: a hidden cell that links two groups of hidden cells can be solved
from the sums even when every row and column has two hidden entries. The count hidden
next is the smallest shown count above zero that shares a sum with the disclosed one;
a total, or a zero, only when nothing else can protect it. A sum whose total is hidden
keeps two hidden parts as well, or its one hidden part would be the total ("everyone
here is in this group").

*Differences* count people too. Two populations where one holds the other (applicants
and those offered a place; members and alumni) are published side by side, so their
difference (applicants not offered a place) is a count of people: ``nest`` lists such
chains, and when two shown neighbours of a chain differ by 1 to the threshold people the
later one is hidden as if it were small itself.

Rates and gaps computed from a hidden count are hidden as well (``Figure``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings

SUPPRESSED = "[c]"  # the ONS / NHS Digital marker for "confidential"

# Elimination runs over the integers modulo this prime: exact, with no rounding. The
# sums have coefficients 0 and ±1, so no determinant of theirs is a multiple of it.
_PRIME = 2_147_483_647
_FREE = -1  # the node at the other end of a count that is in one sum only


def threshold() -> int:
    return int(settings.TALENTHUB.get("SUPPRESSION_THRESHOLD", 7))


@dataclass(eq=False)
class Cell:
    """A count as published: ``value`` is None when it is suppressed. ``people`` is the
    number of different people it counts (a count of applications can count one person
    twice); it is what the threshold applies to."""

    raw: int
    suppressed: bool = False
    people: int | None = None
    is_total: bool = False
    order: int = 0  # when it joined its problem: breaks ties, so every solve is the same

    def __post_init__(self):
        if self.people is None:
            self.people = self.raw

    @property
    def value(self) -> int | None:
        return None if self.suppressed else self.raw

    def __str__(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.raw)


@dataclass
class Figure:
    """A derived figure (a rate in percent, a gap in percentage points)."""

    value: float | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None

    def __str__(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return "–"
        return f"{self.value:.1f}"


def percent(numerator: int, denominator: int) -> Figure:
    """``numerator`` as a percentage of ``denominator`` for counts that are not of a
    group of people (nothing to suppress); no figure when the denominator is zero."""
    return Figure(100.0 * numerator / denominator if denominator else None)


def rate(numerator: Cell, denominator: Cell) -> Figure:
    """``numerator`` as a percentage of ``denominator``; hidden if either count is."""
    if numerator.suppressed or denominator.suppressed:
        return Figure(None, suppressed=True)
    return percent(numerator.raw, denominator.raw)


def gap(figure: Figure, reference: Figure) -> Figure:
    """``figure`` minus ``reference``, in percentage points; hidden if either is."""
    if figure.suppressed or reference.suppressed:
        return Figure(None, suppressed=True)
    if figure.value is None or reference.value is None:
        return Figure(None)
    return Figure(figure.value - reference.value)


# The problem ------------------------------------------------------------------------------


@dataclass
class _Sum:
    parts: list[Cell]
    whole: Cell
    by_group: bool = False

    @property
    def cells(self) -> list[Cell]:
        return [*self.parts, self.whole]


@dataclass
class _Chain:
    cells: list[Cell]
    # people(i, j): how many people are in cells[i] and not in cells[j] (i < j).
    people: Callable[[int, int], int]


class Problem:
    """Counts that are published together, the sums that tie them and the chains of
    nested populations; ``solve()`` marks which to suppress.

    ``cell(key, raw)`` returns one ``Cell`` per key: a figure that appears in several
    tables is given the same key in each, so it is hidden everywhere or nowhere."""

    def __init__(self, limit: int | None = None):
        self.limit = threshold() if limit is None else limit
        self.cells: dict[Hashable, Cell] = {}
        self.sums: list[_Sum] = []
        self.chains: list[_Chain] = []
        self._sums_index: dict[int, list[int]] | None = None
        self._earlier: dict[int, list[Cell]] | None = None

    def cell(self, key: Hashable, raw: int = 0, *, people=None, total=False) -> Cell:
        if key not in self.cells:
            self.cells[key] = Cell(int(raw), people=people, is_total=total, order=len(self.cells))
        return self.cells[key]

    def add_sum(self, parts: Iterable[Cell], whole: Cell, *, by_group: bool = False) -> None:
        """``whole`` is the sum of ``parts``, and both are published. ``by_group``: the
        parts are the groups of a characteristic (so one hidden part with a hidden
        whole and zeros beside it would say that everyone counted is in that group)."""
        parts = list(parts)
        if sum(p.raw for p in parts) != whole.raw:
            raise ValueError("the parts do not add up to the whole")
        self.sums.append(_Sum(parts, whole, by_group))
        self._sums_index = None

    def nest(self, cells: Iterable[Cell], people: Callable[[int, int], int] | None = None):
        """Each cell's population holds the next one's (applied ⊇ offered ⊇ …).
        ``people(i, j)`` counts those in the i-th and not the j-th; by default the
        difference of the counts (right when every count is of different people)."""
        cells = list(cells)
        self.chains.append(_Chain(cells, people or (lambda i, j: cells[i].raw - cells[j].raw)))
        self._earlier = None

    # Solving ----------------------------------------------------------------------------

    def _small(self, people: int) -> bool:
        return 1 <= people <= self.limit

    def solve(self) -> Problem:
        for cell in self.cells.values():  # primary suppression
            if self._small(cell.people):
                cell.suppressed = True
        while self._protect_differences() | self._protect_sums():
            pass
        return self

    def _protect_differences(self) -> bool:
        changed = False
        for chain in self.chains:
            shown = [i for i, c in enumerate(chain.cells) if not c.suppressed]
            for i, j in zip(shown, shown[1:], strict=False):
                if self._small(chain.people(i, j)):
                    chain.cells[j].suppressed = True
                    changed = True
                    break  # the next shown neighbour is checked on the next pass
        return changed

    def _protect_sums(self) -> bool:
        changed = False
        while True:
            single = self._single_parts()
            exposed = set(self.disclosed())
            if not exposed and not single:
                return changed
            hidden_before = sum(c.suppressed for c in self.cells.values())
            for s in single:  # hide a zero beside the one hidden group
                zeros = [p for p in s.parts if self._hideable(p)]
                if zeros:
                    min(zeros, key=self._cost).suppressed = True
            for cell in sorted(exposed, key=lambda c: (c.raw, c.order)):
                path = self._cover_path(cell)
                for cover in [self._cover(cell)] if path is None else path:
                    if cover is not None:
                        cover.suppressed = True
            if sum(c.suppressed for c in self.cells.values()) == hidden_before:
                for cell in self.cells.values():  # nothing left to hide: withhold it all
                    cell.suppressed = True
                return True
            changed = True

    def _cost(self, cell: Cell) -> float:
        """What hiding a shown count loses: its size; a total counts ten times over and
        a zero is hidden only if nothing else will do."""
        if cell.suppressed:
            return 0
        if self._known_zero(cell):
            return float("inf")
        if cell.raw == 0:
            return 1e9
        return cell.raw * (10 if cell.is_total else 1)

    def _hideable(self, cell: Cell) -> bool:
        return not cell.suppressed and not self._known_zero(cell)

    def _known_zero(self, cell: Cell) -> bool:
        """A zero that an earlier shown zero of its chain gives away (no one offered a
        place where no one applied): hiding it would protect nothing."""
        if cell.raw != 0:
            return False
        if getattr(self, "_earlier", None) is None:
            self._earlier = {}
            for chain in self.chains:
                for i, c in enumerate(chain.cells):
                    self._earlier.setdefault(id(c), []).extend(chain.cells[:i])
        return any(e.raw == 0 and not e.suppressed for e in self._earlier.get(id(cell), []))

    def _cover_path(self, exposed: Cell) -> list[Cell] | None:
        """The cheapest shown counts whose hiding puts ``exposed`` on a cycle of hidden
        counts (each sum gains and loses the same along it, so ``exposed`` can change).
        The sums are nodes and a count in exactly two sums an edge between them; a count
        in one sum only is an edge to a "free" node (nothing else ties its value); a
        count in more sums (a figure shared by tables) is not routed through. None if
        ``exposed`` is not such an edge or no cycle exists."""
        ends = self._ends(exposed)
        if ends is None:
            return None
        start, goal = ends
        distance = {start: 0.0}
        previous: dict[int, tuple[int, Cell]] = {}
        queue = [(0.0, start)]
        while queue:
            d, node = heapq.heappop(queue)
            if node == goal:
                break
            if d > distance[node]:
                continue
            for cell in self._free_cells if node == _FREE else self.sums[node].cells:
                through = self._ends(cell)
                if cell is exposed or through is None:
                    continue
                other = through[1] if through[0] == node else through[0]
                step = d + self._cost(cell)
                if step < distance.get(other, float("inf")):
                    distance[other] = step
                    previous[other] = (node, cell)
                    heapq.heappush(queue, (step, other))
        if goal not in distance:
            return None
        path, node = [], goal
        while node != start:
            node, cell = previous[node]
            path.append(cell)
        return [c for c in path if not c.suppressed]

    def _ends(self, cell: Cell) -> tuple[int, int] | None:
        through = self._sums_of().get(id(cell), [])
        if len(through) == 1:
            return through[0], _FREE
        if len(through) == 2:
            return through[0], through[1]
        return None

    def _sums_of(self) -> dict[int, list[int]]:
        if getattr(self, "_sums_index", None) is None:
            index: dict[int, list[int]] = {}
            for i, s in enumerate(self.sums):
                for c in s.cells:
                    index.setdefault(id(c), []).append(i)
            self._sums_index = index
            cells = {id(c): c for s in self.sums for c in s.cells}
            self._free_cells = [cells[k] for k, v in index.items() if len(v) == 1]
        return self._sums_index

    def _single_parts(self) -> list[_Sum]:
        """Sums of groups whose whole is hidden, with one hidden group and zeros for
        the rest: "everyone counted here is in that group". Not when every zero is
        given away by an earlier stage (nobody else even applied: the earlier stage
        said so, and a count there above the threshold may say it)."""
        return [
            s
            for s in self.sums
            if s.by_group
            and s.whole.suppressed
            and sum(p.suppressed for p in s.parts) == 1
            and all(p.raw == 0 for p in s.parts if not p.suppressed)
            and any(self._hideable(p) for p in s.parts)
        ]

    def _cover(self, exposed: Cell) -> Cell | None:
        """The count to hide to protect ``exposed``: of the shown counts sharing a sum
        with it, the smallest above zero (a part before a total), else a zero part."""
        neighbours = [
            c for s in self.sums if exposed in s.cells for c in s.cells if self._hideable(c)
        ]
        above_zero = [c for c in neighbours if c.raw > 0]
        if above_zero:
            return min(above_zero, key=lambda c: (c.is_total, c.raw))
        zeros = [c for c in neighbours if not c.is_total]
        if zeros:
            return zeros[0]
        # Every neighbour is hidden already: protect through a hidden neighbour's sums.
        for s in self.sums:
            if exposed in s.cells:
                for other in s.cells:
                    if other is not exposed and other.suppressed:
                        for t in self.sums:
                            if other in t.cells:
                                shown = [c for c in t.cells if self._hideable(c)]
                                if shown:
                                    return min(shown, key=lambda c: (c.raw == 0, c.raw))
        return None

    def disclosed(self) -> list[Cell]:
        """Hidden counts whose value the shown counts and the sums fix."""
        hidden = [c for c in self.cells.values() if c.suppressed]
        if not hidden:
            return []
        column = {id(c): i for i, c in enumerate(hidden)}
        rows = []
        for s in self.sums:
            row = {}
            for coefficient, c in [*((1, p) for p in s.parts), (-1, s.whole)]:
                if c.suppressed:
                    row[column[id(c)]] = row.get(column[id(c)], 0) + coefficient
            row = {k: v for k, v in row.items() if v}
            if row:
                rows.append(row)
        if not rows:
            return []
        # Sums that share no hidden count are separate systems (each stage of the
        # journey, for one): eliminate each on its own, far cheaper than all at once.
        parent = list(range(len(hidden)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for row in rows:
            first, *rest = row
            for other in rest:
                parent[find(other)] = find(first)
        systems: dict[int, list[dict]] = {}
        for row in rows:
            systems.setdefault(find(next(iter(row))), []).append(row)
        fixed = []
        for system in systems.values():
            columns = sorted({k for row in system for k in row})
            local = {k: i for i, k in enumerate(columns)}
            matrix = np.zeros((len(system), len(columns)), dtype=np.int64)
            for r, row in enumerate(system):
                for k, v in row.items():
                    matrix[r, local[k]] = v
            fixed += [hidden[columns[i]] for i in _pinned(matrix)]
        return fixed


def _pinned(matrix: np.ndarray) -> list[int]:
    """Columns whose unknown is fixed by ``matrix @ x = b``: those whose unit vector is
    in the row space. Reduced row echelon form modulo ``_PRIME``: an unknown is fixed
    when its pivot row has no other entry."""
    m = matrix % _PRIME
    n_rows, n_cols = m.shape
    pivots = []
    r = 0
    for c in range(n_cols):
        if r == n_rows:
            break
        candidates = np.nonzero(m[r:, c])[0]
        if candidates.size == 0:
            continue
        k = r + int(candidates[0])
        if k != r:
            m[[r, k]] = m[[k, r]]
        m[r] = (m[r] * pow(int(m[r, c]), _PRIME - 2, _PRIME)) % _PRIME
        factors = m[:, c].copy()
        factors[r] = 0
        others = np.nonzero(factors)[0]
        if others.size:
            m[others] = (m[others] - (np.outer(factors[others], m[r]) % _PRIME)) % _PRIME
        pivots.append(c)
        r += 1
    return [c for i, c in enumerate(pivots) if np.count_nonzero(m[i]) == 1]


# One table ------------------------------------------------------------------------------


@dataclass
class Table:
    """Suppressed counts: ``cells[r][c]``; ``row_totals`` and ``column_totals`` when the
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
    grand total too. Rows and columns are both taken for groups (``Problem.add_sum``'s
    ``by_group``). ``cell_key(r, c)`` names a cell (``r`` or ``c`` of -1: a total) so
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
            problem.add_sum(cells[r], table.row_totals[r], by_group=True)
    if column_totals:
        table.column_totals = [
            problem.cell(name(-1, c), sum(cells[r][c].raw for r in range(n_rows)), total=True)
            for c in range(n_cols)
        ]
        for c in range(n_cols):
            column = [cells[r][c] for r in range(n_rows)]
            problem.add_sum(column, table.column_totals[c], by_group=True)
    if row_totals and column_totals:
        grand = sum(t.raw for t in table.row_totals)
        table.grand_total = problem.cell(name(-1, -1), grand, total=True)
        problem.add_sum(table.row_totals, table.grand_total)
        problem.add_sum(table.column_totals, table.grand_total)
    return table


def suppress(
    counts: list[list[int]],
    *,
    row_totals: bool,
    column_totals: bool,
    limit: int | None = None,
) -> Table:
    """Publishable counts for one table of ``counts`` that is published on its own."""
    problem = Problem(limit)
    table = add_table(problem, "table", counts, row_totals=row_totals, column_totals=column_totals)
    problem.solve()
    return table
