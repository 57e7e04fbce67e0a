"""An independent check of a solved disclosure-control ``Problem``: what a reader of the
published figures can work out, with an integer-programming solver (HiGHS through
SciPy's ``milp``; the portal's audit drives highspy itself). Written apart from
``insights.attack``: it reads only what is published (each cell's printed value, ``[c]``,
and the exact totals a reader has from elsewhere), the sums and the chains of nested
populations, and decides for itself, from the true counts, what must be protected.

The promise it checks (docs/insights.md, "How the equality figures are protected"): every count of
1 to the threshold people in a group, and every difference of 1 to the threshold people
between two stages of one group, is either possibly zero to the reader, or its smallest
and largest possible values are at least ``PROTECTION`` apart; and where one of its counts
is withheld, ``breaches(guessing=True)`` asks the latter even of a reader who guesses it
is not zero (a withheld figure may be one that needed protecting).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

PROTECTION = 2
CEILING = 10**6  # no count here is a million: a hidden count is at most this


def bounds(cell) -> tuple[int, int]:
    """What a reader knows of a cell's true count from the cell as printed."""
    if cell.known:
        return cell.raw, cell.raw
    printed = str(cell)
    if printed == "[c]":
        return 0, CEILING
    value = int(printed)
    if cell.base == 1:
        return value, value
    if value == 0:
        return 0, 2  # HESA: 0, 1 and 2 are printed as 0
    return value - 2, value + 2


def targets(problem) -> dict[str, dict]:
    """Protected figures, decided from the true counts: {name: {cell index: weight}}."""
    cells = list(problem.cells.values())
    index = {id(c): i for i, c in enumerate(cells)}
    limit = problem.limit
    found = {}
    for key, cell in problem.cells.items():
        if cell.is_total or cell.known:
            continue
        if 1 <= cell.raw <= limit or 1 <= cell.people <= limit:
            found[f"count {key!r} = {cell.raw}"] = {index[id(cell)]: 1}
    for chain in problem.chains:
        for i, earlier in enumerate(chain.cells):
            for j in range(i + 1, len(chain.cells)):
                later = chain.cells[j]
                if earlier.is_total or (earlier.known and later.known):
                    continue
                between = earlier.raw - later.raw
                if 1 <= between <= limit or 1 <= chain.people(i, j) <= limit:
                    name = f"difference {i}-{j} of a chain from {earlier.raw} to {later.raw}"
                    found[f"{name} ({len(found)})"] = {index[id(earlier)]: 1, index[id(later)]: -1}
    return found


def _model(problem):
    cells = list(problem.cells.values())
    index = {id(c): i for i, c in enumerate(cells)}
    n = len(cells)
    rows, lower, upper = [], [], []
    for s in problem.sums:
        row = {}
        for part in s.parts:
            row[index[id(part)]] = row.get(index[id(part)], 0) + 1
        row[index[id(s.whole)]] = row.get(index[id(s.whole)], 0) - 1
        rows.append(row)
        lower.append(0)
        upper.append(0)
    for chain in problem.chains:
        for earlier, later in zip(chain.cells, chain.cells[1:], strict=False):
            rows.append({index[id(later)]: 1, index[id(earlier)]: -1})
            lower.append(-np.inf)
            upper.append(0)
    entries = [(r, c, v) for r, row in enumerate(rows) for c, v in row.items() if v]
    constraints = []
    if entries:
        r, c, v = zip(*entries, strict=True)
        matrix = coo_matrix((v, (r, c)), shape=(len(rows), n))
        constraints.append(LinearConstraint(matrix, lower, upper))
    low, high = zip(*(bounds(c) for c in cells), strict=True) if cells else ((), ())
    return n, constraints, Bounds(np.array(low, float), np.array(high, float)), cells


def withheld(problem, terms: dict) -> bool:
    cells = list(problem.cells.values())
    return any(str(cells[column]) == "[c]" for column in terms)


def intervals(
    problem, wanted: dict[str, dict] | None = None, *, guessing: bool = False
) -> dict[str, tuple[int, int]]:
    """The smallest and largest value a reader can allow each target (``guessing``: not
    zero, for a target with a withheld count); where integer solutions already found
    show it protected, their smallest and largest value instead (the exact interval is
    at least that wide)."""
    wanted = targets(problem) if wanted is None else wanted
    n, constraints, box, cells = _model(problem)
    truth = np.array([c.raw for c in cells], float)
    assert np.all(box.lb <= truth) and np.all(truth <= box.ub), "a printed figure lies"
    found = {}
    solutions = [truth]
    for name, terms in wanted.items():
        objective = np.zeros(n)
        for column, weight in terms.items():
            objective[column] += weight
        strict = guessing and withheld(problem, terms)
        # Integer solutions found so far that already show the figure could be 0, or
        # span the promise, settle it (the exact interval is at least as wide).
        values = np.array(solutions) @ objective
        if strict:
            values = values[values >= 1]
        low, high = round(values.min()), round(values.max())
        if (low <= 0 and not strict) or high - low >= PROTECTION:
            found[name] = (low, high)
            continue
        extra = [LinearConstraint(objective.reshape(1, -1), 1, np.inf)]
        ends = []
        for sign in (1, -1):
            result = milp(
                sign * objective,
                constraints=constraints + (extra if guessing and withheld(problem, terms) else []),
                bounds=box,
                integrality=np.ones(n),
            )
            assert result.success, result.message
            solutions.append(np.round(result.x))
            ends.append(round(sign * result.fun))
        found[name] = tuple(ends)
    return found


