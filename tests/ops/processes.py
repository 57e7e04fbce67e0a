"""A fresh Django process, as gunicorn, a worker or a management command starts one:
what a setting read from the environment really does is seen there, not in the test
process whose settings were read long ago."""

import os
import subprocess
import sys

from django.conf import settings


def django_process(*args: str, **environ: str) -> subprocess.CompletedProcess:
    """``python *args`` in the checkout with the test's environment plus ``environ``
    (a value of None removes that variable)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talenthub.settings"}
    for name, value in environ.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def django_process_ok(*args: str, **environ: str) -> subprocess.CompletedProcess:
    """``django_process``, which must succeed (its stderr's end is the failure message)."""
    result = django_process(*args, **environ)
    assert result.returncode == 0, result.stderr[-2000:]
    return result
