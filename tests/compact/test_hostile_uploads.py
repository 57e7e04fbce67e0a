"""Hostile files uploaded as a compact's papers: each gets the form's GOV.UK error
(never a 500) and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compact.models import Document
from tests.compact.test_views import login, url
from tests.core.test_uploads import HOSTILE_ZIPS

pytestmark = pytest.mark.django_db

# HTML or SVG is accepted here as plain text (papers may be .txt): stored as text/plain
# and downloaded as an attachment with nosniff, so it is never rendered.
HOSTILE = {**HOSTILE_ZIPS, "empty": b""}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_paper_gets_a_form_error(client, world, name):
    login(client, world.secretariat)
    response = client.post(
        url("document_list", world),
        {
            "title": "Review of the first year",
            "kind": "report",
            "visibility": "public",
            "file": SimpleUploadedFile("review.docx", HOSTILE[name]),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary' in html and 'href="#id_file"' in html
    assert not Document.objects.exists()
