"""Bulk import from a CSV file: read it defensively, check every row through the same
service the admin and the pages use, and write all rows or none.

- ``read_table`` turns an upload into a header and rows, or raises ``ImportFileError``
  with a message for the person: too large, not a CSV (a workbook, NUL bytes), not UTF-8,
  too many rows, missing or unknown columns. Nothing in a file can cause a 500.
- ``run_import`` runs ``spec.apply`` for each row inside one transaction, each row in a
  savepoint so that one row's refusal is recorded and the next row is still tried. A dry
  run (``commit=False``) and any run with a refused row are rolled back entirely: the
  preview shows exactly what the real import would do, and a real import with a bad row
  (the data changed since the preview) writes nothing. Emails and other after-commit
  work queued by the services are dropped with the rollback.
- A cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``) is refused:
  it is not a name, an email address or a date, and storing it would hand the formula to
  the next person who exports the list.

An import spec (one per kind of list) names its columns and implements ``apply``.
"""

from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .spreadsheets import UTF8_BOM, is_formula_like

MAX_IMPORT_BYTES = 512 * 1024
MAX_IMPORT_ROWS = 1000
MAX_CELL_CHARS = 1000
PREVIEW_MAX_AGE = 60 * 60  # seconds a previewed file may wait for its confirmation


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``message`` says why, for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    help: str = ""


@dataclass
class ImportRow:
    line: int  # in the file, the header being line 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    outcome: str = ""  # what the row does, e.g. "Enrols Asha Patel"


@dataclass
class ImportResult:
    rows: list[ImportRow]
    written: bool = False

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_count


class ImportSpec(ABC):
    """One kind of import. ``apply`` makes one row's change through a service and returns
    what it did ("Enrols Asha Patel"); it raises the app's ``DomainError`` (or a
    ``ValidationError``) to refuse the row."""

    columns: list[Column] = []

    @abstractmethod
    def apply(self, values: dict[str, str], *, target, actor) -> str:
        """One row's change, through the service the pages use."""


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is a spreadsheet workbook, not a CSV file. In your spreadsheet, save it as "
              "“CSV UTF-8 (comma delimited)” and choose that file.")
        )  # fmt: skip
    if b"\x00" in data:
        raise ImportFileError(
            _("The file contains NUL characters, so it is not a CSV text file. Save it as "
              "“CSV UTF-8 (comma delimited)” and choose that file.")
        )  # fmt: skip
    try:
        return data.decode("utf-8").removeprefix(UTF8_BOM)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8, so accented names would be garbled. Save it as "
              "“CSV UTF-8 (comma delimited)” and choose that file.")
        ) from None  # fmt: skip


def read_upload(upload) -> str:
    """The text of an uploaded CSV file, or ``ImportFileError``. Reads at most one byte
    past the limit, whatever size the upload claims."""
    if upload is None:
        raise ImportFileError(_("Choose a CSV file."))
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is larger than %(max)s. Split it into smaller files.")
            % {"max": filesizeformat(MAX_IMPORT_BYTES)}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    return _decode(data)


def _header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def read_table(text: str, columns: list[Column]) -> list[ImportRow]:
    """The rows of ``text`` (a CSV with a header row naming ``columns``, in any order and
    case), blank rows skipped; ``ImportFileError`` if it cannot be one."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ImportFileError(
            _("The file could not be read as CSV (%(problem)s). Check it was saved as CSV.")
            % {"problem": exc}
        ) from None
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    known = {_header_key(c.name): c.name for c in columns}
    header = [_header_key(cell) for cell in records[0]]
    unknown = [cell for cell, key in zip(records[0], header, strict=True) if key not in known]
    if unknown:
        raise ImportFileError(
            _("Unknown column “%(name)s”. The columns are: %(columns)s.")
            % {"name": unknown[0][:50], "columns": ", ".join(c.name for c in columns)}
        )
    if len(set(header)) != len(header):
        raise ImportFileError(_("A column appears twice in the header row."))
    missing = [c.name for c in columns if c.required and _header_key(c.name) not in header]
    if missing:
        raise ImportFileError(
            _("The header row has no “%(name)s” column. The columns are: %(columns)s.")
            % {"name": missing[0], "columns": ", ".join(c.name for c in columns)}
        )
    if len(records) - 1 > MAX_IMPORT_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_IMPORT_ROWS}
        )
    if len(records) == 1:
        raise ImportFileError(_("The file has a header row but no rows to import."))
    names = [known[key] for key in header]
    rows = []
    for line, record in enumerate(records[1:], start=2):
        row = ImportRow(line=line, values={c.name: "" for c in columns})
        if len(record) > len(names):
            row.errors.append(_("This row has more cells than the header row has columns."))
        for name, cell in zip(names, record, strict=False):
            cell = cell.strip()
            if len(cell) > MAX_CELL_CHARS:
                row.errors.append(
                    _("%(column)s is longer than %(max)s characters.")
                    % {"column": name, "max": MAX_CELL_CHARS}
                )
                cell = cell[:MAX_CELL_CHARS]
            elif is_formula_like(cell):
                row.errors.append(
                    _("%(column)s starts with “%(char)s”: a spreadsheet formula, not a value.")
                    % {"column": name, "char": cell[0].strip() or _("a tab")}
                )
            row.values[name] = cell
        for column in columns:
            if column.required and not row.values[column.name]:
                row.errors.append(_("Enter the %(column)s.") % {"column": column.name.lower()})
        rows.append(row)
    return rows


def user_by_email(email: str, error_class):
    """The account with this email address (any case), or ``error_class``: imports
    enrol or select people who already have an account, never create one."""
    validate_email(email)
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise error_class(
            _("No TalentHub account has the email address %(email)s: ask them to sign up "
              "first.") % {"email": email}
        )  # fmt: skip
    return user


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


def run_import(spec: ImportSpec, text: str, *, target, actor, commit: bool) -> ImportResult:
    """Check (``commit=False``) or make the import of ``text`` into ``target``. Every row
    goes through ``spec.apply`` in one transaction; unless ``commit`` is set and every row
    was accepted, the transaction is rolled back and nothing is written. Raises
    ``ImportFileError`` if the file cannot be read at all."""
    rows = read_table(text, spec.columns)
    refusals = (DomainError, ValidationError)
    with transaction.atomic():
        for row in rows:
            if row.errors:
                continue
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves no trace
                    row.outcome = spec.apply(row.values, target=target, actor=actor)
            except refusals as exc:
                row.errors.append(_message(exc))
        result = ImportResult(rows=rows)
        if commit and result.ok:
            result.written = True
        else:
            transaction.set_rollback(True)
    return result


def sign_preview(text: str, *, salt: str) -> str:
    """The previewed file, signed, for the confirmation form to send back."""
    return signing.dumps(text, salt=salt, compress=True)


def unsign_preview(token: str, *, salt: str) -> str:
    try:
        return signing.loads(token, salt=salt, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        raise ImportFileError(
            _("The preview has expired or was changed. Choose the file again.")
        ) from None
