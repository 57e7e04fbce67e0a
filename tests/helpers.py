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
