"""Reading the portal's downloads back as a spreadsheet would: a CSV (after its byte-order
mark) and an XLSX, both as lists of rows of text."""

import csv
import io

from openpyxl import load_workbook

from talenthub.core.spreadsheets import UTF8_BOM, XLSX_CONTENT_TYPE, csv_safe, is_formula_like


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith(UTF8_BOM), "a CSV without a BOM is mangled by Excel on Windows"
    return list(csv.reader(io.StringIO(text.removeprefix(UTF8_BOM))))


def xlsx_sheet(response):
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def xlsx_rows(response) -> list[list[str]]:
    """The cells as text, the way the CSV has them (an empty cell is "")."""
    return [
        ["" if value is None else str(value) for value in row]
        for row in xlsx_sheet(response).iter_rows(values_only=True)
    ]


def assert_same_rows_formulas_neutralised(csv_response, xlsx_response) -> list[list[str]]:
    """The XLSX holds the CSV's rows: the same text, where the CSV puts an apostrophe
    before formula-like text the XLSX keeps the text and marks the cell as text (never a
    formula). Returns the XLSX rows."""
    sheet = xlsx_sheet(xlsx_response)
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"], "a formula in the XLSX"
    assert all(c.quotePrefix for c in cells if is_formula_like(c.value))
    rows = xlsx_rows(xlsx_response)
    assert [[csv_safe(value) for value in row] for row in rows] == csv_rows(csv_response)
    return rows
