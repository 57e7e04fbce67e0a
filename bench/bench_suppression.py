"""Suppression on its own, without a database: journey-shaped problems (five stages, every
characteristic's groups, P programmes and "all programmes", shared "no monitoring
information" and totals, stage chains) with made-up counts, solved for P = 2, 5, 10 and 20.
Reports the median solve time of three runs, the size of the problem and the share of
counts hidden. The journey pages solve one such problem per request.
"""

import random
import statistics
import time

STAGES = 5


def _problem(programmes: int, people_per_programme: int, seed: int):
    from insights.choices import CHARACTERISTICS, NOT_RECORDED
    from insights.suppression import Problem

    rng = random.Random(seed)
    chars = list(CHARACTERISTICS.values())
    groups = {c.field: [g for g, _label in c.report_groups()] for c in chars}
    # People: a programme, answers (or none), and how far each got.
    people = []
    for p in range(programmes):
        for _ in range(rng.randint(people_per_programme // 2, people_per_programme)):
            recorded = rng.random() < 0.7
            answers = {
                c.field: (rng.choice(groups[c.field][:-1]) if recorded else NOT_RECORDED)
                for c in chars
            }
            reached = min(STAGES - 1, int(rng.expovariate(0.6)))
            people.append((p, answers, reached))
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
        return problem.cell(
            (stage, scope, key), counts.get((stage, scope, key), 0), total=key[1] == "total"
        )

    columns = {(None, "total")} | {
        (None, g) if g == NOT_RECORDED else (c.field, g) for c in chars for g in groups[c.field]
    }
    for stage in range(STAGES):
        for c in chars:
            keys = [(None, g) if g == NOT_RECORDED else (c.field, g) for g in groups[c.field]]
            for scope in scopes:
                parts = [cell(stage, scope, k) for k in keys]
                problem.add_sum(parts, cell(stage, scope, (None, "total")), by_group=True)
        for key in columns:
            parts = [cell(stage, p, key) for p in range(programmes)]
            problem.add_sum(parts, cell(stage, "all", key))
    for scope in scopes:
        for key in columns:
            problem.nest([cell(stage, scope, key) for stage in range(STAGES)])
    return problem


def run() -> list[str]:
    lines = []
    for programmes in [2, 5, 10, 20]:
        timings = []
        for seed in range(3):
            problem = _problem(programmes, 150, seed)
            started = time.perf_counter()
            problem.solve()
            timings.append(time.perf_counter() - started)
        hidden = sum(c.suppressed for c in problem.cells.values())
        lines.append(
            f"{programmes} programmes: {len(problem.cells)} counts, {len(problem.sums)} sums, "
            f"{100 * hidden / len(problem.cells):.0f}% hidden, "
            f"solved in {statistics.median(timings) * 1000:.0f} ms (median of 3)"
        )
    return lines
