"""Operator commands for a person who cannot sign in (issue 17): export their personal
data, erase their account; both found by email, both audit-logged with a reason."""

import json
import stat

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from talenthub.core.models import AuditLog, SignInEvent, User
from tests.events.factories import BookingFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return MemberFactory(email="l.nowak@trust.nhs.uk", full_name="Łucja Nowak-Śliwińska")


def test_export_writes_every_section_to_a_private_file_and_is_audited(person, tmp_path):
    output = tmp_path / "sar-118.json"
    call_command(
        "export_personal_data",
        "--email",
        "L.Nowak@Trust.NHS.uk",
        "--output",
        str(output),
        "--reason",
        "SAR 118, identity checked",
    )
    data = json.loads(output.read_text())
    assert data["sections"]["account"]["email"] == "l.nowak@trust.nhs.uk"
    assert data["sections"]["account"]["full_name"] == "Łucja Nowak-Śliwińska"
    assert {"account", "events", "equality_monitoring"} <= set(data["sections"])
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    entry = AuditLog.objects.get(action="personal_data.exported_by_operator")
    assert (entry.object_id, entry.reason) == (str(person.pk), "SAR 118, identity checked")


def test_export_finds_a_person_by_a_secondary_address(person, tmp_path):
    EmailAddress.objects.create(user=person, email="lucja@home.example", verified=True)
    output = tmp_path / "out.json"
    call_command(
        "export_personal_data",
        "--email",
        "lucja@home.example",
        "--output",
        str(output),
        "--reason",
        "SAR",
    )
    assert json.loads(output.read_text())["sections"]["account"]["email"] == person.email


def test_export_never_overwrites_a_file(person, tmp_path):
    output = tmp_path / "out.json"
    output.write_text("someone else's export")
    with pytest.raises(CommandError, match="exists"):
        call_command(
            "export_personal_data",
            "--email",
            person.email,
            "--output",
            str(output),
            "--reason",
            "SAR",
        )
    assert output.read_text() == "someone else's export"


@pytest.mark.parametrize("command", ["export_personal_data", "erase_person"])
def test_an_unknown_address_is_an_error(command, tmp_path):
    args = ["--email", "nobody@example.org", "--reason", "r"]
    if command == "export_personal_data":
        args += ["--output", str(tmp_path / "x.json")]
    with pytest.raises(CommandError, match="No account"):
        call_command(command, *args)


def test_erase_without_yes_changes_nothing(person):
    with pytest.raises(CommandError, match="--yes"):
        call_command("erase_person", "--email", person.email, "--reason", "Erasure request 57")
    person.refresh_from_db()
    assert person.is_active and person.email == "l.nowak@trust.nhs.uk"
    assert not AuditLog.objects.filter(action="account.erased").exists()


def test_erase_anonymises_keeps_the_records_and_is_audited(person, client):
    booking = BookingFactory(member=person)
    call_command("erase_person", "--email", person.email, "--reason", "Erasure request 57", "--yes")
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@invalid.invalid"
    assert person.full_name == "" and not person.is_active
    assert not person.has_usable_password()
    assert not User.objects.filter(email__iexact="l.nowak@trust.nhs.uk").exists()
    booking.refresh_from_db()  # the booking stays: the event's numbers do not change
    entry = AuditLog.objects.get(action="account.erased")
    assert (entry.object_id, entry.reason) == (str(person.pk), "Erasure request 57")
    assert "nowak" not in entry.object_repr.lower()
    assert SignInEvent.objects.filter(user=person, kind=SignInEvent.Kind.ACCOUNT_DELETED).exists()
    assert not client.login(email="l.nowak@trust.nhs.uk", password="correct-horse-battery-staple")
