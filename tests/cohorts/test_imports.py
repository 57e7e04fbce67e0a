"""Bulk import of a cohort's participants: preview, row errors, all or nothing, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Participant
from talenthub.core.models import AuditLog, OutboundEmail
from tests.cohorts.factories import CohortFactory, ParticipantFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _url(cohort):
    return reverse("cohorts:participant_import", args=[cohort.slug])


def _csv(*emails, header="Email") -> SimpleUploadedFile:
    text = "\r\n".join([header, *emails]) + "\r\n"
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def _preview(client, cohort, upload):
    return client.post(_url(cohort), {"file": upload})


def _confirm(client, cohort, preview_response):
    token = preview_response.context["form"].initial["preview"]
    return client.post(_url(cohort), {"preview": token, "confirm": "1"})


@pytest.fixture
def people(db):
    return [
        MemberFactory(full_name="Łucja Nowak-Śliwińska", email="lucja@example.org"),
        MemberFactory(full_name="Asha Patel", email="asha@example.org"),
    ]


def test_a_good_file_is_previewed_then_written(client, manager, cohort, people):
    client.force_login(manager)
    page = client.get(_url(cohort))
    assert page.status_code == 200 and "Import participants" in page.content.decode()
    response = _preview(client, cohort, _csv("LUCJA@example.org", "asha@example.org"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enrols Łucja Nowak-Śliwińska" in html and "Enrols Asha Patel" in html
    assert "Import 2 rows" in html
    assert not Participant.objects.exists()  # a dry run
    assert not OutboundEmail.objects.exists()
    response = _confirm(client, cohort, response)
    assert response.status_code == 302 and response["Location"] == reverse("cohorts:manage")
    enrolled = Participant.objects.filter(cohort=cohort)
    assert {p.user.email for p in enrolled} == {"lucja@example.org", "asha@example.org"}
    assert AuditLog.objects.filter(action="cohorts.participant_enrolled").count() == 2


def test_one_bad_row_and_nothing_is_written(client, manager, cohort, people):
    client.force_login(manager)
    response = _preview(
        client, cohort, _csv("lucja@example.org", "nobody@example.org", "not-an-email")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "govuk-error-summary" in html and "2 of 3 rows cannot be imported" in html
    assert "Row 3: No TalentHub account has the email address nobody@example.org" in html
    assert "Row 4: Enter a valid email address." in html
    assert "Import 3 rows" not in html  # no confirmation button
    assert not Participant.objects.exists()


def test_a_confirmation_rechecks_and_writes_nothing_if_a_row_is_now_wrong(
    client, manager, cohort, people
):
    """Between preview and confirmation someone took a place: the whole import is
    refused, the row that was still fine included."""
    client.force_login(manager)
    preview = _preview(client, cohort, _csv("lucja@example.org", "asha@example.org"))
    assert preview.status_code == 200
    ParticipantFactory(cohort=cohort, user=people[1])
    response = _confirm(client, cohort, preview)
    assert response.status_code == 422
    assert "Nothing was imported" in response.content.decode()
    assert "Asha Patel already has a place in this cohort." in response.content.decode()
    assert list(Participant.objects.values_list("user__email", flat=True)) == ["asha@example.org"]


def test_the_same_person_twice_and_a_full_cohort_are_row_errors(client, manager, cohort, people):
    third = MemberFactory(email="third@example.org")
    client.force_login(manager)
    html = _preview(client, cohort, _csv("lucja@example.org", "lucja@example.org")).content.decode()
    assert "Row 3: Łucja Nowak-Śliwińska already has a place in this cohort." in html
    # Capacity 2: the third person finds the cohort full.
    html = _preview(
        client, cohort, _csv("lucja@example.org", "asha@example.org", third.email)
    ).content.decode()
    assert "Row 4: The cohort is full: all 2 places are taken or offered." in html


def test_a_formula_in_the_file_is_a_row_error(client, manager, cohort):
    client.force_login(manager)
    html = _preview(client, cohort, _csv('"=HYPERLINK(""http://x"")"')).content.decode()
    assert "a spreadsheet formula, not a value" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "spreadsheet workbook, not a CSV"),
        (b"Email\nasha@example.org\x00\n", "NUL characters"),
        ("Email\nŁucja@example.org\n".encode("cp1250"), "not in UTF-8"),
        (b"Email\n" + b"a" * (600 * 1024), "larger than"),
        (b"Name\nAsha\n", "Unknown column"),
        (b"", "Choose a CSV file"),
    ],
)
def test_a_hostile_file_is_a_clear_error_never_a_500(client, manager, cohort, data, message):
    client.force_login(manager)
    upload = SimpleUploadedFile("people.csv", data) if data else None
    response = client.post(_url(cohort), {"file": upload} if upload else {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not Participant.objects.exists()


def test_a_tampered_preview_is_refused(client, manager, cohort, people):
    client.force_login(manager)
    response = client.post(_url(cohort), {"preview": "Email\nasha@example.org", "confirm": "1"})
    assert "The preview has expired or was changed" in response.content.decode()
    assert not Participant.objects.exists()


def test_only_the_provider_running_the_cohort_imports(
    client, member, manager, other_manager, cohort, people
):
    url = _url(cohort)
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(other_manager)  # a franchisee
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": _csv("asha@example.org")}).status_code == 404
    # A preview made for one cohort cannot be confirmed into another.
    client.force_login(manager)
    preview = _preview(client, cohort, _csv("asha@example.org"))
    mine_too = CohortFactory(version=cohort.version, provider=cohort.provider)
    token = preview.context["form"].initial["preview"]
    response = client.post(_url(mine_too), {"preview": token, "confirm": "1"})
    assert "The preview has expired or was changed" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_manage_page_links_to_the_import(client, manager, cohort, other_manager):
    client.force_login(manager)
    assert _url(cohort) in client.get(reverse("cohorts:manage")).content.decode()


def test_participant_enrol_refuses_a_cancelled_cohort(cohort, manager, people):
    cohort.status = "cancelled"
    cohort.save()
    with pytest.raises(CohortError, match="is cancelled: no one can be enrolled"):
        services.participant_enrol(cohort=cohort, user=people[0], actor=manager)
