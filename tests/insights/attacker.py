"""An attacker with an integer-programming solver, over everything one analyst can
download at once: the journey CSV for every characteristic and every programme and all
programmes, the representation CSV for every characteristic, and the programme outcomes
CSV. Written apart from ``insights``: it reads only the CSV text, and it solves with
HiGHS through SciPy's ``milp`` (the portal's own audit uses highspy directly).

What it knows, as a careful reader would:
- every count is a non-negative integer;
- a printed figure: exact, or, when every figure printed is a multiple of 5, rounded to
  the nearest 5 (0 then means 0, 1 or 2; 5 means 3 to 7);
- ``[c]``: a hidden count, non-zero where zeros are printed exactly (that is why they
  are hidden); any value at all under rounding;
- the groups of each table add up to its total; each programme adds up to all
  programmes; career levels add up to all levels; "No monitoring information" and the
  totals are the same figures in every characteristic's table;
- the stages only shrink (applied ≥ offered ≥ enrolled ≥ completed ≥ promoted), and
  alumni are members;
- the programme outcomes page gives, exactly, how many applications each programme had
  and how many were offered a place (the journey's totals).

``attack(release, targets)`` gives the smallest and largest value of each target (a
count, or the difference of two counts of one chain) consistent with all of that.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

SHARED = {"No monitoring information", "All applications", "All"}
# A hidden count is at most this (no table here counts a million people): keeps every
# programme bounded; an interval that reaches it is "no upper limit".
CEILING = 1_000_000
HIDDEN = "[c]"


@dataclass
class Release:
    """What one reader downloaded. ``journey[(characteristic, scope)]``: the CSV rows
    ({group label: [figure per stage]}); ``representation[characteristic]``: the CSV
    rows (population, level, group, figure); ``outcomes``: {programme scope: (applications,
    offered)} summed over the years of the outcomes CSV."""

    stages: list[str] = field(default_factory=list)
    journey: dict = field(default_factory=dict)
    representation: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)
    programmes: list = field(default_factory=list)


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def download(client, characteristics, programmes) -> Release:
    """Every equality CSV and the programme outcomes CSV, as the signed-in ``client``.
    ``programmes``: [(slug, title)] of the programmes in the journey filter."""
    release = Release(programmes=[slug for slug, _title in programmes])
    for char in characteristics:
        for scope in [*release.programmes, None]:
            query = {"characteristic": char, **({"programme": scope} if scope else {})}
            response = client.get("/insights/journey.csv", query)
            assert response.status_code == 200
            header, *rows = read_csv(response.content)
            release.stages = header[2:7]
            release.journey[(char, scope or "all")] = {row[0]: row[2:7] for row in rows}
        response = client.get("/insights/representation.csv", {"characteristic": char})
        assert response.status_code == 200
        _header, *rows = read_csv(response.content)
        release.representation[char] = [row[:4] for row in rows]
    response = client.get("/insights/programmes.csv")
    header, *rows = read_csv(response.content)
    slug_of = {title: slug for slug, title in programmes}
    applications, offered = header.index("Applications"), header.index("Offered a place")
    totals = defaultdict(lambda: [0, 0])
    for row in rows:
        if row[0] in slug_of:
            for scope in (slug_of[row[0]], "all"):
                totals[scope][0] += int(row[applications])
                totals[scope][1] += int(row[offered])
    release.outcomes = dict(totals)
    return release


def journey_key(char, scope, stage, label):
    return ("journey", scope, stage, label if label in SHARED else (char, label))


def representation_key(char, population, level, label):
    return ("representation", population, level, label if label in SHARED else (char, label))


class Model:
    """Variables (one per published figure, shared figures once), bounds, and the linear
    constraints of the reader's knowledge."""

    def __init__(self, release: Release):
        self.index: dict = {}
        self.hidden: set[int] = set()
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.equal: list[dict] = []  # Σ coefficient · x = 0
        self.at_most: list[dict] = []  # Σ coefficient · x ≤ 0
        printed = [
            int(v)
            for table in release.journey.values()
            for row in table.values()
            for v in row
            if re.fullmatch(r"\d+", v)
        ] + [int(r[3]) for rows in release.representation.values() for r in rows if r[3].isdigit()]
        self.base = 5 if printed and all(v % 5 == 0 for v in printed) else 1
        self._journey(release)
        self._representation(release)

    def var(self, key, text: str) -> int:
        lower, upper = self._bounds(text)
        if key not in self.index:
            self.index[key] = len(self.lower)
            self.lower.append(lower)
            self.upper.append(upper)
            if text == HIDDEN:
                self.hidden.add(self.index[key])
        else:  # the same figure printed in another table: both statements hold
            i = self.index[key]
            self.lower[i], self.upper[i] = max(self.lower[i], lower), min(self.upper[i], upper)
        return self.index[key]

    def _bounds(self, text: str) -> tuple[float, float]:
        if text == HIDDEN:
            return 0, CEILING
        value = int(text)
        if self.base == 1:
            return value, value
        half = self.base // 2
        return max(0, value - half), value + half

    def _journey(self, release):
        stages = release.stages
        by_programme = defaultdict(dict)
        for (char, scope), table in release.journey.items():
            for s, stage in enumerate(stages):
                total = self.var(journey_key(char, scope, stage, "All applications"),
                                 table["All applications"][s])  # fmt: skip
                parts = [
                    self.var(journey_key(char, scope, stage, label), row[s])
                    for label, row in table.items()
                    if label != "All applications"
                ]
                self.equal.append({**dict.fromkeys(parts, 1), total: -1})
            for label in table:
                keys = [journey_key(char, scope, stage, label) for stage in stages]
                for earlier, later in zip(keys, keys[1:], strict=False):
                    self.at_most.append({self.index[later]: 1, self.index[earlier]: -1})
                for key in keys:
                    if scope != "all":
                        by_programme[key[2:]][scope] = self.index[key]
        for (stage, group), scopes in by_programme.items():
            whole = self.index.get(("journey", "all", stage, group))
            if whole is not None and len(scopes) == len(release.programmes):
                self.equal.append({**dict.fromkeys(scopes.values(), 1), whole: -1})
        for scope, (applications, offered) in release.outcomes.items():
            for stage, exact in zip(stages[:2], (applications, offered), strict=True):
                key = ("journey", scope, stage, "All applications")
                if key in self.index:
                    i = self.index[key]
                    self.lower[i] = max(self.lower[i], exact)
                    self.upper[i] = min(self.upper[i], exact)

    def _representation(self, release):
        for char, rows in release.representation.items():
            cells = defaultdict(dict)  # (population, level) -> {group: index}
            for population, level, group, text in rows:
                cells[(population, level)][group] = self.var(
                    representation_key(char, population, level, group), text
                )
            for groups in cells.values():
                parts = [i for g, i in groups.items() if g != "All"]
                self.equal.append({**dict.fromkeys(parts, 1), groups["All"]: -1})
            populations = sorted({p for p, _level in cells})
            levels = [lv for lv in dict.fromkeys(lv for _p, lv in cells) if lv != "All levels"]
            groups = list(next(iter(cells.values())))
            for population in populations:
                for group in groups:
                    parts = [cells[(population, lv)][group] for lv in levels]
                    whole = cells[(population, "All levels")][group]
                    self.equal.append({**dict.fromkeys(parts, 1), whole: -1})
            # Alumni and talent pool members are members too (the reader knows it).
            for subset in ("Alumni", "Talent pool members"):
                if {"Members", subset} <= set(populations):
                    for level in [*levels, "All levels"]:
                        for group in groups:
                            part, members = (
                                cells[(subset, level)][group],
                                cells[("Members", level)][group],
                            )
                            self.at_most.append({part: 1, members: -1})

    def constraints(self) -> list[LinearConstraint]:
        n = len(self.lower)
        out = []
        for rows, low, high in [(self.equal, 0, 0), (self.at_most, -np.inf, 0)]:
            if rows:
                r, c, v = zip(*((i, k, w) for i, row in enumerate(rows) for k, w in row.items()),
                              strict=True)  # fmt: skip
                out.append(
                    LinearConstraint(coo_matrix((v, (r, c)), shape=(len(rows), n)), low, high)
                )
        return out

    def feasible(self, values: dict) -> list[str]:
        """The statements ``values`` (key → true count) break: the attacker's knowledge
        must hold of the truth, or its conclusions prove nothing."""
        x = np.zeros(len(self.lower))
        for key, i in self.index.items():
            x[i] = values[key]
        broken = [f"{k}: {x[i]} outside its bounds" for k, i in self.index.items()
                  if not self.lower[i] <= x[i] <= self.upper[i]]  # fmt: skip
        broken += [f"sum {row}" for row in self.equal if sum(w * x[k] for k, w in row.items())]
        broken += [
            f"order {row}" for row in self.at_most if sum(w * x[k] for k, w in row.items()) > 0
        ]
        return broken


