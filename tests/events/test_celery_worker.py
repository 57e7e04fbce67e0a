"""A real Celery worker consuming from the real Redis: a cancellation leads to a
promotion and exactly one email each, even when the promotion task is delivered three
times."""

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail

from events import services, tasks
from events.models import Booking
from talenthub.celery import app
from talenthub.core.models import OutboundEmail

from .factories import BookingFactory, EventFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(settings):
    previous = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = settings.REDIS_URL
    app.conf.result_backend = None
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30) as running:
            yield running
    finally:
        # Both restored: a result backend left unset broke the next file's round trip.
        app.conf.broker_url, app.conf.result_backend = previous
        app._backend_cache = None  # and the backend built from the unset one, if any
        app._local.__dict__.pop("backend", None)


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_cancellation_promotes_through_the_worker_and_emails_once(worker, settings):
    event = EventFactory(capacity=1)
    holder = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")

    services.booking_cancel(booking=holder, actor=holder.member)  # enqueues after commit
    # The same promotion delivered twice more (a redelivery after a worker died, say).
    tasks.promote_waiting_list_task.delay(event.pk)
    tasks.promote_waiting_list_task.delay(event.pk)

    assert wait_until(lambda: Booking.objects.get(pk=waiting.pk).status == "confirmed")
    queue = redis.Redis.from_url(settings.REDIS_URL)
    assert wait_until(
        lambda: (
            queue.llen("celery") == 0
            and OutboundEmail.objects.count() == 2
            and not OutboundEmail.objects.exclude(status="sent").exists()
        )
    )
    promoted = [m for m in mail.outbox if m.to == [waiting.member.email]]
    assert len(promoted) == 1
    assert "You have a place" in promoted[0].subject
    assert len(mail.outbox) == 2  # the cancellation and the promotion, once each
