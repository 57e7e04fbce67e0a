"""On PostgreSQL, with real threads: erasing a member who holds a place, while other
people book the same event at that moment, never overbooks and never lets a newcomer
jump the waiting list."""

import time

import pytest

from events.models import Booking
from events.services import booking_create, promotion
from talenthub.core import personal_data
from tests.concurrency import run_at_once
from tests.events.factories import EventFactory
from tests.factories import MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_erasure_racing_new_bookings(monkeypatch):
    monkeypatch.setattr(promotion, "AFTER_COUNT_HOOK", lambda: time.sleep(0.02))
    event = EventFactory(capacity=2)
    leavers = MemberFactory.create_batch(2)
    for leaver in leavers:
        booking_create(event=event, member=leaver)
    first = MemberFactory()
    booking_create(event=event, member=first)  # waiting, first in line
    newcomers = MemberFactory.create_batch(4)

    _, errors = run_at_once(
        [lambda u=u: personal_data.erase_account(u) for u in leavers]
        + [lambda m=m: booking_create(event=event, member=m) for m in newcomers]
    )

    assert errors == []
    # Promotion ran after each commit (eager Celery); run it once more, as the task may.
    promotion.promote_waiting_list(event_id=event.pk)
    bookings = Booking.objects.filter(event=event)
    assert bookings.holding_place().count() == 2
    assert set(bookings.filter(member__in=leavers).values_list("status", flat=True)) == {
        "cancelled"
    }
    # The person waiting before the erasure got a place; no newcomer holds one unless
    # it came to them in queue order after the first person.
    assert bookings.get(member=first).status == "confirmed"
    queue = list(
        bookings.filter(member__in=newcomers)
        .order_by("joined_at", "pk")
        .values_list("status", flat=True)
    )
    assert queue.count("confirmed") == 1
    assert queue == sorted(queue, key=lambda s: s != "confirmed")
