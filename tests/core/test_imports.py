"""The bulk import's file reader: hostile files get a clear message, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talenthub.core.imports import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    Column,
    ImportFileError,
    read_table,
    read_upload,
    sign_preview,
    unsign_preview,
)

COLUMNS = [Column("Email"), Column("Readiness", required=False)]


def _upload(data: bytes, name="people.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_utf8_file_with_or_without_a_bom_is_read():
    for data in ["Email\r\nłucja@example.org\r\n".encode(), b"\xef\xbb\xbfEmail\na@example.org\n"]:
        text = read_upload(_upload(data))
        rows = read_table(text, COLUMNS)
        assert [r.values["Email"] for r in rows] in (["łucja@example.org"], ["a@example.org"])
        assert rows[0].line == 2 and not rows[0].errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"  \n\n", "The file is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "spreadsheet workbook, not a CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "spreadsheet workbook"),
        (b"Email\na@example.org\x00\n", "NUL characters"),
        ("Email\nŁucja@example.org\n".encode("cp1250"), "not in UTF-8"),
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n", "not in UTF-8"),
    ],
)
def test_a_file_that_is_not_a_utf8_csv_is_refused_with_a_reason(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(_upload(data))


def test_a_huge_file_is_refused_without_reading_it_all():
    class Endless:
        name = "huge.csv"
        size = 10**12
        read_sizes = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return b"a" * size

    upload = Endless()
    with pytest.raises(ImportFileError, match="larger than"):
        read_upload(upload)
    assert upload.read_sizes == [MAX_IMPORT_BYTES + 1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Name\nAsha\n", "Unknown column “Name”"),
        ("Readiness\nready\n", "no “Email” column"),
        ("Email,email\na,b\n", "appears twice"),
        ("Email\n", "no rows to import"),
        ('Email\n"unterminated\n', "could not be read as CSV"),
        ("Email\n" + "x" * 200_000 + "\n", "could not be read as CSV"),  # over csv's field limit
        ("Email\n" + "a@example.org\n" * (MAX_IMPORT_ROWS + 1), "more than 1000 rows"),
    ],
)
def test_a_table_that_does_not_fit_the_columns_is_refused(text, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(text, COLUMNS)


def test_columns_in_any_order_and_case_and_blank_rows_skipped():
    rows = read_table(" readiness ,EMAIL\nready,a@example.org\n,\n\n", COLUMNS)
    assert len(rows) == 1
    assert rows[0].values == {"Email": "a@example.org", "Readiness": "ready"}


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+44 20", "@SUM(A1)", "-1+2", "\t=1"])
def test_a_formula_is_a_row_error(cell):
    (row,) = read_table(f'Email\n"{cell}"\n', COLUMNS)
    assert row.errors and "a spreadsheet formula, not a value" in row.errors[0]


def test_row_errors_for_missing_values_long_cells_and_extra_cells():
    rows = read_table("Email,Readiness\n,ready\n" + "a" * 1001 + ",x\na@b.org,x,extra\n", COLUMNS)
    assert rows[0].errors == ["Enter the email."]
    assert rows[1].errors == ["Email is longer than 1000 characters."]
    assert rows[2].errors == ["This row has more cells than the header row has columns."]


def test_a_preview_comes_back_only_as_signed():
    token = sign_preview("Email\na@example.org\n", salt="s")
    assert unsign_preview(token, salt="s") == "Email\na@example.org\n"
    with pytest.raises(ImportFileError, match="expired or was changed"):
        unsign_preview(token, salt="another import")
    with pytest.raises(ImportFileError):
        unsign_preview(token[:-2] + "xx", salt="s")
