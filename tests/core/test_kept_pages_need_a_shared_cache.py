"""Pages and parts of pages are kept only in a cache every worker shares (issue 16 review).

In a cache of each process's own (no Redis, or the fail-open Redis cache answering from
the process while Redis is down) a save seen by one gunicorn worker bumps only that
worker's data version: the others would go on showing the old page, a member's old
profile form or a profile just hidden from the directory, until it expired."""

import json

import pytest

from talenthub.core import page_cache
from talenthub.core.cache import FailOpenRedisCache
from tests.ops.processes import django_process_ok

PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.TALENTHUB["PUBLIC_PAGE_CACHE_SECONDS"]))
"""

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}


def _seconds(**environ) -> int:
    out = django_process_ok("-c", PROBE, **{**PRODUCTION, **environ}).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_nothing_is_kept_by_default_without_a_shared_cache():
    assert _seconds(REDIS_URL=None, PUBLIC_PAGE_CACHE_SECONDS=None) == 0
    assert _seconds(REDIS_URL="redis://127.0.0.1:6379/15", PUBLIC_PAGE_CACHE_SECONDS=None) == 60
    # An operator may still choose (one worker, say).
    assert _seconds(REDIS_URL=None, PUBLIC_PAGE_CACHE_SECONDS="30") == 30


def _keeper(cache, monkeypatch, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    monkeypatch.setattr(page_cache, "cache", cache)
    rendered = []

    def render():
        rendered.append(1)
        return f"<p>render {len(rendered)}</p>"

    return rendered, render


def test_nothing_is_kept_or_served_while_redis_is_down(rf, monkeypatch, settings):
    """Port 1 refuses: every call fails over to the process's cache, so each request
    renders afresh (kept, the second would be the first's copy)."""
    down = FailOpenRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    rendered, render = _keeper(down, monkeypatch, settings)
    request = rf.get("/alumni/")
    first = page_cache.kept_fragment("t", request, vary_on=(), render=render)
    second = page_cache.kept_fragment("t", request, vary_on=(), render=render)
    assert (first, second) == ("<p>render 1</p>", "<p>render 2</p>")
    assert down.answering_locally


@pytest.mark.redis
def test_a_reachable_redis_keeps_the_part(rf, monkeypatch, settings):
    """The control: the same calls through a Redis that answers keep the first render."""
    up = FailOpenRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "kept-shared-test"})
    up.delete(page_cache.VERSION_KEY)
    rendered, render = _keeper(up, monkeypatch, settings)
    request = rf.get("/alumni/?kept-shared-test")
    first = page_cache.kept_fragment("t", request, vary_on=(), render=render)
    second = page_cache.kept_fragment("t", request, vary_on=(), render=render)
    assert (first, second) == ("<p>render 1</p>", "<p>render 1</p>")
    assert not up.answering_locally
