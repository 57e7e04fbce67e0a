"""Small-number suppression: primary (1 to the threshold), secondary (nothing hidden can
be worked out from the sums, across tables too) and differences of nested populations.
``tests/insights/disclosure.py`` checks each result independently."""

import itertools
import random

import pytest

from insights.suppression import (
    SUPPRESSED,
    Cell,
    Figure,
    Problem,
    add_table,
    gap,
    rate,
    suppress,
)

from .disclosure import pinned, problems


def hidden(table):
    return [[c.suppressed for c in row] for row in table.cells]


def solved_table(counts, **kwargs):
    problem = Problem(7)
    table = add_table(problem, "t", counts, **kwargs)
    return problem.solve(), table


def test_counts_from_one_to_the_threshold_are_hidden_and_zero_is_shown():
    table = suppress([[0], [1], [7], [8]], row_totals=False, column_totals=False, limit=7)
    assert [str(row[0]) for row in table.cells] == ["0", SUPPRESSED, SUPPRESSED, "8"]


def test_the_threshold_comes_from_settings(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": 10}
    table = suppress([[9], [11]], row_totals=False, column_totals=False)
    assert [row[0].suppressed for row in table.cells] == [True, False]


def test_the_threshold_counts_people_not_applications():
    problem = Problem(7)
    nine_applications_by_five_people = problem.cell("a", 9, people=5)
    ten_people = problem.cell("b", 10)
    problem.add_sum([nine_applications_by_five_people, ten_people], problem.cell("t", 19))
    problem.solve()
    assert nine_applications_by_five_people.suppressed and ten_people.suppressed
    assert not problems(problem)


def test_a_single_hidden_cell_in_a_column_is_protected_by_a_second_one():
    # White 40, Asian 5, Black 12, Mixed 20, total 77: without secondary suppression the
    # 5 is 77 - 40 - 12 - 20.
    problem, table = solved_table([[40], [5], [12], [20]], row_totals=False, column_totals=True)
    assert hidden(table) == [[False], [True], [True], [False]]  # the smallest other cell
    assert str(table.column_totals[0]) == "77"
    assert not problems(problem)


def test_secondary_suppression_prefers_a_cell_above_zero():
    _problem, table = solved_table([[0], [3], [30], [12]], row_totals=False, column_totals=True)
    # Hiding the zero would still disclose: everybody knows hidden cells sum to 3.
    assert hidden(table) == [[False], [True], [False], [True]]


def test_a_small_total_is_hidden_with_its_cells():
    problem, table = solved_table([[2], [3], [0]], row_totals=False, column_totals=True)
    assert table.column_totals[0].suppressed
    assert hidden(table) == [[True], [True], [False]]
    assert not problems(problem)


def test_one_group_and_a_hidden_total_hides_a_zero_too():
    # 5 and 0 with the total hidden would say "everyone is in the first group".
    problem, table = solved_table([[5], [0]], row_totals=False, column_totals=True)
    assert table.column_totals[0].suppressed and hidden(table) == [[True], [True]]
    assert not problems(problem)


def test_two_way_tables_are_protected_with_a_rectangle():
    counts = [
        [50, 3, 20, 15],
        [40, 12, 9, 30],
        [60, 25, 18, 2],
    ]
    problem, table = solved_table(counts, row_totals=True, column_totals=True)
    # The cheapest cycle through the 3 and the 2: 3, 15, 25, 2.
    assert hidden(table) == [
        [False, True, False, True],
        [False, False, False, False],
        [False, True, False, True],
    ]
    assert not problems(problem)
    for r, c in itertools.product(range(3), range(4)):
        cell = table.cells[r][c]
        assert cell.suppressed or cell.value == counts[r][c]
    assert table.grand_total.value == sum(map(sum, counts))


def test_a_cell_linking_two_hidden_groups_is_hidden_too():
    """Every row and column below has two hidden cells, yet the sums fix the 6: rows 1
    and 2 and columns 1 and 2 hold the hidden cells {a, b, c, d} and {6}... the check
    the old code made (two per line) passed this pattern."""
    counts = [
        [2, 3, 30, 30],
        [3, 2, 30, 30],
        [30, 30, 4, 6],
        [30, 30, 5, 3],
    ]
    problem = Problem(7)
    table = add_table(problem, "t", counts, row_totals=True, column_totals=True)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)]:
        table.cells[r][c].suppressed = True
    assert not pinned(problem)  # two separate rectangles: nothing fixed
    table.cells[3][3].suppressed = False  # the 3 shown: its rectangle fixes 4, 6 and 5
    assert {c.raw for c in pinned(problem)} == {4, 6, 5}
    assert {c.raw for c in problem.disclosed()} == {4, 6, 5}


def test_secondary_suppression_follows_the_chain():
    counts = [
        [4, 30, 30],
        [30, 30, 30],
        [30, 30, 30],
    ]
    problem, table = solved_table(counts, row_totals=True, column_totals=True)
    assert sum(c.suppressed for row in table.cells for c in row) == 4
    assert not problems(problem)


