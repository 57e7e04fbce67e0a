"""Validation of uploaded papers and minutes: the type is decided by the file's content
(never by its name or the browser's claim) and the size is capped."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from talenthub.core import uploads
from talenthub.core.uploads import detect_document_kind

# MIME type -> file extension of every kind a compact document may be.
EXTENSIONS = {mime: kind for kind, mime in uploads.CONTENT_TYPES.items()}
ALLOWED_DESCRIPTION = (
    "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text or plain text"
)


def max_upload_bytes() -> int:
    return int(settings.TALENTHUB.get("COMPACT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def detect_content_type(uploaded) -> str | None:
    """The MIME type of ``uploaded`` judged by its bytes, or None if not allowed."""
    kind = detect_document_kind(uploaded, allow_text=True)
    return uploads.CONTENT_TYPES[kind] if kind else None


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
