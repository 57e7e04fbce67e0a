"""Bulk import of charter signatories: preview, row errors, all or nothing, and only into
the secretariat's own compact."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.models import CharterSignatory
from talenthub.core.choices import Sector
from tests.compact.factories import CharterFactory
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "Organisation,Signatory name,Joined on,Senior representative email,Renewal due on"


def _url(charter):
    return reverse("admin:compact_charterversion_import_signatories", args=[charter.pk])


def _csv(*rows) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("signatories.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def organisations(db):
    OrganisationFactory(name="Derbyshire Fire & Rescue Service", sector=Sector.FIRE_SERVICE)
    OrganisationFactory(name="Chesterfield Royal Hospital", sector=Sector.HEALTH_AND_BLOOD)
    OrganisationFactory(name="Acme Widgets Ltd", sector=Sector.OTHER)
    MemberFactory(full_name="Łucja Nowak-Śliwińska", email="lucja@derbys-fire.gov.uk")


def test_a_good_file_is_previewed_then_written(client, world, secretariat_staff, organisations):
    client.force_login(secretariat_staff)
    change = client.get(reverse("admin:compact_charterversion_change", args=[world.charter.pk]))
    assert _url(world.charter) in change.content.decode()
    joined = world.charter.starts_on
    preview = client.post(
        _url(world.charter),
        {
            "file": _csv(
                f"derbyshire fire & rescue service,Chief Fire Officer,{joined:%d/%m/%Y},"
                "LUCJA@derbys-fire.gov.uk,",
                f"Chesterfield Royal Hospital,Chief Executive,{joined:%Y-%m-%d},"
                f"lucja@derbys-fire.gov.uk,{world.charter.ends_on:%Y-%m-%d}",
            )
        },
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Signs for Derbyshire Fire &amp; Rescue Service" in html
    assert CharterSignatory.objects.count() == 1  # the world's council only
    token = preview.context["form"].initial["preview"]
    response = client.post(_url(world.charter), {"preview": token, "confirm": "1"})
    assert response.status_code == 302
    fire = CharterSignatory.objects.get(organisation__name="Derbyshire Fire & Rescue Service")
    assert fire.senior_representative.email == "lucja@derbys-fire.gov.uk"
    assert fire.joined_on == joined and fire.charter == world.charter
    assert CharterSignatory.objects.count() == 3


def test_one_bad_row_and_nothing_is_written(client, world, secretariat_staff, organisations):
    client.force_login(secretariat_staff)
    joined = world.charter.starts_on
    response = client.post(
        _url(world.charter),
        {
            "file": _csv(
                f"Chesterfield Royal Hospital,Chief Executive,{joined},lucja@derbys-fire.gov.uk,",
                f"Acme Widgets Ltd,Director,{joined},lucja@derbys-fire.gov.uk,",
                f"Derby City Council,Leader,{joined},lucja@derbys-fire.gov.uk,",
                "Nowhere Trust,Chair,next week,lucja@derbys-fire.gov.uk,",
                f"Derbyshire Fire & Rescue Service,Chief,{joined},lucja@derbys-fire.gov.uk,"
                f"{joined}",
            )
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "4 of 5 rows cannot be imported" in html
    assert "Row 3: Acme Widgets Ltd is not in one of the public-sector categories" in html
    assert "Row 4: " in html  # Derby City Council signed this charter already
    assert "Row 5: No organisation is called “Nowhere Trust”." in html
    assert "Row 6: Membership runs for at least 12 months" in html
    assert CharterSignatory.objects.count() == 1


def test_only_the_compacts_own_secretariat_imports(client, world, secretariat_staff, manager):
    theirs = CharterFactory(compact=world.other)
    client.force_login(secretariat_staff)
    assert client.get(_url(theirs)).status_code == 404
    upload = _csv(f"Derby City Council,Leader,{theirs.starts_on},{world.secretariat.email},")
    assert client.post(_url(theirs), {"file": upload}).status_code == 404
    assert not CharterSignatory.objects.filter(charter=theirs).exists()
    client.force_login(world.outsider)
    assert client.get(_url(world.charter)).status_code == 302  # not staff: the admin's sign-in
    client.force_login(manager)  # staff, but without the compact's permissions
    assert client.get(_url(world.charter)).status_code == 403


def test_a_hostile_file_is_a_clear_error(client, world, secretariat_staff):
    client.force_login(secretariat_staff)
    for data, message in [
        (b"Organisation\x00,x\n", "NUL characters"),
        ("Organisation\nŁódź\n".encode("cp1250"), "not in UTF-8"),
        (b'Organisation,Signatory name,Joined on,Senior representative email\n"=1+1",a,b,c\n',
         "a spreadsheet formula, not a value"),
    ]:  # fmt: skip
        upload = SimpleUploadedFile("s.csv", data)
        response = client.post(_url(world.charter), {"file": upload})
        assert response.status_code in {200, 422}
        assert message in response.content.decode()
    assert CharterSignatory.objects.count() == 1
