import pytest

from talenthub.core.spreadsheets import FORMATS, csv_response, csv_safe, spreadsheet_response
from tests.spreadsheets import csv_rows, xlsx_rows, xlsx_sheet


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example","Click")',
            '\'=HYPERLINK("http://evil.example","Click")',
        ),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Guy's & St Thomas'", "Guy's & St Thomas'"),
        ("", ""),
        (None, None),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_numbers_stay_numbers():
    assert csv_safe("-2.5") == "-2.5"  # a gap in percentage points
    assert csv_safe(-3) == -3 and csv_safe(None) is None


def test_the_response_is_an_attachment_with_every_cell_made_safe():
    response = csv_response("x.csv", ["=head"], [["=a", 1], ["b", "-1"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert csv_rows(response) == [["'=head"], ["'=a", "1"], ["b", "-1"]]


def test_a_csv_starts_with_a_byte_order_mark():
    """Excel on Windows reads a CSV without one in the local code page: "Łucja" became
    "Å\x81ucja"."""
    response = csv_response("x.csv", ["Name"], [["Łucja Nowak-Śliwińska"]])
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(response) == [["Name"], ["Łucja Nowak-Śliwińska"]]


HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+44 20 7946 0000",
    "@SUM(A1:A2)",
    "-2+3",
    "\t=1+1",
]


def test_the_xlsx_has_the_csvs_rows_with_formulas_kept_as_text():
    header = ["Name", "=head", "Gap"]
    rows = [[value, "Ordinary", "-2.5"] for value in HOSTILE] + [["Łucja", None, 3]]
    sheet = xlsx_sheet(spreadsheet_response("x", header, rows, file_format="xlsx"))
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == header
    assert cells[0][0].font.bold
    for row, value in zip(cells[1:], HOSTILE, strict=False):
        name = row[0]
        # The text as it was, stored as a string (never a formula) and quote-prefixed,
        # so it stays text when the cell is edited.
        assert name.value == value and name.data_type == "s" and name.quotePrefix
        assert row[1].value == "Ordinary" and not row[1].quotePrefix
        assert row[2].value == "-2.5" and not row[2].quotePrefix
    assert [c.value for c in cells[-1]] == ["Łucja", None, 3]
    assert not [c for row in cells for c in row if c.data_type == "f"]


def test_the_xlsx_and_the_csv_have_the_same_rows():
    header = ["Cohort", "Name"]
    rows = [["Aspire 2.0", "Łucja Nowak-Śliwińska"], ["Aspire 2.0", "Αικατερίνη"]]
    csv_version = csv_rows(spreadsheet_response("x", header, rows))
    xlsx_version = xlsx_rows(spreadsheet_response("x", header, rows, file_format="xlsx"))
    assert csv_version == xlsx_version == [header, *rows]


def test_the_xlsx_replaces_characters_a_workbook_cannot_hold():
    """openpyxl refuses control characters (a 500 on the export): they are replaced."""
    response = spreadsheet_response("x", ["Name"], [["Asha\x00 Pa\x1btel"]], file_format="xlsx")
    assert xlsx_rows(response) == [["Name"], ["Asha\ufffd Pa\ufffdtel"]]


def test_the_attachment_names_follow_the_format():
    for file_format in FORMATS:
        response = spreadsheet_response("participants", ["a"], [], file_format=file_format)
        assert response["Content-Disposition"] == (
            f'attachment; filename="participants.{file_format}"'
        )
    with pytest.raises(ValueError, match="Not a spreadsheet format"):
        spreadsheet_response("x", ["a"], [], file_format="pdf")
