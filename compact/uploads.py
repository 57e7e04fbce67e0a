"""Validation of uploaded papers and minutes: the type is decided by the file's content
(never by its name or the browser's claim) and the size is capped."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx", ODT: "odt", TEXT: "txt"}
ALLOWED_DESCRIPTION = (
    "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text or plain text"
)


def max_upload_bytes() -> int:
    return int(settings.TALENTHUB.get("COMPACT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _zip_type(head: bytes, uploaded) -> str | None:
    uploaded.seek(0)
    data = uploaded.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except zipfile.BadZipFile:
        return None
    return None


def detect_content_type(uploaded) -> str | None:
    """The document type of ``uploaded`` judged by its bytes, or None if not allowed."""
    uploaded.seek(0)
    head = uploaded.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(head, uploaded)
    uploaded.seek(0)
    sample = uploaded.read(64 * 1024)
    if b"\x00" in sample:
        return None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(sample) - 4:
            return None
    return TEXT


def validate_document(uploaded) -> str:
    """Raise ValidationError unless ``uploaded`` is an allowed document within the size
    limit; return its content type."""
    size = uploaded.size
    if not size:
        raise ValidationError(_("The selected file is empty."), code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="too_big",
        )
    content_type = detect_content_type(uploaded)
    uploaded.seek(0)
    if content_type is None:
        raise ValidationError(
            _("The selected file must be a %(types)s.") % {"types": ALLOWED_DESCRIPTION},
            code="type",
        )
    return content_type
