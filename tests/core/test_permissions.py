import pytest
from django.contrib.auth.models import AnonymousUser

from talenthub.core.permissions import is_programme_manager, user_provider
from tests.factories import ManagerFactory, MemberFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_manager_is_staff_of_a_provider(manager, provider):
    assert user_provider(manager) == provider
    assert is_programme_manager(manager)


def test_member_and_anonymous_are_not_managers(member):
    assert not is_programme_manager(member)
    assert not is_programme_manager(AnonymousUser())
    assert user_provider(AnonymousUser()) is None


def test_staff_of_a_non_provider_is_not_a_manager():
    manager = ManagerFactory()
    manager.profile.organisation.is_provider = False
    manager.profile.organisation.save()
    assert not is_programme_manager(manager)


def test_superuser_is_a_manager(admin_user):
    assert is_programme_manager(admin_user)


def test_each_manager_has_their_own_provider():
    other = ManagerFactory(profile__organisation=ProviderFactory(name="North West Employers"))
    assert user_provider(other).name == "North West Employers"
    assert not MemberFactory().profile.organisation.is_provider
