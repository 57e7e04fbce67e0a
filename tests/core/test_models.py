import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from talenthub.core.choices import Sector
from talenthub.core.models import Profile, User
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_unique_whatever_its_case():
    UserFactory(email="Priya@Example.com")
    with pytest.raises(IntegrityError):
        User.objects.create(email="priya@example.com")


def test_create_user_normalises_email_and_superuser_is_staff():
    user = User.objects.create_user("Tom@Example.COM", "pw")
    assert user.email == "tom@example.com"
    admin = User.objects.create_superuser("boss@example.com", "pw")
    assert admin.is_staff and admin.is_superuser


def test_profile_career_level_is_one_to_four_in_the_database():
    member = MemberFactory()
    with pytest.raises(IntegrityError):
        Profile.objects.filter(pk=member.profile.pk).update(career_level=5)


def test_profile_career_level_validation_message():
    member = MemberFactory()
    member.profile.career_level = 7
    with pytest.raises(ValidationError) as exc:
        member.profile.full_clean()
    assert "career_level" in exc.value.message_dict


def test_sixteen_public_sector_categories():
    public = Sector.public_sector()
    assert len(public) == 16
    assert Sector.VOLUNTARY_AND_COMMUNITY not in public
    assert Sector.labels[0] == "Social Care"
