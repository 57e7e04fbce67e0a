import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories hash a password per member; these tests make hundreds of members."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
