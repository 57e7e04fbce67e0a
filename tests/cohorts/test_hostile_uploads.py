"""Hostile files uploaded as project work: each gets the form's GOV.UK error (never a
500) and nothing is stored."""

import pytest
from django.urls import reverse

from cohorts.models import ProjectWork
from tests.cohorts.factories import ParticipantFactory, upload
from tests.core.test_uploads import HOSTILE_ZIPS

HOSTILE = {
    **HOSTILE_ZIPS,
    "empty": b"",
    "html named .docx": b"<!DOCTYPE html><script>alert(1)</script>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_report_gets_a_form_error(client, cohort, name):
    participant = ParticipantFactory(cohort=cohort)
    client.force_login(participant.user)
    response = client.post(
        reverse("cohorts:project_work", args=[cohort.slug]),
        {
            "title": "Workforce strategies",
            "summary": "Doing it well",
            "profession_map_area": "change",
            "report": upload("report.docx", HOSTILE[name]),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary' in html and 'href="#id_report"' in html
    assert not ProjectWork.objects.exists()
