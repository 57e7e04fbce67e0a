"""The audit of ``insights.disclosure``: an attacker with an integer-programming solver.

``Attack(releases)`` is everything a reader of the equality reports knows about the true
counts of the ``Problem`` of each release (the one being published last), as one integer
programme (solved by HiGHS, through highspy):

- every count is a whole number, at least 0;
- a shown count ``v`` was rounded: the true count lies in ``v - 2 .. v + 2`` (0: 0 to 2);
- a hidden count (``[c]``) is any whole number;
- a count the reader can get exactly from another page (the journey's totals are the
  programme outcomes page's applications and offers) is that number;
- every sum of the problem holds of the true counts (groups add up to their total,
  programmes to all programmes, career levels to all levels, and a figure printed in
  several tables is one unknown);
- along a chain of nested populations (applied ⊇ offered ⊇ …; members ⊇ alumni) the
  true counts only shrink;
- between two releases, how many records changed in each table of groups: no figure of
  the table changed by more, and one of a table where nothing changed did not change.

``interval(target)`` is the smallest and the largest value of a target (a count, or the
difference of two counts of a chain) over every integer solution: what the attacker can
narrow it to. ``protected(target)`` answers whether that interval is as wide as the
docs/insights.md promises, exactly, solving as little as it can:

- every integer solution found on the way is kept (a *witness*; the truth is the first,
  and ``seed`` adds one with every target as small as it can be and one with every
  bounded target as large): when witnesses show the target could be 0, or span the
  protection, it is protected;
- each end is solved first as a linear programme (HiGHS's primal simplex, starting from
  the last basis); when its optimum is a whole-number point it is the integer optimum
  too, and a witness. The linear ends, rounded inwards, hold every integer solution, so
  when even they are closer than the protection the target is unprotected;
- only between the two do integer programmes decide, asking for one solution with the
  target at 0, or at least the protection above its exact minimum (solved with an
  absolute gap below one), rather than for both optima.

Withholding a count only widens what the reader allows (``relax``), so every witness stays
a solution and a protected target stays protected. Every answer is exact, so which
figures are withheld does not depend on the path the solver took.
"""

from __future__ import annotations

import highspy
import numpy as np

try:
    # The bare solver: ``highspy.Highs`` prints HiGHS's banner to the process's standard
    # output the first time one is made (before any option can turn it off), which would
    # land in the web server's log; this class is the same solver without the Python
    # callbacks that print it.
    from highspy._core import _Highs as _Solver
except ImportError:  # pragma: no cover - a highspy that moved it
    _Solver = highspy.Highs

INFINITY = highspy.kHighsInf
_OPTIMAL = highspy.HighsModelStatus.kOptimal
_UNBOUNDED = {
    highspy.HighsModelStatus.kUnbounded,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
}


class AuditError(RuntimeError):
    """The solver could not decide a bound (a time limit, a numerical failure). Callers
    treat the target as unprotected: withholding is the safe side."""


def _solver(integer: bool):
    h = _Solver()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)  # the same answer in every process
    if not integer:
        h.setOptionValue("presolve", "off")  # keep the basis: each solve starts from the last
        h.setOptionValue("simplex_strategy", 4)  # primal: the last basis stays feasible
    if integer:
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)  # objectives are integers: exact optimum
        # These programmes solve in milliseconds; one that does not is undecided
        # (``AuditError``), and undecided means withheld.
        h.setOptionValue("time_limit", 5.0)
    return h


