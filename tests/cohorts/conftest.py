import pytest

from tests.cohorts.factories import CohortFactory
from tests.factories import ManagerFactory, ProviderFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory


@pytest.fixture
def cohort(provider):
    """An open cohort of a programme owned and run by ``provider`` (WME)."""
    version = ProgrammeVersionFactory(
        programme=ProgrammeFactory(owner=provider, title="Aspire", slug="aspire"), name="Aspire 2.0"
    )
    return CohortFactory(version=version, provider=provider, capacity=2)


@pytest.fixture
def other_provider(db):
    return ProviderFactory(name="North West Employers")


@pytest.fixture
def other_manager(other_provider):
    """A programme manager at another provider (a franchisee)."""
    return ManagerFactory(profile__organisation=other_provider)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox's send tasks) so mail.outbox fills."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