def breaches(problem, *, guessing: bool = False) -> list[str]:
    """Every protected figure a reader can narrow further than promised (empty: none).
    ``guessing``: the reader also takes every protected figure with a withheld count to
    be not zero (the promise does not depend on that guess)."""
    wanted = targets(problem)
    return [
        f"{name}: the reader knows it is {low} to {high}"
        for name, (low, high) in intervals(problem, wanted, guessing=guessing).items()
        if (low > 0 or (guessing and withheld(problem, wanted[name]))) and high - low < PROTECTION
    ]


# Across releases --------------------------------------------------------------------------


def _rows(problem, position, shift):
    """The sums and chains of ``problem`` over variables ``position`` (key → column),
    its counts being the variables plus ``shift`` (key → a number or {column: weight})."""
    rows, lower, upper = [], [], []

    def term(key):
        row, constant = {position[key]: 1}, 0
        extra = shift.get(key, 0)
        if isinstance(extra, dict):
            for column, weight in extra.items():
                row[column] = row.get(column, 0) + weight
        else:
            constant = extra
        return row, constant

    def add(pairs, low, high):
        row, constant = {}, 0
        for key, sign in pairs:
            t, c = term(key)
            for column, weight in t.items():
                row[column] = row.get(column, 0) + sign * weight
            constant += sign * c
        rows.append(row)
        lower.append(low - constant)
        upper.append(high - constant)

    for s in problem.sums:
        add([(p.key, 1) for p in s.parts] + [(s.whole.key, -1)], 0, 0)
    for chain in problem.chains:
        for earlier, later in zip(chain.cells, chain.cells[1:], strict=False):
            add([(later.key, 1), (earlier.key, -1)], -np.inf, 0)
    for key, cell in problem.cells.items():
        low, high = bounds(cell)
        add([(key, 1)], low, high)
    return rows, lower, upper


def _programme(releases, shifts, extra_columns=0, extra_rows=()):
    first = releases[0]
    position = {key: i for i, key in enumerate(first.cells)}
    n = len(position) + extra_columns
    rows, lower, upper = [], [], []
    for problem, shift in zip(releases, shifts, strict=True):
        r, lo, hi = _rows(problem, position, shift)
        rows += r
        lower += lo
        upper += hi
    for row, lo, hi in extra_rows:
        rows.append(row)
        lower.append(lo)
        upper.append(hi)
    entries = [(r, c, v) for r, row in enumerate(rows) for c, v in row.items() if v]
    r, c, v = zip(*entries, strict=True)
    matrix = coo_matrix((v, (r, c)), shape=(len(rows), n))
    box = Bounds(np.zeros(n), np.r_[np.full(len(position), CEILING), np.ones(extra_columns)])
    return position, n, [LinearConstraint(matrix, lower, upper)], box


def with_known_changes(releases, shifts) -> list[str]:
    """A reader of every release in ``releases`` who knows exactly how each count
    changed since the first (``shifts[k]``: key → change; e.g. the accounts they made
    themselves, and nobody else changed): the first release's protected figures it
    narrows further than promised."""
    position, n, constraints, box = _programme(releases, shifts)
    found = []
    first = releases[0]
    for name, terms in targets(first).items():
        keys = list(first.cells)
        objective = np.zeros(n)
        for column, weight in terms.items():
            objective[position[keys[column]]] += weight
        ends = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=constraints, bounds=box,
                          integrality=np.ones(n))  # fmt: skip
            assert result.success, result.message
            ends.append(round(sign * result.fun))
        low, high = ends
        if low > 0 and high - low < PROTECTION:
            found.append(f"{name}: the reader knows it is {low} to {high}")
    return found


def whose_group(before, after, choices: dict, person) -> dict:
    """A reader of two releases who knows that between them exactly one person changed
    (``person(choice_of_group) -> {key: change}`` for each answer they might have given,
    the totals too), and nothing else did: for each question, the answers that fit both
    releases. One answer left is the person's answer given away."""
    columns = [(question, group) for question, groups in choices.items() for group in groups]
    n_counts = len(before.cells)
    y = {qg: n_counts + i for i, qg in enumerate(columns)}
    shift: dict = {}
    for (question, group), column in y.items():
        for key, change in person(question, group).items():
            shift.setdefault(key, {})[column] = change
    for key, change in person(None, None).items():  # the same whatever the answers
        shift[key] = change
    one_each = [
        ({y[(question, g)]: 1 for g in groups}, 1, 1) for question, groups in choices.items()
    ]
    _position, n, constraints, box = _programme(
        [before, after], [{}, shift], extra_columns=len(columns), extra_rows=one_each
    )
    fits = {}
    for question, groups in choices.items():
        fits[question] = []
        for group in groups:
            low = box.lb.copy()
            low[y[(question, group)]] = 1
            result = milp(np.zeros(n), constraints=constraints, bounds=Bounds(low, box.ub),
                          integrality=np.ones(n))  # fmt: skip
            if result.status == 0:
                fits[question].append(group)
    return fits
