"""A completer's certificate as a one-page, tagged PDF (PDF/UA-1), made by WeasyPrint from
the HTML template ``cohorts/certificate_pdf.html``.

- The text is set in DejaVu Sans, vendored in ``static/fonts`` (with its licence) and
  embedded in the file, so Polish, Greek, Cyrillic and other Latin-Extended names print as
  written (the standard PDF fonts cover Windows-1252 only).
- A long name is set smaller so that it stays on one line of the page (``name_font_size``,
  measured with the font's own advance widths), down to a floor below which it wraps.
- The PDF has a title and a language (``<title>``, ``<html lang>``) and a structure tree.
- WeasyPrint fetches nothing but the vendored fonts: the template only holds escaped text,
  and ``_fonts_only_fetcher`` refuses any other address.
"""

import math
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import CERTIFICATE_CODE_LENGTH, Participant
from .selectors import cpd_hours_of

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
NAME_FONT = FONTS_DIR / "DejaVuSans-Bold.ttf"

# A4 landscape less 18 mm margins, a 4 px border and 12 mm of padding each side (the
# template's @page and main): the width, in points, of a line of the certificate; a name is
# sized to 97% of it, a margin for what the measure leaves out.
LINE_WIDTH_PT = ((297 - 2 * 18 - 2 * 12) * 72 / 25.4 - 2 * 3) * 0.97
NAME_MAX_PT = 28.0
NAME_MIN_PT = 11.0


@cache
def _name_font_metrics() -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 (WeasyPrint's dependency; lazy)

    font = TTFont(NAME_FONT, lazy=True)
    advances = {glyph: width for glyph, (width, _lsb) in font["hmtx"].metrics.items()}
    return font.getBestCmap(), advances, font["head"].unitsPerEm


def text_width_em(text: str) -> float:
    """The width of ``text`` set in the name's font, in ems (kerning ignored: it only ever
    narrows a line). A character the font lacks counts as a wide one."""
    cmap, advances, units_per_em = _name_font_metrics()
    widest = max(advances.values())
    return sum(advances.get(cmap.get(ord(char), ""), widest) for char in text) / units_per_em


def name_font_size(name: str) -> float:
    """The largest size (points, at most ``NAME_MAX_PT``) at which ``name`` fits the width
    of the certificate, but not below ``NAME_MIN_PT``: a name that does not fit even then
    (well over a hundred characters) wraps onto a second line instead of shrinking further."""
    width = text_width_em(name)
    if width == 0:
        return NAME_MAX_PT
    fitting = math.floor(LINE_WIDTH_PT / width * 10) / 10  # rounded down: it must fit
    return max(NAME_MIN_PT, min(NAME_MAX_PT, fitting))


def formatted_code(code: str) -> str:
    """``ABCDE-FGHJK-…``: a code in groups of five, easier to read out and type."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalised_code(text: str) -> str | None:
    """A code as typed (any case, with or without hyphens and spaces) as stored, or None
    when it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    return code if len(code) == CERTIFICATE_CODE_LENGTH and code.isalnum() else None


def verification_url(request, participant: Participant) -> str:
    return request.build_absolute_uri(
        reverse("certificate_verify", kwargs={"code": participant.certificate_code})
    )


def _fonts_only_fetcher():
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(FONTS_DIR.as_uri() + "/"):
                raise ValueError(f"A certificate loads nothing but its fonts, not {url}")
            return super().fetch(url, headers)

    # A new one per PDF: a fetcher keeps the request it is opening on itself.
    return FontsOnlyFetcher(allowed_protocols=["file"], fail_on_errors=True)


def certificate_html(participant: Participant, *, verify_url: str) -> str:
    name = participant.user.get_full_name()
    return render_to_string(
        "cohorts/certificate_pdf.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "name": name,
            "name_size": name_font_size(name),
            "fonts": FONTS_DIR.as_uri(),
            "code": formatted_code(participant.certificate_code),
            "verify_url": verify_url,
            "cpd_hours": cpd_hours_of(participant),
        },
    )


def certificate_pdf(participant: Participant, *, verify_url: str) -> bytes:
    """The certificate of a completed place as PDF/UA-1 bytes."""
    from weasyprint import HTML  # noqa: PLC0415 (loads Pango: only when a PDF is made)

    html = certificate_html(participant, verify_url=verify_url)
    return HTML(string=html, url_fetcher=_fonts_only_fetcher()).write_pdf(pdf_variant="pdf/ua-1")
