"""What an uploaded document really is, judged by its bytes (never by its name or the
browser's claim). Apps decide which types they accept and how large a file may be;
this module only recognises the content.

PDF starts with ``%PDF-``. Office Open XML files (DOCX, XLSX, PPTX) are ZIP archives with a
``[Content_Types].xml`` and a ``word/``, ``xl/`` or ``ppt/`` part; OpenDocument text is a ZIP
whose ``mimetype`` entry says so. Plain text is UTF-8 without NUL bytes.
"""

import logging
import os
import struct
import zipfile

logger = logging.getLogger(__name__)

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

# A ZIP's central directory may be at most this size (a DOCX's is a few kilobytes; a deck
# with a thousand images about 100 KB): zipfile makes an object of every entry, so 10 MB
# of tiny entries took ~70 MB and over a second to open.
ZIP_DIRECTORY_MAX_BYTES = 1024 * 1024
# signature, disk numbers, entry counts, directory size and offset, comment length
_END_RECORD = struct.Struct("<4s4H2LH")
_END_RECORD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_MIMETYPE_READ_BYTES = 2 * len(CONTENT_TYPES[ODT])


def _zip_directory_fits(upload) -> bool:
    """Whether the ZIP's central directory (every entry's name and sizes, all of which
    ``zipfile`` parses into objects on opening) is small enough to open. Read from the
    end-of-directory record, as zipfile finds it; a ZIP64 record is refused outright (no
    document under the upload limits needs one, and its sizes would override these)."""
    upload.seek(0, os.SEEK_END)
    end = upload.tell()
    tail_length = min(end, _END_RECORD.size + 0xFFFF)  # the record and its longest comment
    upload.seek(end - tail_length)
    tail = upload.read(tail_length)
    at = tail.rfind(_END_RECORD_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return False
    if at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR_SIGNATURE:
        return False
    directory_size = _END_RECORD.unpack_from(tail, at)[5]
    return directory_size <= ZIP_DIRECTORY_MAX_BYTES


def _zip_kind(upload) -> str | None:
    if not _zip_directory_fits(upload):
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read no more than the longest declaration: the entry could be a
                # compressed gigabyte of zeros.
                with archive.open("mimetype") as entry:
                    declared = entry.read(_MIMETYPE_READ_BYTES)
                if declared.strip() == CONTENT_TYPES[ODT].encode():
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in _OOXML_PARTS:
                if any(name.startswith(prefix) for name in names):
                    return kind
    except Exception as exc:  # noqa: BLE001 - hostile bytes reach zipfile: BadZipFile,
        # but also EOFError, ValueError, RuntimeError (encrypted), NotImplementedError
        # (compression method, version), zlib.error: all mean "not a document".
        logger.info("Upload is not a readable ZIP: %s: %s", type(exc).__name__, exc)
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
