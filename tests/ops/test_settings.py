"""Operator settings read from the environment (issue 17): Celery's time limits and
queues, PostgreSQL's connection pool. Each is read by a fresh process, as a deployment
starts one."""

import json
import subprocess

import pytest
from django.conf import settings
from django.db import connection

from tests.ops.processes import django_process, django_process_ok

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.db import connection
from talenthub.celery import app
out = {
    "soft": app.conf.task_soft_time_limit,
    "hard": app.conf.task_time_limit,
    "prefetch": app.conf.worker_prefetch_multiplier,
    "acks_late": app.conf.task_acks_late,
    "queues": sorted(app.amqp.queues),
    "routes": {
        name: app.amqp.router.route({}, name)["queue"].name
        for name in (
            "talenthub.core.tasks.send_outbound_email",
            "talenthub.core.tasks.send_outbound_emails",
            "events.tasks.promote_sweep_task",
        )
    },
    "pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
}
if __import__("os").environ.get("PROBE_QUERY"):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 41 + 1")
        out["answer"] = cursor.fetchone()[0]
    out["pooled"] = connection.pool is not None
print(json.dumps(out))
"""


def probe(**environ) -> subprocess.CompletedProcess:
    return django_process("-c", PROBE, **environ)


def probed(**environ) -> dict:
    return json.loads(django_process_ok("-c", PROBE, **environ).stdout.strip().splitlines()[-1])


def test_celery_time_limits_default_and_come_from_the_environment():
    default = probed()
    assert (default["soft"], default["hard"]) == (300, 360)
    assert default["prefetch"] == 1 and default["acks_late"] is True
    assert (lambda c: (c["soft"], c["hard"]))(
        probed(CELERY_TASK_SOFT_TIME_LIMIT="120", CELERY_TASK_TIME_LIMIT="150")
    ) == (120, 150)


@pytest.mark.parametrize(("soft", "hard"), [("400", "360"), ("300", "3600"), ("0", "10")])
def test_time_limits_that_cannot_work_stop_the_start(soft, hard):
    result = probe(CELERY_TASK_SOFT_TIME_LIMIT=soft, CELERY_TASK_TIME_LIMIT=hard)
    assert result.returncode != 0
    assert "CELERY_TASK_SOFT_TIME_LIMIT" in result.stderr


def test_the_largest_email_batch_fits_the_soft_time_limit():
    """bench_email: 36–40 emails/s per worker process; a batch must end well inside."""
    slowest_rate = 30
    assert (
        settings.TALENTHUB["EMAIL_BATCH_SIZE"] / slowest_rate
        < settings.CELERY_TASK_SOFT_TIME_LIMIT / 4
    )


def test_outbox_sends_go_to_the_email_queue_which_a_plain_worker_serves_too():
    conf = probed()
    assert conf["routes"] == {
        "talenthub.core.tasks.send_outbound_email": "email",
        "talenthub.core.tasks.send_outbound_emails": "email",
        "events.tasks.promote_sweep_task": "celery",
    }
    assert conf["queues"] == ["celery", "email"]


def test_without_a_pool_setting_there_is_no_pool():
    assert probed()["pool"] is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_psycopg_pool_is_used_when_asked_for():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    conf = probed(DATABASE_URL=url, DB_POOL_MAX_SIZE="4", CONN_MAX_AGE="60", PROBE_QUERY="1")
    assert conf["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10.0}
    assert conf["conn_max_age"] == 0
    assert conf["answer"] == 42 and conf["pooled"] is True
