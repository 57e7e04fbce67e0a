"""Disclosure control on its own, without a database: journey-shaped problems (five
stages, every characteristic's groups, P programmes and "all programmes", shared "no
monitoring information" and totals known exactly, stage chains) with made-up counts.

1. One release, rounded and audited, for P = 2, 5, 10 and 20 programmes of up to 150 or
   1,500 applicants: the median time of three runs, the size of the problem, how many
   protected figures the audit checked and how many figures it withheld.
2. Releases audited with the ``EQUALITY_RELEASE_HISTORY`` before them (``INSIGHTS_RELEASE_
   HISTORY``): five programmes of up to 150 applicants, then 5 or 50 more applicants a
   quarter; the time of each release against the first, which had no history (the ratio
   is the cost of the history).

A release of the journey audits one such problem a quarter, in the background.
"""

import random
import statistics
import time

STAGES = 5


def _person(rng, programme: int):
    """A programme, answers (or none), and how far the person got."""
    from insights.choices import CHARACTERISTICS, NOT_RECORDED

    recorded = rng.random() < 0.7
    answers = {
        c.field: (
            rng.choice([g for g, _label in c.report_groups()][:-1]) if recorded else NOT_RECORDED
        )
        for c in CHARACTERISTICS.values()
    }
    return programme, answers, min(STAGES - 1, int(rng.expovariate(0.6)))


def _people(programmes: int, people_per_programme: int, seed: int) -> list:
    rng = random.Random(seed)
    return [
        _person(rng, p)
        for p in range(programmes)
        for _ in range(rng.randint(people_per_programme // 2, people_per_programme))
    ]


def _problem(programmes: int, people_per_programme: int, seed: int):
    return _problem_of(programmes, _people(programmes, people_per_programme, seed))


def _problem_of(programmes: int, people: list):
    from insights.choices import CHARACTERISTICS, NOT_RECORDED
    from insights.disclosure import Problem

    chars = list(CHARACTERISTICS.values())
    groups = {c.field: [g for g, _label in c.report_groups()] for c in chars}
    scopes = [*range(programmes), "all"]
    counts: dict = {}
    for p, answers, reached in people:
        keys = {(None, "total")} | {
            (None, g) if g == NOT_RECORDED else (field, g) for field, g in answers.items()
        }
        for scope in (p, "all"):
            for key in keys:
                for stage in range(reached + 1):
                    counts[(stage, scope, key)] = counts.get((stage, scope, key), 0) + 1
    problem = Problem(7)

    def cell(stage, scope, key):
        total = key[1] == "total"
        return problem.cell(
            (stage, scope, key), counts.get((stage, scope, key), 0), total=total, known=total
        )

    columns = {(None, "total")} | {
        (None, g) if g == NOT_RECORDED else (c.field, g) for c in chars for g in groups[c.field]
    }
    for stage in range(STAGES):
        for c in chars:
            keys = [(None, g) if g == NOT_RECORDED else (c.field, g) for g in groups[c.field]]
            for scope in scopes:
                parts = [cell(stage, scope, k) for k in keys]
                problem.add_sum(parts, cell(stage, scope, (None, "total")))
        for key in columns:
            parts = [cell(stage, p, key) for p in range(programmes)]
            problem.add_sum(parts, cell(stage, "all", key))
    for scope in scopes:
        for key in columns:
            problem.nest([cell(stage, scope, key) for stage in range(STAGES)])
    return problem


def _releases(changes: int, count: int, seed: int = 0) -> list[tuple[float, int, int]]:
    """``count`` releases of five programmes, ``changes`` applicants more each time,
    each audited with the ``EQUALITY_RELEASE_HISTORY`` before it: (seconds, figures
    withheld, figures audited) of each."""
    from django.conf import settings

    from insights.disclosure import Problem

    keep = int(settings.TALENTHUB.get("EQUALITY_RELEASE_HISTORY", 1))
    rng = random.Random(seed + 1)
    people = _people(5, 150, seed)
    history, found = [], []
    for _k in range(count):
        problem = _problem_of(5, people)
        people = people + [_person(rng, rng.randrange(5)) for _ in range(changes)]
        started = time.perf_counter()
        problem.solve(history=[Problem.from_data(h) for h in history[len(history) - keep :]])
        found.append(
            (
                time.perf_counter() - started,
                sum(c.suppressed for c in problem.cells.values()),
                problem.audited,
            )
        )
        history.append(problem.to_data())
    return found


def run() -> list[str]:
    lines = []
    for people in [150, 1500]:
        for programmes in [2, 5, 10, 20]:
            timings = []
            for seed in range(3):
                problem = _problem(programmes, people, seed)
                started = time.perf_counter()
                problem.solve()
                timings.append(time.perf_counter() - started)
            cells = problem.cells.values()
            hidden = sum(c.suppressed for c in cells)
            lines.append(
                f"{programmes} programmes of up to {people} applicants: {len(cells)} counts, "
                f"{len(problem.sums)} sums, {problem.audited} protected figures checked, "
                f"{hidden} withheld ({100 * hidden / len(cells):.0f}%); "
                f"{statistics.median(timings) * 1000:.0f} ms (median of 3)"
            )
    for changes in [5, 50]:
        found = _releases(changes, 4)
        first = found[0][0]
        lines.append(
            f"4 releases, {changes} more applicants each: "
            + "; ".join(
                f"#{k + 1} {seconds:.1f} s ({seconds / first:.1f}× the first), {withheld} withheld"
                for k, (seconds, withheld, _audited) in enumerate(found)
            )
        )
    return lines
