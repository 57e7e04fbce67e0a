"""Small-number suppression: primary (1 to the threshold) and secondary (no hidden cell
can be worked out from a total), on tables that would otherwise disclose."""

import itertools

import pytest

from insights.suppression import SUPPRESSED, Cell, Figure, derivable, gap, rate, suppress


def hidden(table):
    return [[c.suppressed for c in row] for row in table.cells]


def test_counts_from_one_to_the_threshold_are_hidden_and_zero_is_shown():
    table = suppress([[0], [1], [7], [8]], row_totals=False, column_totals=False, limit=7)
    assert [str(row[0]) for row in table.cells] == ["0", SUPPRESSED, SUPPRESSED, "8"]


def test_the_threshold_comes_from_settings(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": 10}
    table = suppress([[9], [11]], row_totals=False, column_totals=False)
    assert [row[0].suppressed for row in table.cells] == [True, False]


def test_a_single_hidden_cell_in_a_column_is_protected_by_a_second_one():
    # White 40, Asian 5, Black 12, Mixed 20, total 77: without secondary suppression the
    # 5 is 77 - 40 - 12 - 20.
    table = suppress([[40], [5], [12], [20]], row_totals=False, column_totals=True, limit=7)
    assert hidden(table) == [[False], [True], [True], [False]]  # the smallest other cell
    assert str(table.column_totals[0]) == "77"
    assert not derivable(table)


def test_secondary_suppression_prefers_a_cell_above_zero():
    table = suppress([[0], [3], [30], [12]], row_totals=False, column_totals=True, limit=7)
    # Hiding the zero would still disclose: everybody knows hidden cells sum to 3.
    assert hidden(table) == [[False], [True], [False], [True]]


def test_a_small_total_is_hidden_with_its_cells():
    table = suppress([[2], [3], [0]], row_totals=False, column_totals=True, limit=7)
    assert table.column_totals[0].suppressed
    assert hidden(table) == [[True], [True], [False]]
    assert not derivable(table)


def test_only_one_cell_and_a_hidden_total_hides_a_zero_too():
    # 5 and 0: the total 5 is hidden, and with it the 5; the line has two hidden entries.
    table = suppress([[5], [0]], row_totals=False, column_totals=True, limit=7)
    assert table.column_totals[0].suppressed and table.cells[0][0].suppressed
    assert not derivable(table)


def test_two_way_tables_are_protected_in_rows_and_columns():
    counts = [
        [50, 3, 20, 15],
        [40, 12, 9, 30],
        [60, 25, 18, 2],
    ]
    table = suppress(counts, row_totals=True, column_totals=True, limit=7)
    assert table.cells[0][1].suppressed and table.cells[2][3].suppressed
    assert not derivable(table)
    # Every shown figure is the true one.
    for r, c in itertools.product(range(3), range(4)):
        cell = table.cells[r][c]
        assert cell.suppressed or cell.value == counts[r][c]
    assert table.grand_total.value == sum(map(sum, counts))


def test_secondary_suppression_repeats_until_no_line_gives_anything_away():
    # Hiding a cell to protect one row leaves its column with a single hidden cell, which
    # needs a third; the loop must follow the chain.
    counts = [
        [4, 30, 30],
        [30, 30, 30],
        [30, 30, 30],
    ]
    table = suppress(counts, row_totals=True, column_totals=True, limit=7)
    assert sum(c.suppressed for row in table.cells for c in row) >= 4
    assert not derivable(table)


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_never_disclose(seed):
    import random

    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 8)
    counts = [
        [rng.choice([0, 0, 1, 2, 5, 7, 8, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)
    ]
    for row_totals, column_totals in [(True, True), (False, True), (True, False)]:
        table = suppress(counts, row_totals=row_totals, column_totals=column_totals, limit=7)
        assert not derivable(table)
        for r, c in itertools.product(range(rows), range(cols)):
            if 1 <= counts[r][c] <= 7:
                assert table.cells[r][c].suppressed


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
    from insights.suppression import Table

    cells = [[Cell(40)], [Cell(5, suppressed=True)], [Cell(12)], [Cell(20)]]
    assert derivable(Table(cells, None, [Cell(77)], None))
