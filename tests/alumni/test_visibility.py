"""The visibility guarantee: every listing, search, count, page, photo and export of
alumni profiles goes through one selector, and a hidden profile appears in none of them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alumni import selectors, services
from alumni.models import AlumniProfile
from tests.alumni.factories import AlumniProfileFactory, CareerEntryFactory, make_alumnus
from tests.cohorts.factories import EndedCohortFactory

pytestmark = pytest.mark.django_db

V = AlumniProfile.Visibility


def png_upload(size=(900, 600), name="me.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 112, 184)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def profiles(manager):
    """One profile of each visibility, of alumni of a cohort the ``manager``'s provider
    ran (so all three are theirs to export, but for the visibility rule)."""
    cohort = EndedCohortFactory(provider=manager.profile.organisation)
    return {
        v: AlumniProfileFactory(
            user=make_alumnus(cohort=cohort, full_name=f"Zed {v.label.split()[0]}"),
            headline=f"Zed {v}",
            visibility=v,
        )
        for v in V
    }


def test_member_sees_members_only_profiles(member, profiles):
    visible = set(selectors.directory_profiles(member))
    assert visible == {profiles[V.MEMBERS]}


def test_alumnus_sees_members_and_alumni_profiles(alumnus, profiles):
    visible = set(selectors.directory_profiles(alumnus))
    assert visible == {profiles[V.MEMBERS], profiles[V.ALUMNI]}


def test_anonymous_sees_nobody(profiles):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.directory_profiles(AnonymousUser()).exists()


def test_hidden_owner_does_not_list_themselves(profiles):
    owner = profiles[V.HIDDEN].user
    assert profiles[V.HIDDEN] not in selectors.directory_profiles(owner)


def test_profile_of_someone_no_longer_an_alumnus_is_not_listed(member, profiles):
    profile = profiles[V.MEMBERS]
    profile.user.cohort_participations.update(status="withdrawn")
    assert not selectors.directory_profiles(member).filter(pk=profile.pk).exists()


def test_inactive_account_is_not_listed(member, profiles):
    profile = profiles[V.MEMBERS]
    profile.user.is_active = False
    profile.user.save()
    assert not selectors.directory_profiles(member).exists()


def test_hidden_profile_never_appears_anywhere(client, alumnus, manager, profiles):
    """Directory, search, counts, profile page, photo, career updates and CSV export."""
    hidden = profiles[V.HIDDEN]
    services.alumni_profile_save(
        user=hidden.user, headline=hidden.headline, visibility=V.HIDDEN, photo=png_upload()
    )
    CareerEntryFactory(
        user=hidden.user, role="Director of People", announced_at="2025-01-01T00:00Z"
    )
    for viewer in (alumnus, manager):
        client.force_login(viewer)
        page = client.get(reverse("alumni:index"))
        assert "Zed Nobody" not in page.content.decode()
        assert hidden not in page.context["profiles"]
        assert "Director of People" not in page.content.decode()
        search = client.get(reverse("alumni:index"), {"q": "Zed"})
        expected = 2 if viewer == alumnus else 1
        assert search.context["paginator"].count == expected
        assert f"{expected} alumn" in search.content.decode()
        assert client.get(reverse("alumni:profile", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("alumni:photo", args=[hidden.pk])).status_code == 404
    client.force_login(manager)
    export = client.get(reverse("alumni:export"), {"q": "Zed"})
    assert export.status_code == 200
    body = export.content.decode()
    assert "Zed All" in body
    assert "Zed Nobody" not in body and "Zed Alumni" not in body


def test_alumni_only_profile_hidden_from_non_alumni_pages(client, member, profiles):
    client.force_login(member)
    only_alumni = profiles[V.ALUMNI]
    assert client.get(reverse("alumni:profile", args=[only_alumni.pk])).status_code == 404
    page = client.get(reverse("alumni:index"))
    assert page.context["paginator"].count == 1


def test_owner_can_see_their_own_photo_even_when_hidden(client):
    owner = make_alumnus()
    profile = services.alumni_profile_save(
        user=owner, headline="x", visibility=V.HIDDEN, photo=png_upload()
    )
    client.force_login(owner)
    response = client.get(reverse("alumni:photo", args=[profile.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
