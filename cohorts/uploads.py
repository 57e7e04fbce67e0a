"""Checking a project report by its content, not its name.

The content is recognised by ``talenthub.core.uploads``; the extension must agree with what the
content is, so a disguised file (an executable or a spreadsheet renamed ``.pdf``, a
PowerPoint renamed ``.docx``) is refused.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from talenthub.core import uploads
from talenthub.core.uploads import detect_document_kind

ALLOWED_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "pptx": "pptx"}
CONTENT_TYPES = {kind: uploads.CONTENT_TYPES[kind] for kind in ALLOWED_EXTENSIONS.values()}


def max_upload_bytes() -> int:
    return settings.TALENTHUB["PROJECT_WORK_MAX_BYTES"]


def detect_report_type(upload) -> str:
    """Return "pdf", "docx" or "pptx" for a file whose content is one, or raise
    ValidationError with a message for the person uploading."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file must be smaller than %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The selected file is empty."))
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("The selected file must be a PDF, DOCX or PPTX."))
    detected = detect_document_kind(upload)
    if detected not in ALLOWED_EXTENSIONS.values():
        detected = None
    if detected is None:
        raise ValidationError(_("The selected file is not a real PDF, DOCX or PPTX document."))
    if detected != ALLOWED_EXTENSIONS[extension]:
        raise ValidationError(
            _("The selected file is named .%(ext)s but its content is %(actual)s.")
            % {"ext": extension, "actual": detected.upper()}
        )
    return detected
