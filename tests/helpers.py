"""Small helpers shared by the test suite."""

from contextlib import contextmanager

import pytest


@contextmanager
def raises_code(error_class, code: str, match: str | None = None):
    """``pytest.raises(error_class)`` that also checks the error's stable ``code`` (not its
    wording, which is for people and may change). ``match`` only where the message's
    content is itself what is tested (a count, a date, a name in it). Yields pytest's
    ``ExceptionInfo``."""
    with pytest.raises(error_class, match=match) as info:
        yield info
    assert info.value.code == code, f"expected code {code!r}, got {info.value!r}"


def assert_asks_and_stops(client, member, *, page_url, ask_url, stop_url, button, asked, alerts):
    """The "tell me when it opens" journey of a page, at request level: the signed-in
    ``member`` sees ``button`` on ``page_url``; POST ``ask_url`` shows ``asked`` and
    makes an alert (``alerts``, a queryset of them); POST ``stop_url`` removes it and
    shows the button again; a visitor's POST is sent to sign in and records nothing."""
    client.force_login(member)
    assert button in client.get(page_url).content.decode()
    assert asked in client.post(ask_url, follow=True).content.decode()
    assert alerts.filter(member=member).exists()
    assert button in client.post(stop_url, follow=True).content.decode()
    assert not alerts.exists()
    client.logout()
    response = client.post(ask_url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not alerts.exists()
