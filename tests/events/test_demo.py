import pytest

from events.models import Booking, Event
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
    # The draft stays unpublished under the four-week rule.
    assert Event.objects.get(slug="workforce-planning-with-intelligence").status == "draft"
