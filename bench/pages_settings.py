"""The portal's settings with the benchmark's baseline views mounted (bench/pages_urls.py).
Used by ``python -m bench bench_pages`` for the gunicorn it starts; nothing else."""

from talenthub.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
