"""Server-rendered SVG charts for the insights pages. Every chart is an image with a
title and a description for assistive technology, and the page shows the same figures
in a table beside it (the text equivalent). Suppressed figures are never drawn: their
row says so in words. Colours come from the GOV.UK Analysis Function palette, which is
designed to be told apart by people with colour vision deficiencies; presentation
attributes only (the CSP forbids inline styles). Every bar is drawn from the published
(rounded) counts; a withheld figure, or a rate on too few people, has no bar."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .disclosure import LOW, SUPPRESSED, Figure

BAR = "#12436d"
REFERENCE = "#f46a25"
TRACK = "#f3f2f1"
TEXT = "#0b0c0c"
PALETTE = [
    "#12436d",  # dark blue
    "#28a197",  # turquoise
    "#801650",  # dark pink
    "#f46a25",  # orange
    "#3d3d3d",  # dark grey
    "#a285d1",  # light purple
    "#2073bc",  # mid blue
    "#6bace6",  # light blue
    "#8a6d00",  # ochre
]
HIDDEN = "#b1b4b6"  # the share withheld ([c]) by disclosure control
PREFERRED_NOT = "#6f72af"
NOT_STATED = "#e8e8e8"


def _truncate(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-chart" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" font-family="Arial, Helvetica, sans-serif" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _axis(x: float, y: float, text: str, anchor: str = "middle") -> str:
    """A visible axis label (class ``th-chart__axis``; the CSS draws it bold)."""
    return (
        f'<text class="th-chart__axis" x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" '
        f'font-size="13" font-weight="bold" fill="{TEXT}">{escape(text)}</text>'
    )


def _figure(chart_id: str, title: str, parts: list[str]) -> str:
    """The chart in a figure whose caption shows its title. The SVG is drawn at its own
    size, never scaled down to fit (that shrank its words to 4 px on a phone): where the
    column is narrower, the chart scrolls sideways inside its own focusable region, as a
    wide table does."""
    parts.append("</svg>")
    return mark_safe(  # noqa: S308 - every text node is escaped
        f'<figure class="th-chart-figure">'
        f'<figcaption class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-2" '
        f'id="{chart_id}-caption">{escape(title)}</figcaption>'
        f'<div class="th-table-scroll" tabindex="0" role="region" '
        f'aria-labelledby="{chart_id}-caption">{"".join(parts)}</div></figure>'
    )


def rate_bars(
    rows: list[tuple[str, Figure]],
    *,
    chart_id: str,
    title: str,
    reference: Figure | None = None,
    empty: str = "no one at the previous stage",
    x_label: str = "Rate (%)",
    y_label: str = "Group",
) -> str:
    """Horizontal bars of percentages (0–100), one per ``(label, figure)``; a dashed line
    at the reference group's rate. A suppressed figure reads "hidden (small numbers)", a
    figure with too few people behind it "[low] too few people", a figure with no
    denominator ``empty``."""
    label_width, bar_area, row_height, top = 230, 300, 30, 48
    width = label_width + bar_area + 70
    height = top + row_height * len(rows) + 8
    unit = bar_area / 100
    desc = "Percentages by group; the table beside the chart gives the same figures."
    if reference is not None and reference.shown:
        desc += f" The dashed line marks the reference group's rate, {reference.value:.1f}%."
    parts = _svg_open(chart_id, title, desc, width, height)
    parts.append(_axis(label_width + bar_area / 2, 16, x_label))
    parts.append(_axis(label_width - 8, top - 8, y_label, anchor="end"))
    for tick in (0, 50, 100):
        x = label_width + tick * unit
        parts.append(
            f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT}">{tick}%</text>'
        )
    for index, (label, figure) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_truncate(label, 32))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_area}" height="18" fill="{TRACK}"/>'
        )
        if figure.suppressed:
            parts.append(
                f'<text x="{label_width + 6}" y="{y + 17}" font-size="12" fill="{TEXT}">'
                f"{SUPPRESSED} hidden (small numbers)</text>"
            )
        elif figure.low:
            parts.append(
                f'<text x="{label_width + 6}" y="{y + 17}" font-size="12" fill="{TEXT}">'
                f"{LOW} too few people for a percentage</text>"
            )
        elif figure.value is None:
            parts.append(
                f'<text x="{label_width + 6}" y="{y + 17}" font-size="12" fill="{TEXT}">'
                f"{escape(empty)}</text>"
            )
        else:
            bar = figure.value * unit
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="18" fill="{BAR}"/>'
            )
            parts.append(
                f'<text x="{label_width + bar + 4:.1f}" y="{y + 17}" font-size="12" '
                f'fill="{TEXT}">{figure.value:.1f}%</text>'
            )
    if reference is not None and reference.shown:
        x = label_width + reference.value * unit
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="{REFERENCE}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    return _figure(chart_id, title, parts)


def stacked_shares(
    bars: list[tuple[str, list[tuple[str, Figure]], Figure]],
    *,
    chart_id: str,
    title: str,
    groups: list[str],
    x_label: str = "Share of the row's people (%)",
    y_label: str = "Career level",
) -> str:
    """100% stacked bars, one per ``(label, [(group, share)], total share shown)``. Shares
    are of the rounded counts; what they leave of 100% (withheld groups, and what the
    rounding moves) is one grey segment, and a bar never runs past 100%. A row with too
    few people for percentages says so instead of a bar."""
    label_width, bar_area, row_height, top = 200, 420, 34, 30
    legend_rows = len(groups) + 1
    width = label_width + bar_area + 20
    height = top + row_height * len(bars) + 16 + legend_rows * 20
    unit = bar_area / 100
    desc = (
        "Share of each row's people in each group, as stacked bars adding up to 100%; "
        "the table beside the chart gives the same figures."
    )
    parts = _svg_open(chart_id, title, desc, width, height)
    parts.append(_axis(label_width, 18, x_label, anchor="start"))
    parts.append(_axis(label_width - 8, 18, y_label, anchor="end"))
    # Reports end every group list with "prefer not to say" and "no monitoring
    # information": those two get their own muted colours, the named groups the palette.
    named, unstated = groups[:-2], groups[-2:]
    colour = {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(named)}
    colour.update(zip(unstated, [PREFERRED_NOT, NOT_STATED], strict=True))
    for index, (label, shares, row_total) in enumerate(bars):
        y = top + index * row_height
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_truncate(label, 28))}</text>'
        )
        if not row_total.shown:
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{bar_area}" height="20" '
                f'fill="{HIDDEN if row_total.suppressed else TRACK}"/>'
            )
            if row_total.suppressed:
                note = "hidden (small numbers)"
            elif row_total.low:
                note = "too few people for percentages"
            else:
                note = "nobody"
            parts.append(
                f'<text x="{label_width + 6}" y="{y + 18}" font-size="12" fill="{TEXT}">'
                f"{note}</text>"
            )
            continue
        x = float(label_width)
        shown_total = 0.0
        for group, share in shares:
            if share.shown and share.value > 0 and shown_total < 100:
                drawn = min(share.value, 100 - shown_total)
                w = drawn * unit
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="20" '
                    f'fill="{colour[group]}" stroke="#ffffff" stroke-width="1"/>'
                )
                x += w
                shown_total += drawn
        if shown_total < 99.95:
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{(100 - shown_total) * unit:.1f}" '
                f'height="20" fill="{HIDDEN}"/>'
            )
    legend_top = top + row_height * len(bars) + 12
    for i, (name, fill) in enumerate([*colour.items(), ("Hidden, or moved by rounding", HIDDEN)]):
        lx = label_width
        ly = legend_top + i * 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{fill}"/>')
        parts.append(
            f'<text x="{lx + 18}" y="{ly + 11}" font-size="12" fill="{TEXT}">'
            f"{escape(_truncate(name, 64))}</text>"
        )
    return _figure(chart_id, title, parts)


def trend_line(
    points: list[tuple[str, float | None]],
    *,
    chart_id: str,
    title: str,
    maximum: float,
    x_label: str = "Year",
    y_label: str = "Value",
) -> str:
    """A line of values over time (e.g. mean feedback 1–5 per year); a missing value
    breaks the line."""
    left, plot_width, plot_height, top = 40, 460, 160, 34
    width, height = left + plot_width + 20, top + plot_height + 58
    desc = "Values over time; the table beside the chart gives the same figures."
    parts = _svg_open(chart_id, title, desc, width, height)
    parts.append(_axis(0, 16, y_label, anchor="start"))
    parts.append(_axis(left + plot_width / 2, top + plot_height + 46, x_label))
    for tick in range(0, int(maximum) + 1):
        y = top + plot_height - tick / maximum * plot_height
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            f'stroke="{TRACK}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{tick}</text>'
        )
    step = plot_width / max(len(points) - 1, 1)
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (label, value) in enumerate(points):
        x = left + i * step if len(points) > 1 else left + plot_width / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_height + 18}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}">{escape(label)}</text>'
        )
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        y = top + plot_height - value / maximum * plot_height
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR}"/>')
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" stroke-width="2"/>'
            )
    return _figure(chart_id, title, parts)
