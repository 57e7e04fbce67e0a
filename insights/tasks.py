"""Background work of the insights app."""

from celery import shared_task

from .models import EqualityRelease
from .services import equality_release_publish, release_period


@shared_task(acks_late=True)
def publish_equality_releases() -> None:
    """This period's equality releases, if they are not published yet (hourly: the
    first run of a period publishes them, the others find them there)."""
    for report in EqualityRelease.Report.values:
        equality_release_publish(report=report, period=release_period())
