"""Settings for the test suite: the development profile (DEBUG on unless DEBUG is set), as
``make run`` has it. Set here rather than in conftest.py because pytest-django reads the
settings before any conftest is loaded; subprocesses the tests start (a Celery worker, a
fresh ``django.setup()``) inherit the variable and so read the same profile."""

import os

os.environ.setdefault("TALENTHUB_ENV", "dev")

from talenthub.settings import *  # noqa: E402, F403
