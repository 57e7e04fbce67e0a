"""Fixtures every test can use, and the rule that service-dependent tests never skip in CI.

Tests that need PostgreSQL are marked ``postgres``; tests that need a real Redis are
marked ``redis``. Elsewhere they are skipped with a reason. With
``TALENTHUB_REQUIRE_SERVICES=1`` (set by ``.ci/run``) a test that would be skipped for a
missing service fails instead, so CI can never pass without running them.
"""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection, models

REQUIRE_SERVICES = os.environ.get("TALENTHUB_REQUIRE_SERVICES") == "1"


def _skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, but TALENTHUB_REQUIRE_SERVICES=1 says it must run here")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not settings.REDIS_URL:
        _skip_or_fail("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process during tests, even when REDIS_URL is set (tests marked
    ``celery_worker`` start a real worker and turn this off)."""
    from celery._state import _set_task_join_will_block

    from talenthub.celery import app

    eager = not request.node.get_closest_marker("celery_worker")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
    # ``Task.apply()`` sets Celery's process-wide "joining a result would block" flag for
    # the duration of the call and restores the value it saw on entry. Concurrency tests
    # apply tasks from several threads at once, so one thread can restore the flag that
    # another set, leaving it on: every later ``.delay().get()`` in this process would
    # then raise "Never call result.get() within a task!". No test runs inside a task.
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create thousands of accounts; the production hasher's work factor (by design
    ~0.3 s a password) would dominate the suite. What is tested is who may sign in, not
    the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test its own cache keys. With REDIS_URL the cache is one Redis shared by every
    xdist worker and kept across tests, so allauth's sign-in rate limit (30 a minute from
    one address) counted every test's sign-ins together and began refusing browser tests
    late in the run; and one test's cached figures could meet another's."""
    caches = {alias: dict(conf) for alias, conf in settings.CACHES.items()}
    for conf in caches.values():
        conf["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    # Nor kept public pages (talenthub.core.page_cache): a test of a view sees the view's
    # own queries and rows; tests/core/test_page_cache.py turns it on.
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 0}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _staff_test_sign_in_with_mfa(request, monkeypatch):
    """Staff and superusers cannot open an admin page without a second factor. Tests that
    sign in with ``client.force_login(staff)`` or ``client.login(...)`` stand for a staff
    member who signed in properly: here such a user is given a real TOTP authenticator
    (if they have none) and the session is marked as signed in with it, exactly as allauth
    marks it. Whether they are staff is read from the database (a test's object may be
    stale). Tests of the refusal itself sign in through the real forms, or use the
    ``staff_without_mfa`` marker."""
    if request.node.get_closest_marker("staff_without_mfa"):
        return
    from django.test import Client

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from talenthub.core.models import User
        from tests.mfa import mark_session_mfa, totp_enrol

        if (
            User.objects.filter(pk=user.pk, is_active=True)
            .filter(models.Q(is_staff=True) | models.Q(is_superuser=True))
            .exists()
        ):
            totp_enrol(user)
            mark_session_mfa(self, user)

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def member(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def provider(db):
    from tests.factories import ProviderFactory

    return ProviderFactory(name="West Midlands Employers")


@pytest.fixture
def manager(db, provider):
    """A programme manager on the staff of ``provider``."""
    from tests.factories import ManagerFactory

    return ManagerFactory(profile__organisation=provider)


@pytest.fixture
def demo_stack(settings):
    """A demo stack: ``manage.py load_demo`` refuses to run with DEBUG off (it would make
    a superuser with the public demo password: tests/core/test_demo.py), and the Django
    test runner turns DEBUG off. Tests that load the demo use this fixture
    (``pytestmark = pytest.mark.usefixtures("demo_stack")``)."""
    settings.DEBUG = True
