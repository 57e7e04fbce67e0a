"""Downloads that a spreadsheet opens safely: CSV and XLSX, from the same header and rows.

Formulas: a cell starting with ``= + - @`` (or a tab or carriage return, which some
spreadsheets strip before parsing) is read as a formula, so a member named
"=HYPERLINK(...)" could run one on the manager's machine.
- In a CSV such text gets a leading apostrophe and is shown as the text it is.
- In an XLSX it is stored as a string (never a formula) with Excel's "quote prefix" set,
  so it stays text even when someone edits the cell; the text itself is unchanged.
Numbers ("-2.5", a gap in percentage points) are left as numbers in both.

Encoding: a CSV starts with a UTF-8 byte-order mark, without which Excel on Windows reads
the file as the local code page and mangles accented names ("Åucja" for "Łucja"). An
XLSX is Unicode by definition; the control characters it cannot hold are replaced.
"""

import csv
import io

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def is_formula_like(value) -> bool:
    """Text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_number(value)


def csv_safe(value):
    """``value`` for a CSV cell (non-text values pass through unchanged)."""
    if is_formula_like(value):
        return f"'{value}"
    return value


def csv_response(filename: str, header, rows) -> HttpResponse:
    """An attachment ``filename`` with ``header`` and ``rows``, every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(UTF8_BOM)
    writer = csv.writer(response)
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return response


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 (only when an XLSX is asked for)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value) or cell.data_type == "f":
        cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula
        cell.quotePrefix = True
    return cell


def xlsx_response(filename: str, header, rows, *, sheet_title: str = "Export") -> HttpResponse:
    """An attachment ``filename`` (an Excel workbook of one sheet) with ``header`` in bold
    and ``rows``, every text cell kept as text."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    heading = []
    for title in header:
        cell = _xlsx_cell(sheet, title)
        cell.font = Font(bold=True)
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet_response(name: str, header, rows, *, file_format: str = "csv") -> HttpResponse:
    """``name``.csv or ``name``.xlsx with the same header and rows."""
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, sheet_title=name)
    if file_format == "csv":
        return csv_response(f"{name}.csv", header, rows)
    raise ValueError(f"Not a spreadsheet format: {file_format!r}")
