"""API test helpers: a client that sends a personal access token."""

import pytest
from django.test import Client

from api.services import api_token_create


def token_for(user, scope="bookings", **kwargs) -> str:
    """A new token of ``user``; returns its value."""
    kwargs.setdefault("expires_in_days", 30)
    _token, raw = api_token_create(user=user, name="Test", scope=scope, **kwargs)
    return raw


class ApiClient(Client):
    """A test client that sends ``Authorization: Bearer <token>`` (when it has one) and
    JSON bodies."""

    def __init__(self, raw: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.raw = raw

    def _headers(self, extra):
        if self.raw:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.raw}")
        return extra

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._headers(extra))

    def post(self, path, data=None, **extra):
        return super().post(
            path, data or {}, content_type="application/json", **self._headers(extra)
        )


@pytest.fixture
def api():
    """Anonymous."""
    return ApiClient()


@pytest.fixture
def as_user():
    """``as_user(user, scope="bookings")``: a client with a new token of ``user``."""

    def make(user, scope="bookings", **kwargs):
        return ApiClient(token_for(user, scope, **kwargs))

    return make
