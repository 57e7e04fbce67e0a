"""A one-page PDF certificate, written directly (PDF 1.4, the standard Helvetica fonts),
so no PDF library is needed."""

from django.utils.formats import date_format

from .models import Participant

PAGE_WIDTH, PAGE_HEIGHT = 842, 595  # A4 landscape, in points


def pdf_string(value: str) -> str:
    """A PDF string literal in WinAnsi (cp1252), with its special characters escaped."""
    raw = value.encode("cp1252", errors="replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _centred(value: str, y: int, size: int, bold: bool = False) -> str:
    # Helvetica averages about half an em per character: close enough to centre a line.
    width = len(value) * size * (0.55 if bold else 0.5)
    x = max((PAGE_WIDTH - width) / 2, 36)
    font = "F2" if bold else "F1"
    return f"BT /{font} {size} Tf {x:.1f} {y} Td {pdf_string(value)} Tj ET"


def certificate_pdf(participant: Participant) -> bytes:
    cohort = participant.cohort
    version = cohort.version
    lines = [
        _centred(cohort.provider.name, 500, 16),
        _centred("Certificate of completion", 440, 34, bold=True),
        _centred("This is to certify that", 385, 16),
        _centred(participant.user.get_full_name(), 340, 28, bold=True),
        _centred("has completed", 295, 16),
        _centred(f"{version.programme.title} ({version.name})", 255, 20, bold=True),
        _centred(cohort.name, 215, 14),
        _centred(f"Completed on {date_format(participant.completed_at, 'j F Y')}", 175, 14),
    ]
    border = "4 w 0.11 0.44 0.72 RG 30 30 782 535 re S 1 w 40 40 762 515 re S"
    content = (border + "\n0 0 0 rg\n" + "\n".join(lines)).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
        "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
        + b"\nendstream",
    ]  # fmt: skip
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(output)
