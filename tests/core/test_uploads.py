import io
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
