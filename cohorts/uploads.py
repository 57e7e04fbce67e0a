"""Checking a project report by its content, not its name.

PDF files start with ``%PDF-``. DOCX and PPTX files are ZIP archives (``PK\\x03\\x04``)
holding a ``word/`` or ``ppt/`` part. The file's extension must agree with what the
content is, so a disguised file (an executable or a spreadsheet renamed ``.pdf``, a
PowerPoint renamed ``.docx``) is refused.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "pptx": "pptx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


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
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    detected = None
    if head.startswith(b"%PDF-"):
        detected = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        finally:
            upload.seek(0)
        if any(n.startswith("word/") for n in names):
            detected = "docx"
        elif any(n.startswith("ppt/") for n in names):
            detected = "pptx"
    if detected is None:
        raise ValidationError(_("The selected file is not a real PDF, DOCX or PPTX document."))
    if detected != ALLOWED_EXTENSIONS[extension]:
        raise ValidationError(
            _("The selected file is named .%(ext)s but its content is %(actual)s.")
            % {"ext": extension, "actual": detected.upper()}
        )
    return detected
