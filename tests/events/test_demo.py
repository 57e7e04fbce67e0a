import pytest

from events.models import Booking, Event, PlaceTransfer
from talenthub.core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates_and_has_a_full_event():
    from events import demo

    core_demo.load()
    demo.load()
    counts = (Event.objects.count(), Booking.objects.count())
    demo.load()
    assert (Event.objects.count(), Booking.objects.count()) == counts
    themes = set(Event.objects.values_list("theme", flat=True))
    assert len(themes) == 5
    full = Event.objects.with_place_counts().get(slug="flexible-working-for-all")
    assert full.confirmed_count == full.capacity
    assert full.waiting_count >= 3
    for booking in Booking.objects.all():
        booking.full_clean()
    # Place transfers: one event allows them, with one pending offer (not doubled by the
    # second load).
    assert Event.objects.filter(transfer_policy="organisation").count() == 1
    assert PlaceTransfer.objects.pending().count() == 1
    transfer = PlaceTransfer.objects.get()
    transfer.full_clean()
    assert transfer.booking.event.slug == "health-and-wellbeing-conversations"
    # The draft stays unpublished under the four-week rule.
    assert Event.objects.get(slug="workforce-planning-with-intelligence").status == "draft"
