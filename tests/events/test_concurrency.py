"""Concurrency proofs on PostgreSQL: real threads, each with its own database
connection, hitting the same event at once.

Every run widens the race window: ``promotion.AFTER_COUNT_HOOK`` sleeps briefly between
counting places and writing. With the production lock that only makes the serialised
run slower; with the lock switched off (the control runs) it makes the race certain, so
the control runs must overbook — proof that this harness can see a race at all.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from events import tasks
from events.models import Booking
from events.services import promotion
from talenthub.core.models import OutboundEmail
from tests.concurrency import run_at_once
from tests.factories import MemberFactory

from .factories import BookingFactory, EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race_window(monkeypatch):
    monkeypatch.setattr(promotion, "AFTER_COUNT_HOOK", lambda: time.sleep(0.02))


def book_through_the_site(event, members):
    """One logged-in test client per member, all POSTing "Book a place" at once."""

    def client_call(member):
        def call():
            client = Client()
            client.force_login(member)
            return client.post(f"/events/{event.slug}/book/").status_code

        return call

    return run_at_once([client_call(m) for m in members])


def test_fifty_clients_booking_ten_places(race_window):
    event = EventFactory(capacity=10)
    members = MemberFactory.create_batch(50)
    statuses, errors = book_through_the_site(event, members)
    assert errors == []
    assert statuses == [302] * 50  # every client got the normal redirect, no 4xx/5xx
    bookings = Booking.objects.filter(event=event)
    assert bookings.filter(status="confirmed").count() == 10
    assert bookings.filter(status="waiting").count() == 40
    # In order: the ten served first hold the places; everyone after waits, in the order
    # they were served, and each got exactly one email.
    confirmed = bookings.filter(status="confirmed")
    waiting = list(bookings.filter(status="waiting").in_queue_order())
    assert max(b.joined_at for b in confirmed) < waiting[0].joined_at
    assert [b.joined_at for b in waiting] == sorted(b.joined_at for b in waiting)
    assert OutboundEmail.objects.filter(key__startswith="booking.booked:").count() == 10
    assert OutboundEmail.objects.filter(key__startswith="booking.waiting:").count() == 40


def test_control_without_the_lock_the_same_harness_overbooks(race_window, monkeypatch):
    monkeypatch.setattr(promotion, "LOCK_MODE", "none")
    event = EventFactory(capacity=10)
    members = MemberFactory.create_batch(50)
    statuses, errors = book_through_the_site(event, members)
    assert errors == []
    confirmed = Booking.objects.filter(event=event, status="confirmed").count()
    assert confirmed > 10, "the harness failed to provoke a race: it proves nothing"


def _full_event_with_queue(capacity, confirmed, waiting, **event_fields):
    event = EventFactory(capacity=capacity, **event_fields)
    holders = BookingFactory.create_batch(confirmed, event=event)
    start = timezone.now() - timedelta(hours=1)
    queue = [
        BookingFactory(event=event, status="waiting", joined_at=start + timedelta(seconds=i))
        for i in range(waiting)
    ]
    return event, holders, queue


def test_eight_promotion_tasks_for_three_free_places(race_window):
    event, _, queue = _full_event_with_queue(capacity=10, confirmed=7, waiting=10)
    results, errors = run_at_once(
        [lambda: tasks.promote_waiting_list_task.apply((event.pk,)).result for _ in range(8)]
    )
    assert errors == []
    assert sum(results) == 3
    promoted = set(
        Booking.objects.filter(event=event, status="confirmed").values_list("pk", flat=True)
    )
    assert {b.pk for b in queue[:3]} <= promoted  # first in line first
    assert Booking.objects.filter(event=event, status="confirmed").count() == 10
    assert OutboundEmail.objects.filter(key__startswith="booking.promoted:").count() == 3


def test_control_locking_only_the_waiting_rows_overbooks(race_window, monkeypatch):
    """SKIP LOCKED on the waiting entries without the event lock: every promoter counts
    the same three free places and takes three different people."""
    monkeypatch.setattr(promotion, "LOCK_MODE", "waiting_rows")
    event, _, _ = _full_event_with_queue(capacity=10, confirmed=7, waiting=10)
    results, errors = run_at_once(
        [lambda: tasks.promote_waiting_list_task.apply((event.pk,)).result for _ in range(8)]
    )
    assert errors == []
    assert Booking.objects.filter(event=event, status="confirmed").count() > 10


def test_concurrent_cancellations_promotions_and_bookings_never_exceed_capacity(race_window):
    event, holders, queue = _full_event_with_queue(
        capacity=10, confirmed=10, waiting=20, promotion_policy="offer"
    )
    newcomers = MemberFactory.create_batch(5)
    from events import services

    stop = threading.Event()
    samples = []

    def sampler():
        try:
            while not stop.is_set():
                samples.append(Booking.objects.filter(event=event).holding_place().count())
        finally:
            connections.close_all()

    watcher = threading.Thread(target=sampler)
    watcher.start()
    calls = (
        [lambda b=b: services.booking_cancel(booking=b, actor=b.member) for b in holders[:6]]
        + [lambda: tasks.promote_waiting_list_task.apply((event.pk,)).result for _ in range(6)]
        + [lambda m=m: services.booking_create(event=event, member=m) for m in newcomers]
    )
    _, errors = run_at_once(calls)
    stop.set()
    watcher.join()
    assert errors == []
    assert samples and max(samples) <= 10
    bookings = Booking.objects.filter(event=event)
    assert bookings.holding_place().count() == 10
    offered = list(bookings.filter(status="offered").order_by("joined_at"))
    # The six freed places went to the first six in line, once each; newcomers wait.
    assert [b.pk for b in offered] == [b.pk for b in queue[:6]]
    assert all(b.offer_number == 1 for b in offered)
    assert OutboundEmail.objects.filter(key__startswith="booking.offered:").count() == 6
    assert set(bookings.filter(member__in=newcomers).values_list("status", flat=True)) == {
        "waiting"
    }
