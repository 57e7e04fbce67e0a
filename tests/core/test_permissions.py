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


# Read once per user object (issue 21: /cohorts/manage/ asked for the groups four times) ----


def test_a_user_s_groups_and_provider_are_read_once_per_user_object(
    manager, provider, django_assert_num_queries
):
    from talenthub.core.models import User

    fresh = User.objects.get(pk=manager.pk)  # as each request loads it
    with django_assert_num_queries(2):  # the groups; the profile with its organisation
        for _ in range(4):
            assert is_programme_manager(fresh)
            assert user_provider(fresh) == provider


def test_groups_changed_through_the_user_are_seen_at_once(manager):
    from django.contrib.auth.models import Group

    from talenthub.core.permissions import PROGRAMME_MANAGERS

    assert is_programme_manager(manager)
    manager.groups.remove(Group.objects.get(name=PROGRAMME_MANAGERS))
    assert not is_programme_manager(manager)
    manager.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS))
    assert is_programme_manager(manager)
    manager.groups.clear()
    assert not is_programme_manager(manager)


def test_a_user_without_a_profile_has_no_provider(django_assert_num_queries):
    from talenthub.core.models import Profile, User

    user = MemberFactory(is_staff=True)
    Profile.objects.filter(user=user).delete()
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user_provider(user) is None
        assert user_provider(user) is None
    assert not is_programme_manager(user)
    assert not hasattr(user, "profile")  # as Django answers for a missing one-to-one


def test_provider_scoped_is_the_managers_own_rows_all_for_a_superuser_none_else(
    manager, provider, member, admin_user
):
    from cohorts.models import Cohort
    from talenthub.core.permissions import provider_scoped
    from tests.cohorts.factories import CohortFactory
    from tests.programmes.factories import ProgrammeVersionFactory

    other = ProviderFactory()
    version = ProgrammeVersionFactory(programme__owner=provider)
    own = CohortFactory(version=version, provider=provider)
    franchised = CohortFactory(version=version, provider=other)  # of a programme it owns
    elsewhere = CohortFactory(provider=other)
    cohorts = Cohort.objects.all()
    assert set(provider_scoped(cohorts, manager, "provider")) == {own}
    assert set(provider_scoped(cohorts, admin_user, "provider")) == {own, franchised, elsewhere}
    assert not provider_scoped(cohorts, member, "provider").exists()
    assert not provider_scoped(cohorts, AnonymousUser(), "provider").exists()
    # Several paths: a row is the manager's when any of them leads to their provider.
    scoped = provider_scoped(cohorts, manager, "provider", "version__programme__owner")
    assert set(scoped) == {own, franchised}
