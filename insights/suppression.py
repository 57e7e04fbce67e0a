"""Small-number suppression for every table that shows a group.

*Primary* suppression hides every count from 1 to the threshold (7 by default, NHS
Digital's rule for published counts; ``TALENTHUB["SUPPRESSION_THRESHOLD"]``). Zero is
shown: it discloses nothing about a person.

*Secondary* suppression stops a hidden count being worked out from what is shown. A
table is made of *lines*: sets of entries that add up, such as the cells of a column
and the column's total. A line with exactly one hidden entry gives it away (total minus
the rest), so another entry of that line is hidden too: the smallest shown cell above
zero, else a zero cell, else the line's total. Hiding an entry can leave another line
with a single hidden entry, so this repeats until every line has none or at least two.

Rates and gaps computed from a hidden count are hidden as well (``Figure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "[c]"  # the ONS / NHS Digital marker for "confidential"


def threshold() -> int:
    return int(settings.TALENTHUB.get("SUPPRESSION_THRESHOLD", 7))


@dataclass
class Cell:
    """A count as published: ``value`` is None when it is suppressed."""

    raw: int
    suppressed: bool = False

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


@dataclass
class Table:
    """Suppressed counts: ``cells[r][c]``; ``row_totals`` and ``column_totals`` when the
    table has them (None otherwise); ``grand_total`` when it has both."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def _pick_secondary(line: list[Cell], inner: int) -> Cell | None:
    """The entry to hide next in ``line`` (its first ``inner`` entries are cells, the
    rest its total): the smallest shown cell above zero, else a shown zero cell, else a
    shown total."""
    shown_cells = [c for c in line[:inner] if not c.suppressed]
    above_zero = [c for c in shown_cells if c.raw > 0]
    if above_zero:
        return min(above_zero, key=lambda c: c.raw)
    if shown_cells:
        return shown_cells[0]
    totals = [c for c in line[inner:] if not c.suppressed]
    return totals[0] if totals else None


def suppress(
    counts: list[list[int]],
    *,
    row_totals: bool,
    column_totals: bool,
    limit: int | None = None,
) -> Table:
    """Publishable counts for a table of ``counts`` (rows × columns of non-negative
    integers). ``row_totals``: each row adds up to a total that is published;
    ``column_totals``: likewise each column. Both: a grand total too."""
    limit = threshold() if limit is None else limit
    cells = [[Cell(int(v)) for v in row] for row in counts]
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    row_total_cells = [Cell(sum(c.raw for c in row)) for row in cells] if row_totals else None
    column_total_cells = (
        [Cell(sum(cells[r][c].raw for r in range(n_rows))) for c in range(n_cols)]
        if column_totals
        else None
    )
    grand = Cell(sum(c.raw for c in row_total_cells)) if row_totals and column_totals else None

    everything = [c for row in cells for c in row]
    everything += row_total_cells or []
    everything += column_total_cells or []
    everything += [grand] if grand else []
    for entry in everything:  # primary suppression
        if 1 <= entry.raw <= limit:
            entry.suppressed = True

    # Lines: (entries, number of inner cells at the front).
    lines: list[tuple[list[Cell], int]] = []
    if row_totals:
        lines += [(cells[r] + [row_total_cells[r]], n_cols) for r in range(n_rows)]
        if column_totals:
            lines.append((column_total_cells + [grand], n_cols))
    if column_totals:
        lines += [
            ([cells[r][c] for r in range(n_rows)] + [column_total_cells[c]], n_rows)
            for c in range(n_cols)
        ]
        if row_totals:
            lines.append((row_total_cells + [grand], n_rows))

    changed = True
    while changed:
        changed = False
        for line, inner in lines:
            if sum(entry.suppressed for entry in line) == 1:
                secondary = _pick_secondary(line, inner)
                if secondary is not None:
                    secondary.suppressed = True
                    changed = True
    return Table(cells, row_total_cells, column_total_cells, grand)


def derivable(table: Table) -> bool:
    """True if some line of ``table`` has exactly one hidden entry (for tests)."""
    n_rows = len(table.cells)
    n_cols = len(table.cells[0]) if table.cells else 0
    lines = []
    if table.row_totals is not None:
        lines += [table.cells[r] + [table.row_totals[r]] for r in range(n_rows)]
        if table.column_totals is not None:
            lines.append(table.column_totals + [table.grand_total])
    if table.column_totals is not None:
        lines += [
            [table.cells[r][c] for r in range(n_rows)] + [table.column_totals[c]]
            for c in range(n_cols)
        ]
        if table.row_totals is not None:
            lines.append(table.row_totals + [table.grand_total])
    return any(sum(e.suppressed for e in line) == 1 for line in lines)
