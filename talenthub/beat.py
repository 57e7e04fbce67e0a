"""Celery beat's scheduler, with a heartbeat for the container's healthcheck.

The schedule is Celery's own (PersistentScheduler, in the ``--schedule`` file); on every
tick (at least once a minute here: ``events-expire-offers`` is due each minute) beat
touches ``<schedule file>.heartbeat``. The compose healthcheck calls beat unhealthy when
that file is older than ``BEAT_HEARTBEAT_MAX_AGE`` seconds (``manage.py`` is not needed:
``python -m talenthub.beat`` checks it).

    celery -A talenthub beat -S talenthub.beat.HeartbeatScheduler --schedule var/beat/schedule
"""

import os
import sys
import time
from pathlib import Path

from celery.beat import PersistentScheduler

DEFAULT_MAX_AGE = 10 * 60


def heartbeat_path(schedule_filename: str) -> Path:
    return Path(f"{schedule_filename}.heartbeat")


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        heartbeat_path(self.schedule_filename).touch()
        return interval


def heartbeat_is_fresh(schedule_filename: str, max_age: float, now: float | None = None) -> bool:
    try:
        modified = heartbeat_path(schedule_filename).stat().st_mtime
    except FileNotFoundError:
        return False
    return (now if now is not None else time.time()) - modified <= max_age


if __name__ == "__main__":
    # python -m talenthub.beat SCHEDULE_FILE: exit 0 when beat ticked recently, 1 if not.
    max_age = float(os.environ.get("BEAT_HEARTBEAT_MAX_AGE", DEFAULT_MAX_AGE))
    sys.exit(0 if heartbeat_is_fresh(sys.argv[1], max_age) else 1)