class Attack:
    """``releases``: the problems of the releases audited together, oldest first; only
    the last (the one being published) can still be withheld from.

    One column per figure and release, except that a figure a reader knows did not
    change between two releases (a table it is in had no record change) keeps its
    column: what each release printed of it is then a bound on the one unknown. With few
    changes between releases, the programme is hardly bigger than one release's."""

    def __init__(self, releases, *, protection: int):
        self.protection = protection
        self.cells = [c for problem in releases for c in problem.cells.values()]
        self.column: dict[int, int] = {}
        self.members: list[list] = []  # a column's cells, in every release that shares it
        self.truth: list[float] = []

        def new_column(cell):
            self.column[id(cell)] = len(self.truth)
            self.members.append([cell])
            self.truth.append(float(cell.raw))

        moved: list[dict] = []  # per step: a group sum's id → records changed in it
        for older, newer in zip(releases, releases[1:], strict=False):
            step = {}
            for s in newer.sums:
                if self._is_group_sum(s):
                    step[id(s)] = sum(
                        abs(p.raw - (older.cells[p.key].raw if p.key in older.cells else 0))
                        for p in s.parts
                        if not p.known
                    )
            moved.append(step)
        for c in releases[0].cells.values():
            new_column(c)
        for k, (older, newer) in enumerate(zip(releases, releases[1:], strict=False)):
            # A figure in a table where no record changed did not change either.
            unchanged = {
                id(p)
                for s in newer.sums
                if self._is_group_sum(s) and not moved[k][id(s)]
                for p in s.parts
            }
            for key, c in newer.cells.items():
                before = older.cells.get(key)
                same = before is not None and (
                    (c.known and before.known and c.raw == before.raw) or id(c) in unchanged
                )
                if same:
                    column = self.column[id(before)]
                    self.column[id(c)] = column
                    self.members[column].append(c)
                else:
                    new_column(c)
        lower, upper = self._bounds()
        rows, row_lower, row_upper = [], [], []
        seen_rows = set()

        def add_row(row, low, high):
            signature = (tuple(sorted(row.items())), low, high)
            if signature in seen_rows:
                return
            seen_rows.add(signature)
            rows.append(row)
            row_lower.append(low)
            row_upper.append(high)

        for problem in releases:
            for s in problem.sums:  # Σ parts − whole = 0
                row = {}
                for part in s.parts:
                    row[self.column[id(part)]] = row.get(self.column[id(part)], 0) + 1
                row[self.column[id(s.whole)]] = row.get(self.column[id(s.whole)], 0) - 1
                add_row({c: v for c, v in row.items() if v}, 0.0, 0.0)
            for chain in problem.chains:  # later − earlier ≤ 0
                for earlier, later in zip(chain.cells, chain.cells[1:], strict=False):
                    if self.column[id(later)] != self.column[id(earlier)]:
                        add_row({self.column[id(later)]: 1, self.column[id(earlier)]: -1},
                                -INFINITY, 0.0)  # fmt: skip
        # Between two releases, each figure of a group changed by at most as many
        # records as changed in its tables (the reader is taken to know that number).
        for k, (older, newer) in enumerate(zip(releases, releases[1:], strict=False)):
            budget: dict[int, float] = {}
            for s in newer.sums:
                if self._is_group_sum(s) and moved[k][id(s)]:
                    for part in s.parts:
                        budget[id(part)] = min(budget.get(id(part), INFINITY), moved[k][id(s)])
            for key, part in newer.cells.items():
                if id(part) not in budget or part.known:
                    continue
                before = older.cells.get(key)
                row = {self.column[id(part)]: 1}
                if before is not None:
                    if self.column[id(before)] == self.column[id(part)]:
                        continue  # known not to have changed
                    row[self.column[id(before)]] = -1
                add_row(row, -float(budget[id(part)]), float(budget[id(part)]))
        n = len(self.truth)
        self.truth = np.array(self.truth)
        self.lower, self.upper = np.array(lower), np.array(upper)
        entries = sorted((c, r, v) for r, row in enumerate(rows) for c, v in row.items() if v)
        self.entries = np.array(entries, dtype=float).reshape(-1, 3)
        self.n_rows = len(rows)
        self.row_lower, self.row_upper = np.array(row_lower), np.array(row_upper)
        self._check_truth()
        self.witnesses = [self.truth]
        self._stacked = None
        self._targets = self._values = None
        self.lp, self.mip = _solver(False), _solver(True)
        for solver, integer in ((self.lp, False), (self.mip, True)):
            model = highspy.HighsLp()
            model.num_col_, model.num_row_ = n, self.n_rows
            model.col_cost_ = np.zeros(n)
            model.col_lower_, model.col_upper_ = self.lower, self.upper
            model.row_lower_, model.row_upper_ = self.row_lower, self.row_upper
            model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            columns = self.entries[:, 0].astype(np.int64)
            model.a_matrix_.start_ = np.searchsorted(columns, np.arange(n + 1)).astype(np.int32)
            model.a_matrix_.index_ = self.entries[:, 1].astype(np.int32)
            model.a_matrix_.value_ = self.entries[:, 2]
            if integer:
                model.integrality_ = [highspy.HighsVarType.kInteger] * n
            solver.passModel(model)
        self._all = np.arange(n, dtype=np.int32)

    # What the reader knows -------------------------------------------------------------

    @staticmethod
    def _is_group_sum(s) -> bool:
        """A sum of a table's groups to its total (not programmes to all, or levels)."""
        return s.whole.is_total and not any(p.is_total for p in s.parts)

    def _column_bounds(self, column: int) -> tuple[float, float]:
        """What every release printed of a column's figure, taken together."""
        low, high = 0.0, INFINITY
        for cell in self.members[column]:
            a, b = cell.published_bounds()
            low = max(low, float(a))
            high = min(high, INFINITY if b is None else float(b))
        return low, high

    def _bounds(self) -> tuple[list[float], list[float]]:
        pairs = [self._column_bounds(column) for column in range(len(self.truth))]
        return [a for a, _b in pairs], [b for _a, b in pairs]

    def _check_truth(self):
        """The true counts satisfy everything the reader is told, or the audit proves
        nothing: a wrong model would be a bug in the report, so it is an error."""
        if np.any(self.truth < self.lower) or np.any(self.truth > self.upper):
            raise AuditError("a published figure does not hold of its true count")
        values = np.zeros(self.n_rows)
        columns, rows = self.entries[:, 0].astype(int), self.entries[:, 1].astype(int)
        np.add.at(values, rows, self.entries[:, 2] * self.truth[columns])
        if np.any(values < self.row_lower - 1e-9) or np.any(values > self.row_upper + 1e-9):
            raise AuditError("a sum or an order of the problem does not hold of the counts")

    def relax(self, cells) -> None:
        """Withheld ``cells``: the reader now knows only that each is a ``[c]``."""
        columns = np.array(sorted({self.column[id(c)] for c in cells}), dtype=np.int32)
        if not columns.size:
            return
        for col in columns:
            low, high = self._column_bounds(col)
            if low > self.lower[col] or high < self.upper[col]:
                raise AuditError("withholding a figure must not narrow what a reader knows")
            self.lower[col], self.upper[col] = low, high
        for solver in (self.lp, self.mip):
            solver.changeColsBounds(columns.size, columns, self.lower[columns], self.upper[columns])

    # Solving ----------------------------------------------------------------------------

    def _objective(self, target: dict[int, int]) -> np.ndarray:
        cost = np.zeros(len(self.truth))
        for column, weight in target.items():
            cost[column] += weight
        return cost

    def _relaxed_minimum(self, cost: np.ndarray) -> tuple[float, bool]:
        """The smallest value of ``cost · x`` over *real* solutions (−inf: unbounded),
        and whether it is reached at a whole-number point (then it is the integer
        minimum too, and that point is kept as a witness). It is never above the integer
        minimum: a bound the attacker cannot do better than."""
        self.lp.changeColsCost(len(cost), self._all, cost)
        self.lp.run()
        status = self.lp.getModelStatus()
        if status in _UNBOUNDED:
            return -np.inf, False
        if status != _OPTIMAL:
            raise AuditError(f"linear relaxation: {self.lp.modelStatusToString(status)}")
        x = np.asarray(self.lp.getSolution().col_value)
        if np.allclose(x, np.round(x), atol=1e-7, rtol=0):
            self._witness(np.round(x))
            return float(cost @ np.round(x)), True
        return float(cost @ x), False

    def _minimum(self, cost: np.ndarray, relaxed: tuple[float, bool] | None = None) -> float:
        """The smallest value of ``cost · x`` over integer solutions (−inf: unbounded).
        ``relaxed``: ``_relaxed_minimum(cost)``, when already solved."""
        value, exact = relaxed or self._relaxed_minimum(cost)
        if exact or value == -np.inf:
            return value
        self.mip.changeColsCost(len(cost), self._all, cost)
        self.mip.run()
        status = self.mip.getModelStatus()
        if status in _UNBOUNDED:
            return -np.inf
        if status != _OPTIMAL:
            raise AuditError(f"integer programme: {self.mip.modelStatusToString(status)}")
        x = np.round(np.asarray(self.mip.getSolution().col_value))
        self._witness(x)
        return float(cost @ x)

    def _witness(self, x: np.ndarray) -> None:
        self.witnesses.append(x)
        self._stacked = None
        if self._targets is not None and self._values is not None:
            self._values = np.vstack([self._values, self._targets @ x])

    def register(self, targets: list[dict[int, int]]) -> None:
        """The targets the caller will ask about, so that ``settled`` can answer for all
        of them at once from the witnesses."""
        from scipy.sparse import csr_matrix

        entries = [(i, c, w) for i, t in enumerate(targets) for c, w in t.items()]
        rows, columns, weights = zip(*entries, strict=True) if entries else ((), (), ())
        self._targets = csr_matrix(
            (weights, (rows, columns)), shape=(len(targets), len(self.truth))
        )
        self._values = None

    def settled(self) -> np.ndarray:
        """For every registered target: whether the witnesses already prove it
        protected."""
        if self._values is None:
            self._values = (self._targets @ np.vstack(self.witnesses).T).T
        low, high = self._values.min(axis=0), self._values.max(axis=0)
        return (low <= 0) | (high - low >= self.protection)

    def _seen(self, cost: np.ndarray) -> tuple[float, float]:
        if self._stacked is None:
            self._stacked = np.vstack(self.witnesses)
        values = self._stacked @ cost
        return float(values.min()), float(values.max())

    def seed(self, targets: list[dict[int, int]]) -> None:
        """Witnesses that settle many targets at once: a solution with every target as
        small as it can be together, and one with every bounded target as large."""
        if not targets:
            return
        low = sum((self._objective(t) for t in targets), np.zeros(len(self.truth)))
        bounded = [
            t for t in targets
            if all(self.upper[c] < INFINITY for c, w in t.items() if w > 0)
        ]  # fmt: skip
        high = sum((self._objective(t) for t in bounded), np.zeros(len(self.truth)))
        for cost in (low, -high):
            if cost.any():
                self._minimum(cost)

    def binding(self, target: dict[int, int]) -> list[int]:
        """Columns whose printed bounds hold the attacker's smallest or largest value of
        ``target`` where it is (by the linear relaxation's reduced costs): withholding
        one of them is what can widen the target's interval."""
        found = []
        cost = self._objective(target)
        for sign in (1, -1):
            self.lp.changeColsCost(len(cost), self._all, sign * cost)
            self.lp.run()
            if self.lp.getModelStatus() != _OPTIMAL:
                continue
            solution = self.lp.getSolution()
            x, reduced = np.asarray(solution.col_value), np.asarray(solution.col_dual)
            at_upper = (np.abs(x - self.upper) < 1e-7) & (reduced < -1e-9)
            at_lower = (np.abs(x - self.lower) < 1e-7) & (reduced > 1e-9) & (self.lower > 0)
            found += [int(c) for c in np.flatnonzero(at_upper | at_lower)]
        return sorted(set(found))

    def interval(self, target: dict[int, int]) -> tuple[float, float]:
        """The exact smallest and largest value of ``target`` ({column: weight})."""
        cost = self._objective(target)
        return self._minimum(cost), -self._minimum(-cost)

    def protected(self, target: dict[int, int]) -> bool:
        """Whether the reader must allow ``target`` to be 0, or a range at least
        ``protection`` wide. Exact, and as cheap as it can be: witnesses (integer
        solutions already found) prove a target protected; the linear relaxation's ends,
        rounded inwards, hold the integer interval, so when even they are too close the
        target is unprotected; between the two, integer programmes decide, asking for
        any solution where one will do (a solution with the target at 0; one with it at
        least ``protection`` above its smallest value) rather than an optimum."""
        cost = self._objective(target)
        if self._settled(cost):
            return True
        below = self._relaxed_minimum(cost)
        if self._settled(cost):
            return True
        above = self._relaxed_minimum(-cost)
        if self._settled(cost):
            return True
        low, high = np.ceil(below[0] - 1e-6), np.floor(-above[0] + 1e-6)
        if low > 0 and high - low < self.protection:
            return False  # the integer interval lies inside [low, high]
        if low <= 0 and self._feasible(cost, upper=0.0):
            return True
        low = self._minimum(cost, below)
        if low <= 0 or self._settled(cost):
            return True
        return self._feasible(cost, lower=low + self.protection)

    def _feasible(self, cost: np.ndarray, *, lower=None, upper=None) -> bool:
        """Whether an integer solution has ``lower <= cost · x <= upper`` (and keep it as
        a witness): an integer programme with nothing to optimise, which stops at the
        first solution it finds."""
        columns = np.flatnonzero(cost).astype(np.int32)
        low = -INFINITY if lower is None else float(lower)
        high = INFINITY if upper is None else float(upper)
        self.mip.changeColsCost(len(cost), self._all, np.zeros(len(cost)))
        self.mip.addRow(low, high, columns.size, columns, cost[columns])
        try:
            self.mip.run()
            status = self.mip.getModelStatus()
            if status == _OPTIMAL:
                self._witness(np.round(np.asarray(self.mip.getSolution().col_value)))
                return True
            if status == highspy.HighsModelStatus.kInfeasible:
                return False
            raise AuditError(f"integer programme: {self.mip.modelStatusToString(status)}")
        finally:
            self.mip.deleteRows(1, np.array([self.mip.getNumRow() - 1], dtype=np.int32))

    def _settled(self, cost: np.ndarray) -> bool:
        """Witnesses already show the target could be 0, or span the protection."""
        low, high = self._seen(cost)
        return low <= 0 or high - low >= self.protection
