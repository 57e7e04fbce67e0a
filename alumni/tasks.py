"""Thin Celery tasks: they take ids and call a service. Each is safe to run twice: the
emails go through the keyed outbox, one row per career entry and recipient."""

from celery import shared_task

from talenthub.core import fanout
from talenthub.core.queueing import TASK_RETRY, enqueue

from . import services, services_alerts
from .models import CareerEntry

RETRY = TASK_RETRY


@shared_task(**RETRY)
def announce_career_update_task(entry_id: int) -> int:
    """Fan out the announcement of a career update: one batch task per range of
    recipient ids (streamed, never loaded at once). Returns the number of batches."""
    entry = CareerEntry.objects.filter(pk=entry_id, announced_at__isnull=False).first()
    if entry is None:
        return 0
    return fanout.enqueue_batches(
        announce_career_update_batch_task, entry_id, services.career_update_batches(entry)
    )


@shared_task(**RETRY)
def announce_career_update_batch_task(entry_id: int, first_id: int, last_id: int) -> int:
    return services.career_update_announce_batch(
        entry_id=entry_id, first_id=first_id, last_id=last_id
    )


@shared_task(**RETRY)
def sweep_career_updates() -> int:
    """Beat: fan out again every career update whose announcement was cut short (a
    worker killed mid-batch, batch tasks lost with Redis); the batches skip whoever has
    their email. Returns the number of announcements fanned out again."""
    entries = [entry.pk for entry in services.career_updates_unfinished()]
    for entry_id in entries:
        enqueue(announce_career_update_task, entry_id)
    return len(entries)


@shared_task(**RETRY)
def send_pool_alerts() -> int:
    """Beat: email the members who asked to hear when a talent pool's intake opens."""
    return services_alerts.pool_alerts_send()
