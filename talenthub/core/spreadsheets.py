"""CSV downloads that a spreadsheet opens safely.

A cell starting with ``= + - @`` (or a tab or carriage return, which some spreadsheets
strip before parsing) is read as a formula, so a member named "=HYPERLINK(...)" could
run one on the manager's machine. Such text gets a leading apostrophe and is shown as the
text it is. Numbers ("-2.5", a gap in percentage points) are left as numbers.
"""

import csv

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_safe(value):
    """``value`` for a CSV cell (non-text values pass through unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return f"'{value}"
    return value


def csv_response(filename: str, header, rows) -> HttpResponse:
    """An attachment ``filename`` with ``header`` and ``rows``, every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return response
