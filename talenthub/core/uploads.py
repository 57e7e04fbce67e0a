"""What an uploaded document really is, judged by its bytes (never by its name or the
browser's claim). Apps decide which types they accept and how large a file may be;
this module only recognises the content.

PDF starts with ``%PDF-``. Office Open XML files (DOCX, XLSX, PPTX) are ZIP archives with a
``[Content_Types].xml`` and a ``word/``, ``xl/`` or ``ppt/`` part; OpenDocument text is a ZIP
whose ``mimetype`` entry says so. Plain text is UTF-8 without NUL bytes.
"""

import zipfile

PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"
PPTX = "pptx"
ODT = "odt"
TEXT = "txt"

CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ODT: "application/vnd.oasis.opendocument.text",
    TEXT: "text/plain",
}

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.read("mimetype").strip() == CONTENT_TYPES[ODT].encode():
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in _OOXML_PARTS:
                if any(name.startswith(prefix) for name in names):
                    return kind
    except zipfile.BadZipFile:
        return None
    return None


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(sample) - 4
    return True


def detect_document_kind(upload, *, allow_text: bool = False) -> str | None:
    """The kind of document ``upload`` holds (one of the constants above), or None if it
    is none of them. The file position is left at the start."""
    try:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(upload)
        if allow_text:
            return TEXT if _is_text(upload.read(64 * 1024)) else None
        return None
    finally:
        upload.seek(0)
