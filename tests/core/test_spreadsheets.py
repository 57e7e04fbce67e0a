import csv
import io

import pytest

from talenthub.core.spreadsheets import csv_response, csv_safe


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
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["'=head"], ["'=a", "1"], ["b", "-1"]]