def model_of(release: Release) -> Model:
    """The strongest model the figures allow. Where counts are printed exactly, zeros
    are shown, so a hidden count is "one of 1 to 7" — except that a method may hide a
    zero now and then: the attacker believes as many hidden counts non-zero as the
    figures allow together (one more integer programme: a 0/1 belief per hidden count,
    as many as possible true)."""
    model = Model(release)
    if model.base != 1 or not model.hidden:
        return model
    n, hidden = len(model.lower), sorted(model.hidden)
    # Variables: the counts, then one belief b per hidden count with count - b >= 0.
    rows = [{i: 1, n + j: -1} for j, i in enumerate(hidden)]
    r, c, v = zip(
        *((k, col, w) for k, row in enumerate(rows) for col, w in row.items()), strict=True
    )
    belief = LinearConstraint(
        coo_matrix((v, (r, c)), shape=(len(rows), n + len(hidden))), 0, np.inf
    )
    widened = [
        LinearConstraint(coo_matrix(con.A).tocsr().__class__(
            (coo_matrix(con.A).data, (coo_matrix(con.A).row, coo_matrix(con.A).col)),
            shape=(con.A.shape[0], n + len(hidden))), con.lb, con.ub)
        for con in model.constraints()
    ]  # fmt: skip
    objective = np.r_[np.zeros(n), -np.ones(len(hidden))]
    bounds = Bounds(np.r_[model.lower, np.zeros(len(hidden))],
                    np.r_[model.upper, np.ones(len(hidden))])  # fmt: skip
    result = milp(objective, constraints=[*widened, belief], bounds=bounds,
                  integrality=np.ones(n + len(hidden)))  # fmt: skip
    assert result.success, result.message
    for j, i in enumerate(hidden):
        if result.x[n + j] > 0.5:
            model.lower[i] = 1
    return model


def attack(model: Model, targets: dict, protection: int = 2) -> dict:
    """For each target (name → {key: coefficient}), the interval (smallest, largest) of
    its value over every integer solution of ``model``; or, where solutions already
    found show it could be 0 or span ``protection``, those solutions' smallest and
    largest value (the exact interval is at least that wide, which is all the tests ask).
    """
    n = len(model.lower)
    constraints = model.constraints()
    bounds = Bounds(np.array(model.lower), np.array(model.upper))
    solutions = []
    found = {}
    for name, terms in targets.items():
        objective = np.zeros(n)
        for key, w in terms.items():
            objective[model.index[key]] += w
        if solutions:
            values = np.array(solutions) @ objective
            low, high = round(values.min()), round(values.max())
            if low <= 0 or high - low >= protection:
                found[name] = (low, high)
                continue
        ends = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=constraints, bounds=bounds,
                          integrality=np.ones(n))  # fmt: skip
            assert result.success, result.message
            solutions.append(np.round(result.x))
            end = round(sign * result.fun)
            ends.append(np.inf if end >= CEILING else end)
        found[name] = tuple(ends)
    return found
