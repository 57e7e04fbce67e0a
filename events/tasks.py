"""Thin Celery tasks: they take ids and call a service. Every one is safe to run twice
or concurrently (the services lock and re-check; emails go through the keyed outbox)."""

from celery import shared_task

from talenthub.core import fanout
from talenthub.core.queueing import TASK_RETRY, enqueue

from . import services
from .models import Event

RETRY = TASK_RETRY


@shared_task(**RETRY)
def promote_waiting_list_task(event_id: int) -> int:
    """Fill the event's free places from its waiting list."""
    return len(services.promote_waiting_list(event_id=event_id))


@shared_task(**RETRY)
def expire_offers_task() -> int:
    """Beat: end offers past their deadline and pass the places on."""
    return services.offers_expire()


@shared_task(**RETRY)
def expire_transfers_task() -> int:
    """Beat: end offers of a place to a colleague past their deadline (the holder keeps
    the place)."""
    return services.transfers_expire()


@shared_task(**RETRY)
def promote_sweep_task() -> int:
    """Beat: promote on every upcoming event with a free place and someone waiting, so
    a promotion task lost between commit and broker cannot leave a place empty."""
    return services.promotions_sweep()


@shared_task(**RETRY)
def send_booking_alerts_task() -> int:
    """Beat: email the members who asked to hear when an event's booking opens."""
    return services.booking_alerts_send()


@shared_task(**RETRY)
def send_event_reminders_task() -> int:
    """Beat: queue the 7-day and 1-day reminders that are due."""
    return services.reminders_send()


@shared_task(**RETRY)
def announce_event_task(event_id: int) -> int:
    """Fan out the announcement of a published event: one batch task per range of
    member ids (the ids are streamed, never loaded at once)."""
    from .services.events import announcement_batches

    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED).first()
    if event is None:
        return 0
    return fanout.enqueue_batches(announce_event_batch_task, event_id, announcement_batches(event))


@shared_task(**RETRY)
def announce_sweep_task() -> int:
    """Beat: fan out again every announcement that was cut short (a worker killed
    mid-batch, batch tasks lost with Redis). The batches skip whoever has their email."""
    from .services.events import announcements_unfinished

    events = [event.pk for event in announcements_unfinished()]
    for event_id in events:
        enqueue(announce_event_task, event_id)
    return len(events)


@shared_task(**RETRY)
def announce_event_batch_task(event_id: int, first_id: int, last_id: int) -> int:
    return services.event_announce_batch(event_id=event_id, first_id=first_id, last_id=last_id)
