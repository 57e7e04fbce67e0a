"""Fifty API clients booking ten places at once (PostgreSQL, real threads): exactly ten
confirmed, forty waiting in the order they were served, one email each — the API books
through the same service, under the same event lock, as the site."""

import time

import pytest

from events.models import Booking
from events.services import promotion
from talenthub.core.models import OutboundEmail
from tests.concurrency import run_at_once
from tests.events.factories import EventFactory
from tests.factories import MemberFactory

from .conftest import ApiClient, token_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race_window(monkeypatch):
    """Widen the window between counting places and writing (as the events app's own
    concurrency tests do): with the lock it only slows the run; without, it overbooks."""
    monkeypatch.setattr(promotion, "AFTER_COUNT_HOOK", lambda: time.sleep(0.02))


@pytest.fixture(autouse=True)
def patient_lock(settings):
    """Every booking waits for the lock as long as it takes: what is proved is the capacity
    rule, and on a loaded machine 50 bookings in a row can take longer than the members'
    5-second bound (their "busy, try again" is tested in tests/events/test_booking_lock.py)."""
    settings.TALENTHUB = {**settings.TALENTHUB, "EVENT_LOCK_TIMEOUT": 120.0}


@pytest.fixture
def no_rate_limit(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": None, "address": None})


def book_through_the_api(event, members):
    clients = [ApiClient(token_for(member)) for member in members]

    def call(client):
        return lambda: client.post("/api/v1/me/bookings/", {"event": event.slug}).status_code

    return run_at_once([call(client) for client in clients])


def test_fifty_api_bookings_on_ten_places(race_window, no_rate_limit):
    event = EventFactory(capacity=10)
    members = MemberFactory.create_batch(50)
    statuses, errors = book_through_the_api(event, members)
    assert errors == []
    assert statuses == [201] * 50
    bookings = Booking.objects.filter(event=event)
    assert bookings.filter(status="confirmed").count() == 10
    assert bookings.filter(status="waiting").count() == 40
    confirmed = bookings.filter(status="confirmed")
    waiting = list(bookings.filter(status="waiting").in_queue_order())
    assert max(b.joined_at for b in confirmed) < waiting[0].joined_at
    assert OutboundEmail.objects.filter(key__startswith="booking.booked:").count() == 10
    assert OutboundEmail.objects.filter(key__startswith="booking.waiting:").count() == 40


def test_control_without_the_lock_the_same_harness_overbooks(
    race_window, no_rate_limit, monkeypatch
):
    monkeypatch.setattr(promotion, "LOCK_MODE", "none")
    event = EventFactory(capacity=10)
    statuses, errors = book_through_the_api(event, MemberFactory.create_batch(50))
    assert errors == []
    confirmed = Booking.objects.filter(event=event, status="confirmed").count()
    assert confirmed > 10, "the harness failed to provoke a race: it proves nothing"
