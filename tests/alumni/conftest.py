import pytest

from tests.alumni.factories import make_alumnus


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alumnus(db):
    return make_alumnus(full_name="Priya Shah")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox's send tasks) so mail.outbox fills."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
