"""Bulk import of talent-pool members: preview, row errors, all or nothing, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alumni.models import TalentPoolMember
from tests.alumni.factories import TalentPoolFactory, TalentPoolMemberFactory
from tests.factories import ManagerFactory, MemberFactory, ProviderFactory

pytestmark = pytest.mark.django_db

HEADER = "Email,Target level,Readiness,Home region,Skills"


def _csv(*rows) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("pool.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def pool(provider):
    return TalentPoolFactory(owner=provider, slug="deputy-directors", title="Aspirant DDs")


@pytest.fixture
def people(db):
    return [
        MemberFactory(full_name="Łucja Nowak-Śliwińska", email="lucja@example.org"),
        MemberFactory(full_name="Asha Patel", email="asha@example.org"),
    ]


def _url(pool):
    return reverse("alumni:pool_import", args=[pool.slug])


def test_a_good_file_is_previewed_then_written(client, manager, pool, people):
    client.force_login(manager)
    assert _url(pool) in client.get(reverse("alumni:pool", args=[pool.slug])).content.decode()
    upload = _csv(
        "lucja@example.org,4,Ready now,West Midlands,Workforce planning",
        "asha@example.org,3,one_to_two,london,",
    )
    preview = client.post(_url(pool), {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Adds Łucja Nowak-Śliwińska (Ready now)" in html
    assert "Adds Asha Patel (Ready in 1 to 2 years)" in html
    assert not TalentPoolMember.objects.exists()
    token = preview.context["form"].initial["preview"]
    response = client.post(_url(pool), {"preview": token, "confirm": "1"})
    assert response.status_code == 302
    lucja = TalentPoolMember.objects.get(user__email="lucja@example.org")
    assert (lucja.target_level, lucja.readiness, lucja.home_region) == (
        4,
        "ready_now",
        "west_midlands",
    )
    assert lucja.skills == "Workforce planning" and lucja.selected_by == manager
    assert TalentPoolMember.objects.get(user__email="asha@example.org").home_region == "london"


def test_one_bad_row_and_nothing_is_written(client, manager, pool, people):
    TalentPoolMemberFactory(pool=pool, user=people[1])
    client.force_login(manager)
    response = client.post(
        _url(pool),
        {
            "file": _csv(
                "lucja@example.org,4,Ready now,West Midlands,",
                "asha@example.org,4,Ready now,West Midlands,",
                "lucja@example.org,5,soon,Atlantis,",
            )
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Row 3: Asha Patel is already in Aspirant DDs." in html
    assert "Row 4: Target level “5” is not one of: 1, 2, 3, 4." in html
    assert TalentPoolMember.objects.count() == 1  # Asha's, from before


def test_only_the_pools_own_provider_imports(client, member, pool, people):
    url = _url(pool)
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(ManagerFactory(profile__organisation=ProviderFactory()))
    assert client.get(url).status_code == 404
    response = client.post(url, {"file": _csv("asha@example.org,4,Ready now,London,")})
    assert response.status_code == 404
    assert not TalentPoolMember.objects.exists()


def test_a_workbook_is_refused_with_a_reason(client, manager, pool):
    client.force_login(manager)
    upload = SimpleUploadedFile("pool.xlsx", b"PK\x03\x04" + b"\x00" * 64)
    response = client.post(_url(pool), {"file": upload})
    assert response.status_code == 200
    assert "spreadsheet workbook, not a CSV" in response.content.decode()
