import io
import random
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talenthub.core.uploads import detect_document_kind


def zipped(*names, mimetype=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (zipped("[Content_Types].xml", "word/document.xml"), "docx"),
        (zipped("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (zipped("[Content_Types].xml", "ppt/presentation.xml"), "pptx"),
        (zipped("content.xml", mimetype="application/vnd.oasis.opendocument.text"), "odt"),
        (zipped("word/document.xml"), None),  # no [Content_Types].xml: not a real DOCX
        (zipped("anything.txt"), None),
        (b"MZ\x90\x00 an executable", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_kind_is_decided_by_content_not_name(content, kind):
    upload = SimpleUploadedFile("report.pdf", content)
    assert detect_document_kind(upload) == kind
    assert upload.tell() == 0


def test_text_only_when_allowed():
    text = SimpleUploadedFile("minutes.pdf", "Minutes of the steering group — 1 April".encode())
    assert detect_document_kind(text) is None
    assert detect_document_kind(text, allow_text=True) == "txt"
    binary = SimpleUploadedFile("x.txt", b"abc\x00def")
    assert detect_document_kind(binary, allow_text=True) is None


# Hostile ZIPs: every one is "not a document" (None), never an exception (a 500) -----------

ODT_TYPE = "application/vnd.oasis.opendocument.text"


def stored_zip(*entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def directory_entries(data: bytes):
    """Offsets of the central-directory headers of a ZIP."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        yield at
        at = data.find(b"PK\x01\x02", at + 1)


def patched(data: bytes, field_offset: int, fmt: str, value) -> bytes:
    """Every central-directory header's field at ``field_offset`` set to ``value``."""
    out = bytearray(data)
    for at in directory_entries(data):
        struct.pack_into(fmt, out, at + field_offset, value)
    return bytes(out)


ODT = stored_zip(("mimetype", ODT_TYPE), ("content.xml", "<x/>"), compression=zipfile.ZIP_STORED)
DOCX = stored_zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<d/>"))

HOSTILE_ZIPS = {
    "encrypted mimetype": patched(ODT, 8, "<H", 1),  # general-purpose flag: encrypted
    "unknown compression": patched(ODT, 10, "<H", 99),
    "docx needing zip version 14.3": patched(DOCX, 6, "<H", 0x8F),
    "odt needing zip version 14.3": patched(ODT, 6, "<H", 0x8F),
    "truncated": DOCX[: len(DOCX) - 30],
    "zip64 locator": (
        DOCX[: DOCX.rfind(b"PK\x05\x06")]
        + b"PK\x06\x07"
        + bytes(16)
        + DOCX[DOCX.rfind(b"PK\x05\x06") :]
    ),
}


@pytest.mark.parametrize("name", HOSTILE_ZIPS)
def test_hostile_zip_is_not_a_document(name):
    assert detect_document_kind(SimpleUploadedFile("x.docx", HOSTILE_ZIPS[name])) is None


def test_mimetype_zip_bomb_is_not_decompressed():
    """An ODT whose mimetype entry is 200 MB of zeros (195 KB compressed; 10 MB would be
    10 GB): only the first bytes are inflated."""
    bomb = stored_zip(("mimetype", ODT_TYPE.encode() + bytes(200_000_000)), ("content.xml", "x"))
    assert len(bomb) < 250_000
    tracemalloc.start()
    try:
        kind = detect_document_kind(SimpleUploadedFile("x.odt", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind is None
    assert peak < 2_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_zip_of_a_hundred_thousand_entries_is_not_opened():
    """zipfile makes an object of every central-directory entry on opening: 10 MB of tiny
    entries took ~70 MB. The directory's size is read from its end record first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<d/>")
        for i in range(100_000):
            archive.writestr(f"word/{i:x}", "")
    many = buffer.getvalue()
    assert len(many) < 10 * 1024 * 1024  # within the upload limit
    tracemalloc.start()
    try:
        kind = detect_document_kind(SimpleUploadedFile("x.docx", many))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind is None
    assert peak < 2_000_000, f"peak {peak / 1e6:.0f} MB"


def test_real_documents_with_a_comment_and_many_parts_are_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = b"Made by a presentation program, version 16.0"
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(2000):  # a deck with 2,000 images
            archive.writestr(f"ppt/media/image{i}.png", b"\x89PNG")
    assert detect_document_kind(SimpleUploadedFile("deck.pptx", buffer.getvalue())) == "pptx"


def test_mutated_documents_never_raise():
    """Thousands of seeded corruptions of an ODT, a DOCX and a PDF."""
    rng = random.Random(13)
    for _ in range(3000):
        data = bytearray(rng.choice([ODT, DOCX, b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"]))
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            del data[rng.randrange(len(data)) :]
        detect_document_kind(SimpleUploadedFile("x.docx", bytes(data)), allow_text=True)
