"""An independent check that a solved suppression problem discloses nothing: exact
rational elimination (``fractions``), written apart from the module it checks."""

from fractions import Fraction


def pinned(problem) -> list:
    """Hidden cells whose value the shown cells and the sums fix."""
    hidden = [c for c in problem.cells.values() if c.suppressed]
    position = {id(c): i for i, c in enumerate(hidden)}
    rows = []
    for s in problem.sums:
        row = [Fraction(0)] * len(hidden)
        for sign, cell in [*((1, p) for p in s.parts), (-1, s.whole)]:
            if cell.suppressed:
                row[position[id(cell)]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form.
    pivot_of_row = []
    r = 0
    for c in range(len(hidden)):
        k = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        lead = rows[r][c]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivot_of_row.append(c)
        r += 1
    return [hidden[c] for i, c in enumerate(pivot_of_row) if sum(1 for v in rows[i] if v != 0) == 1]


def problems(problem) -> list[str]:
    """Everything wrong with a solved problem, as sentences (empty: nothing)."""
    found = []
    for key, cell in problem.cells.items():
        if 1 <= cell.people <= problem.limit and not cell.suppressed:
            found.append(f"{key}: {cell.people} people shown")
    for cell in pinned(problem):
        found.append(f"{cell.raw} can be worked out from the sums")
    known_zero = {
        id(c)
        for chain in problem.chains
        for i, c in enumerate(chain.cells)
        if any(e.raw == 0 and not e.suppressed for e in chain.cells[:i])
    }
    for s in problem.sums:
        hidden = [p for p in s.parts if p.suppressed]
        rest = [p for p in s.parts if not p.suppressed]
        # Zeros an earlier stage gives away could not be hidden to any effect: then the
        # earlier stage has said "everyone is in this group" already.
        unknown = [p for p in rest if id(p) not in known_zero]
        single = s.by_group and s.whole.suppressed and len(hidden) == 1 and unknown
        if single and all(p.raw == 0 for p in rest):
            found.append(f"everyone in a hidden total of {s.whole.raw} is in one group")
    for chain in problem.chains:
        for i, cell in enumerate(chain.cells):
            earlier_zero = any(e.raw == 0 and not e.suppressed for e in chain.cells[:i])
            if cell.suppressed and earlier_zero:
                found.append("a hidden count is zero because an earlier one is shown as zero")
        shown = [i for i, c in enumerate(chain.cells) if not c.suppressed]
        for i in shown:
            for j in shown:
                if i < j and 1 <= chain.people(i, j) <= problem.limit:
                    found.append(f"{chain.people(i, j)} people between two shown counts")
    return found
