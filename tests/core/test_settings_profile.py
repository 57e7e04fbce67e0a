"""DEBUG is off unless something turns it on: a server started with no configuration must
not show tracebacks. The development profile (TALENTHUB_ENV=dev, set by the Makefile and
talenthub/test_settings.py) turns it on."""

import os
import subprocess
import sys

from django.conf import settings


def _debug_in_a_fresh_process(**environ) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TALENTHUB_ENV", "SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="talenthub.settings", **environ)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_debug_is_off_with_nothing_set():
    result = _debug_in_a_fresh_process(SECRET_KEY="x" * 60)
    assert result.stdout.strip() == "False", result.stderr


def test_with_nothing_set_a_secret_key_is_required():
    result = _debug_in_a_fresh_process()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_development_profile_turns_debug_on_unless_debug_is_set():
    assert _debug_in_a_fresh_process(TALENTHUB_ENV="dev").stdout.strip() == "True"
    result = _debug_in_a_fresh_process(TALENTHUB_ENV="dev", DEBUG="0", SECRET_KEY="x" * 60)
    assert result.stdout.strip() == "False", result.stderr


def test_an_unknown_profile_is_refused():
    result = _debug_in_a_fresh_process(TALENTHUB_ENV="staging", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "TALENTHUB_ENV" in result.stderr


def test_the_test_suite_runs_the_development_profile():
    assert settings.TALENTHUB_ENV == "dev"


def _manage_in_a_fresh_process(*args, **environ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TALENTHUB_ENV", "SECRET_KEY")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_manage_py_with_nothing_set_runs_the_embedded_default():
    """The fixed decision: with no configuration the portal runs (SQLite, eager tasks,
    console email). A developer's ``manage.py`` needs no variable set; failed when DEBUG
    went off by default and manage.py asked for a SECRET_KEY."""
    result = _manage_in_a_fresh_process("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_manage_py_keeps_the_production_profile_a_deployment_sets():
    result = _manage_in_a_fresh_process("check", TALENTHUB_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
