"""The deployment files (issue 17): docker-compose.yml refuses to start without its
secrets, starts web, worker and beat only after one migrate has finished, checks every
long-running service's health and restarts it; images are pinned; the Docker build
context leaves out secrets and what only development uses.

docker-compose is installed by .ci/run; without it these tests fail (never skip)."""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from talenthub.beat import heartbeat_is_fresh, heartbeat_path

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"SECRET_KEY": "ci-secret", "POSTGRES_PASSWORD": "ci-password"}
APP_SERVICES = ("web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", *APP_SERVICES)


def compose_config(**environ) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is not installed (.ci/run installs it)"
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update(environ)
    return subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def services() -> dict:
    result = compose_config(**SECRETS)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_the_stack_does_not_parse_without_each_secret(missing):
    given = {k: v for k, v in SECRETS.items() if k != missing}
    result = compose_config(**given)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_an_empty_secret_counts_as_missing():
    result = compose_config(**{**SECRETS, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_secrets_reach_the_services(services):
    for name in ("migrate", *APP_SERVICES):
        env = services[name]["environment"]
        assert env["SECRET_KEY"] == "ci-secret"
        assert ":ci-password@postgres:" in env["DATABASE_URL"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "ci-password"


def test_migrate_runs_once_after_the_database_and_everything_else_waits_for_it(services):
    migrate = services["migrate"]
    assert "manage.py migrate" in migrate["command"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
        assert "migrate" not in str(services[name].get("command")), name


def test_long_running_services_have_a_healthcheck_and_a_restart_policy(services):
    for name in LONG_RUNNING:
        assert services[name]["restart"] == "unless-stopped", name
        assert services[name]["healthcheck"]["test"], name
    worker_check = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in worker_check and "HOSTNAME" in worker_check
    assert services["beat"]["healthcheck"]["test"][-2:] == [
        "talenthub.beat",
        "/app/var/beat/schedule",
    ]
    assert "--schedule /app/var/beat/schedule" in services["beat"]["command"]
    assert "talenthub.beat.HeartbeatScheduler" in services["beat"]["command"]


def test_concurrency_is_explicit_and_set_from_the_environment(services):
    assert "--concurrency 2" in services["worker"]["command"]
    assert services["web"]["environment"]["WEB_CONCURRENCY"] == "3"
    tuned = compose_config(**SECRETS, CELERY_CONCURRENCY="6", WEB_CONCURRENCY="9")
    tuned_services = yaml.safe_load(tuned.stdout)["services"]
    assert "--concurrency 6" in tuned_services["worker"]["command"]
    assert tuned_services["web"]["environment"]["WEB_CONCURRENCY"] == "9"


def test_images_are_pinned_to_exact_versions(services):
    assert re.fullmatch(r"postgres:15\.\d+-bookworm", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7\.\d+\.\d+-bookworm", services["redis"]["image"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11\.\d+-slim-bookworm$", dockerfile, re.M)
    assert "--require-hashes -r requirements.txt" in dockerfile


def test_gunicorn_has_limits_and_takes_its_workers_from_the_environment(monkeypatch):
    def settings_read(**environ):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        namespace = {}
        exec(
            compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace
        )
        return namespace

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = settings_read()
    assert conf["workers"] == 3 and conf["timeout"] == 30
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert (conf["limit_request_line"], conf["limit_request_fields"]) == (4094, 50)
    assert settings_read(WEB_CONCURRENCY="8", GUNICORN_TIMEOUT="20")["workers"] == 8


def test_the_build_context_leaves_out_secrets_and_development_files():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "tests", "bench", "node_modules", ".git", "var"} <= ignored


def test_beat_heartbeat_is_fresh_only_after_a_recent_tick(tmp_path):
    from celery import Celery

    from talenthub.beat import HeartbeatScheduler

    # An app of its own with nothing scheduled: the tick publishes no task anywhere. Not
    # made current: shared tasks would follow it and stop running eagerly in later tests.
    app = Celery("heartbeat-probe", broker="memory://", set_as_current=False)
    schedule = str(tmp_path / "schedule")
    assert not heartbeat_is_fresh(schedule, max_age=600)
    scheduler = HeartbeatScheduler(app, schedule_filename=schedule, lazy=False)
    try:
        scheduler.tick()
    finally:
        scheduler.close()
    assert heartbeat_path(schedule).exists()
    assert heartbeat_is_fresh(schedule, max_age=600)
    assert not heartbeat_is_fresh(schedule, max_age=600, now=time.time() + 601)
