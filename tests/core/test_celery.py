"""Celery's configuration from the environment (issue 2): Redis as broker and result
backend when REDIS_URL is set, eager in-process otherwise; no task stores a result
unless it opts in (every task's outcome is in the database)."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

PROBE = """
import json
import django
django.setup()
from talenthub.celery import app
from talenthub.core.tasks import send_outbound_email
print(json.dumps({
    "broker": app.conf.broker_url,
    "backend": app.conf.result_backend,
    "eager": app.conf.task_always_eager,
    "ignore_result": app.conf.task_ignore_result,
    "task_ignores_result": send_outbound_email.ignore_result,
    "expires": app.conf.result_expires.total_seconds()
    if hasattr(app.conf.result_expires, "total_seconds")
    else app.conf.result_expires,
}))
"""


def celery_conf(**environ) -> dict:
    """The Celery configuration a fresh process builds from ``environ``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(environ, DJANGO_SETTINGS_MODULE="talenthub.settings", PYTHONPATH=".")
    output = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_without_redis_tasks_run_eagerly_and_keep_no_results():
    conf = celery_conf()
    assert conf["broker"] == "memory://"
    assert conf["backend"] is None
    assert conf["eager"] is True


def test_with_redis_it_is_the_broker_and_the_result_backend():
    conf = celery_conf(REDIS_URL="redis://127.0.0.1:6379/7")
    assert conf["broker"] == "redis://127.0.0.1:6379/7"
    assert conf["backend"] == "redis://127.0.0.1:6379/7"
    assert conf["eager"] is False
    # Results are opt-in: a task's outcome lives in the database, not in Redis.
    assert conf["ignore_result"] is True
    assert conf["task_ignores_result"] is True
    assert conf["expires"] == 24 * 60 * 60


@pytest.mark.redis
def test_results_round_trip_through_the_real_redis():
    """The backend this process uses is the configured Redis: a stored result can be
    read back by id (what a task with ignore_result=False, or a chord, relies on)."""
    from celery.result import AsyncResult

    from talenthub.celery import app

    assert app.conf.result_backend == settings.REDIS_URL
    # Tests run tasks eagerly (the autouse fixture restores this afterwards); reading a
    # stored result is what a caller of a real worker does.
    app.conf.task_always_eager = False
    task_id = f"test-{uuid.uuid4()}"
    app.backend.store_result(task_id, {"sent": 3}, "SUCCESS")
    try:
        assert AsyncResult(task_id, app=app).get(timeout=5) == {"sent": 3}
    finally:
        app.backend.forget(task_id)
