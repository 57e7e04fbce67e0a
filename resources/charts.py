"""Server-rendered SVG charts of a self-assessment. Each chart is an image with a title
and description for assistive technology; the page always shows the same numbers in a
table too, which is the text equivalent. Colours meet 3:1 contrast against white and
previous ratings are also distinguished by shape (thin bars, dashed outline), not colour
alone. No inline styles (the CSP forbids them): presentation attributes only."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

CURRENT = "#1d70b8"  # GOV.UK blue
PREVIOUS = "#505a5f"  # GOV.UK dark grey
GRID = "#b1b4b6"
SCALE_MAX = 4


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rating_bars(rows: list[dict], *, chart_id: str, title: str) -> str:
    """Horizontal bars: each row's ``rating`` (and ``previous``, if any) on the 1–4 scale."""
    label_width, bar_area, row_height, top = 320, 380, 44, 30
    width = label_width + bar_area + 20
    height = top + row_height * len(rows) + 10
    unit = bar_area / SCALE_MAX
    has_previous = any(r["previous"] is not None for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Ratings from 1 to 4, shown in the table below'
        f"{' with the previous assessment' if has_previous else ''}.</desc>",
    ]
    for tick in range(0, SCALE_MAX + 1):
        x = label_width + tick * unit
        parts.append(
            f'<line x1="{x:.0f}" y1="{top - 8}" x2="{x:.0f}" y2="{height - 10}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{x:.0f}" y="{top - 12}" text-anchor="middle">{tick}</text>')
    for index, row in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 20}" text-anchor="end">'
            f"{escape(_truncate(row['name'], 42))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 6}" width="{row["rating"] * unit:.0f}" '
            f'height="20" fill="{CURRENT}"/>'
        )
        if row["previous"] is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 30}" width="{row["previous"] * unit:.0f}" '
                f'height="6" fill="{PREVIOUS}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped


def wheel(rows: list[dict], *, chart_id: str, title: str) -> str:
    """The development wheel: one spoke per item, the rating as distance from the centre;
    the current ratings as a filled shape, the previous ones as a dashed outline."""
    width, height, cx, cy, radius = 860, 480, 430, 240, 160
    count = len(rows)
    if count < 3:
        return rating_bars(rows, chart_id=chart_id, title=title)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / SCALE_MAX
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    def polygon(values) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in values))

    has_previous = any(r["previous"] is not None for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">A wheel with one spoke for each avenue of development, '
        f"rated from 1 at the centre to 4 at the rim, shown in the table below"
        f"{' with the previous assessment' if has_previous else ''}.</desc>",
    ]
    for ring in range(1, SCALE_MAX + 1):
        parts.append(
            f'<polygon points="{polygon((i, ring) for i in range(count))}" fill="none" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    for index, row in enumerate(rows):
        x, y = point(index, SCALE_MAX)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(index, SCALE_MAX + 0.55)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 5:.1f}" text-anchor="{anchor}">'
            f"{escape(_truncate(row['name'], 30))}</text>"
        )
    if has_previous:
        previous = [(i, r["previous"] or 0) for i, r in enumerate(rows)]
        parts.append(
            f'<polygon points="{polygon(previous)}" fill="none" stroke="{PREVIOUS}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    current = [(i, r["rating"]) for i, r in enumerate(rows)]
    parts.append(
        f'<polygon points="{polygon(current)}" fill="{CURRENT}" fill-opacity="0.35" '
        f'stroke="{CURRENT}" stroke-width="3"/>'
    )
    for i, r in enumerate(rows):
        x, y = point(i, r["rating"])
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{CURRENT}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped
