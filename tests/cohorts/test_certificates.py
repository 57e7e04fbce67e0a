"""Certificates: the PDF (Unicode names, fitting, title, language, tags, embedded font) and
the public verification page."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.certificates import (
    LINE_WIDTH_PT,
    NAME_MAX_PT,
    NAME_MIN_PT,
    _fonts_only_fetcher,
    certificate_pdf,
    formatted_code,
    name_font_size,
    text_width_em,
)
from cohorts.models import CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH
from tests.cohorts.factories import CompletedParticipantFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

POLISH = "Łucja Nowak-Śliwińska"
GREEK = "Αικατερίνη Παπαδοπούλου"
CYRILLIC = "Анастасия Кузнецова"
LONG_56 = "Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegels"
COMPLETED_AT = datetime.datetime(2025, 11, 26, 12, tzinfo=datetime.UTC)
LONG_120 = ("Wolfeschlegelsteinhausenbergerdorff " * 4)[:120]


def _pdf(participant) -> PdfReader:
    pdf = certificate_pdf(participant, verify_url="https://talenthub.example/certificates/X/")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return reader.pages[0].extract_text()


@pytest.mark.parametrize("name", [POLISH, GREEK, CYRILLIC])
def test_the_pdf_prints_the_name_as_written(cohort, name):
    """The standard PDF fonts (WinAnsi) turned these into "?ucja Nowak-?liwi?ska" and
    question marks; an embedded Unicode font keeps every letter."""
    reader = _pdf(CompletedParticipantFactory(cohort=cohort, user__full_name=name))
    assert name in _text(reader).splitlines()
    assert reader.metadata.title == f"Certificate of completion: {name}, Aspire"


def test_the_pdf_is_tagged_with_a_language_and_an_embedded_font(cohort):
    reader = _pdf(CompletedParticipantFactory(cohort=cohort, user__full_name=POLISH))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean object)
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not referenced
        names.add(str(descendant["/BaseFont"]).split("+", 1)[1])
    assert names == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_the_pdf_shows_the_programme_version_date_and_code(cohort):
    participant = CompletedParticipantFactory(cohort=cohort, completed_at=COMPLETED_AT)
    text = " ".join(_text(_pdf(participant)).split())
    assert "Aspire (Aspire 2.0)" in text
    assert "Completed on 26 November 2025" in text
    assert formatted_code(participant.certificate_code) in text
    assert "https://talenthub.example/certificates/X/" in text


def test_a_56_character_name_is_set_smaller_on_one_line(cohort):
    assert len(LONG_56) == 56
    size = name_font_size(LONG_56)
    assert NAME_MIN_PT < size < NAME_MAX_PT
    assert text_width_em(LONG_56) * size <= LINE_WIDTH_PT
    reader = _pdf(CompletedParticipantFactory(cohort=cohort, user__full_name=LONG_56))
    assert len(reader.pages) == 1
    assert LONG_56 in _text(reader).splitlines()  # whole, on one line


def test_a_120_character_name_stays_on_the_page(cohort):
    """Past the smallest size a name wraps (even a name without spaces) instead of
    running off the page or onto a second one."""
    assert len(LONG_120) == 120
    assert name_font_size(LONG_120) == NAME_MIN_PT
    reader = _pdf(CompletedParticipantFactory(cohort=cohort, user__full_name=LONG_120))
    assert len(reader.pages) == 1
    assert "".join(LONG_120.split()) in "".join(_text(reader).split())


def test_a_short_name_keeps_the_full_size():
    assert name_font_size("Asha Patel") == NAME_MAX_PT


def test_the_pdf_loads_nothing_but_its_fonts():
    fetcher = _fonts_only_fetcher()
    for url in ["file:///etc/passwd", "http://169.254.169.254/", "data:text/plain,x"]:
        with pytest.raises(ValueError, match="nothing but its fonts"):
            fetcher.fetch(url)


# Codes --------------------------------------------------------------------------------


def test_every_place_has_its_own_random_code(cohort):
    codes = {ParticipantFactory(cohort=cohort).certificate_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == CERTIFICATE_CODE_LENGTH
        assert set(code) <= set(CERTIFICATE_CODE_ALPHABET)


# The public verification page --------------------------------------------------------


def _verify_url(code: str) -> str:
    return reverse("certificate_verify", kwargs={"code": code})


def test_the_verification_page_confirms_the_certificate_and_nothing_more(
    client, cohort, django_assert_max_num_queries
):
    participant = CompletedParticipantFactory(
        cohort=cohort,
        user__full_name=POLISH,
        user__email="lucja.private@example.org",
        completed_at=COMPLETED_AT,
    )
    with django_assert_max_num_queries(3):
        response = client.get(_verify_url(participant.certificate_code))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for shown in [POLISH, "Aspire", "Aspire 2.0", "26 November 2025"]:
        assert shown in html
    assert "lucja.private@example.org" not in html
    organisation = participant.user.profile.organisation
    assert organisation is None or organisation.name not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_the_code_may_be_typed_in_lower_case_with_hyphens(client, cohort):
    participant = CompletedParticipantFactory(cohort=cohort, user__full_name="Asha Patel")
    typed = formatted_code(participant.certificate_code).lower()
    assert "Asha Patel" in client.get(_verify_url(typed)).content.decode()


def test_an_unknown_code_is_a_404(client, cohort):
    participant = CompletedParticipantFactory(cohort=cohort)
    wrong = participant.certificate_code[:-1] + (
        "2" if participant.certificate_code[-1] != "2" else "3"
    )
    for code in [wrong, "not-a-code", "x" * 200, "%00"]:
        assert client.get(_verify_url(code)).status_code == 404


def test_a_place_not_completed_has_no_certificate_to_confirm(client, cohort):
    participant = ParticipantFactory(cohort=cohort, user__full_name="Asha Patel")
    response = client.get(_verify_url(participant.certificate_code))
    assert response.status_code == 404
    assert "Asha Patel" not in response.content.decode()


def test_guessing_codes_is_rate_limited(client, cohort, settings):
    """After the allowed misses, every check from that address is refused, a right code
    too: trying many codes and then a known one must not tell which were misses."""
    settings.TALENTHUB = {**settings.TALENTHUB, "CERTIFICATE_CHECK_RATE_LIMIT": "3/h/ip"}
    participant = CompletedParticipantFactory(cohort=cohort)
    assert client.get(_verify_url(participant.certificate_code)).status_code == 200
    for n in range(3):
        assert client.get(_verify_url(f"WRONGCODE{n:011d}")).status_code == 404
    assert client.get(_verify_url("WRONGCODE99999999999")).status_code == 429
    assert client.get(_verify_url(participant.certificate_code)).status_code == 429


def test_the_certificate_page_gives_the_code_and_the_verification_address(client, cohort):
    participant = CompletedParticipantFactory(cohort=cohort)
    client.force_login(participant.user)
    html = client.get(reverse("cohorts:certificate", args=[cohort.slug])).content.decode()
    assert formatted_code(participant.certificate_code) in html
    assert "http://testserver" + _verify_url(participant.certificate_code) in html
