"""Background work of the insights app."""

import logging

from celery import shared_task
from django.core.cache import cache

from .models import EqualityRelease
from .services import equality_release_publish, release_period

# One audit at a time: a release can take minutes, and every worker that picked the task
# up would otherwise audit the same period (the first to save wins). If a worker dies,
# the lock lapses and the next hourly run publishes. The time limits stay inside the
# lock and the broker's visibility timeout (30 minutes, settings).
logger = logging.getLogger(__name__)

LOCK = "insights:publishing-equality-releases"
LOCK_SECONDS = 28 * 60


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def publish_equality_releases() -> None:
    """This period's equality releases, if they are not published yet (hourly: the
    first run of a period publishes them, the others find them there)."""
    if not cache.add(LOCK, True, timeout=LOCK_SECONDS):
        return  # another worker is publishing them
    try:
        for report in EqualityRelease.Report.values:
            # One report failing (an audit error, the soft time limit) must not keep
            # the other from being published; the next hourly run tries it again.
            try:
                equality_release_publish(report=report, period=release_period())
            except Exception:
                logger.exception("insights: the %s release could not be published", report)
    finally:
        cache.delete(LOCK)