def test_a_figure_shared_by_two_tables_is_hidden_in_both():
    """ "No monitoring information" is the same count in the sex and the religion table:
    hidden in one and shown in the other, it would give the first table's cells away."""
    problem = Problem(7)
    shared = problem.cell("not recorded", 5)
    total = problem.cell("total", 40, total=True)
    by_sex = [problem.cell("female", 25), problem.cell("male", 10), shared]
    by_religion = [problem.cell("none", 20), problem.cell("christian", 15), shared]
    problem.add_sum(by_sex, total, by_group=True)
    problem.add_sum(by_religion, total, by_group=True)
    problem.solve()
    assert shared.suppressed
    assert by_sex[1].suppressed and by_religion[1].suppressed
    assert not problems(problem)


def test_one_programme_minus_all_programmes_gives_nothing_away():
    """Two programmes and "all programmes": the second is all minus the first."""
    problem = Problem(7)
    first = add_table(problem, "first", [[30], [3], [20]], row_totals=False, column_totals=True,
                      cell_key=lambda r, c: ("first", r, c))  # fmt: skip
    second = add_table(problem, "second", [[25], [12], [9]], row_totals=False,
                       column_totals=True, cell_key=lambda r, c: ("second", r, c))  # fmt: skip
    everyone = add_table(problem, "all", [[55], [15], [29]], row_totals=False,
                         column_totals=True, cell_key=lambda r, c: ("all", r, c))  # fmt: skip
    for r in [0, 1, 2, -1]:
        cells = [t.cells[r][0] if r >= 0 else t.column_totals[0] for t in (first, second)]
        whole = everyone.cells[r][0] if r >= 0 else everyone.column_totals[0]
        problem.add_sum(cells, whole)
    problem.solve()
    assert first.cells[1][0].suppressed
    assert not problems(problem)
    # The control: hiding the 3 only where it is small leaves 15 - 12 to find it.
    problem_control = Problem(7)
    a, b, t = (problem_control.cell(k, v) for k, v in [("a", 3), ("b", 12), ("t", 15)])
    problem_control.add_sum([a, b], t)
    a.suppressed = True
    assert pinned(problem_control) == [a]


def test_nested_populations_hide_a_small_difference():
    """25 applied, 24 offered a place: the one not offered is a person."""
    problem = Problem(7)
    applied, offered, enrolled = (problem.cell(k, v) for k, v in [("a", 25), ("o", 24), ("e", 9)])
    problem.nest([applied, offered, enrolled])
    problem.solve()
    assert not applied.suppressed and offered.suppressed
    assert not enrolled.suppressed  # 25 - 9: 16 people
    assert not problems(problem)


def test_differences_count_people_given():
    problem = Problem(7)
    applied, offered = problem.cell("a", 30), problem.cell("o", 10)
    # 20 applications more, but by 4 people.
    problem.nest([applied, offered], people=lambda i, j: 4)
    problem.solve()
    assert offered.suppressed


@pytest.mark.parametrize("seed", range(40))
def test_random_problems_never_disclose(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 7)
    counts = [
        [rng.choice([0, 0, 1, 2, 5, 7, 8, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)
    ]
    for row_totals, column_totals in [(True, True), (False, True), (True, False)]:
        problem, table = solved_table(counts, row_totals=row_totals, column_totals=column_totals)
        assert not problems(problem), counts
        for r, c in itertools.product(range(rows), range(cols)):
            if 1 <= counts[r][c] <= 7:
                assert table.cells[r][c].suppressed
            if not table.cells[r][c].suppressed:
                assert table.cells[r][c].value == counts[r][c]


def test_the_table_the_audit_found_is_protected():
    """Seed 346 of the old generator: rows and columns each had two hidden cells, yet a
    1 could be solved from the sums."""
    rng = random.Random(346)
    rows, cols = rng.randint(1, 6), rng.randint(1, 8)
    counts = [
        [rng.choice([0, 0, 1, 2, 5, 7, 8, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)
    ]
    problem, _table = solved_table(counts, row_totals=True, column_totals=True)
    assert not problems(problem)


def test_the_exact_check_and_the_independent_one_agree():
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(2, 5), rng.randint(2, 5)
        counts = [[rng.randint(0, 30) for _ in range(cols)] for _ in range(rows)]
        problem = Problem(7)
        add_table(problem, "t", counts, row_totals=True, column_totals=True)
        for cell in problem.cells.values():
            cell.suppressed = rng.random() < 0.35
        assert {id(c) for c in problem.disclosed()} == {id(c) for c in pinned(problem)}


def test_rates_and_gaps_from_a_hidden_count_are_hidden():
    shown, small = Cell(20), Cell(5, suppressed=True)
    assert rate(small, shown).suppressed
    assert rate(shown, small).suppressed
    assert str(rate(Cell(10), Cell(40))) == "25.0"
    assert rate(Cell(0), Cell(0)).value is None  # nobody at the previous stage
    assert str(rate(Cell(0), Cell(0))) == "–"
    assert gap(Figure(None, suppressed=True), Figure(50.0)).suppressed
    assert str(gap(Figure(25.0), Figure(50.0))) == "-25.0"


def test_control_primary_suppression_alone_would_disclose():
    """The check above can fail: the same column with only primary suppression gives the
    hidden cell away."""
    problem = Problem(7)
    table = add_table(problem, "t", [[40], [5], [12], [20]], row_totals=False, column_totals=True)
    table.cells[1][0].suppressed = True
    assert problems(problem) == ["5 can be worked out from the sums"]
