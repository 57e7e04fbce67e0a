"""The programme outcomes and event demand reports made faster (issue 16) give the same
figures as before, on the demo's data."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from bench.bench_pages import grow
from events.models import Booking, Event
from insights import reports
from tests.core.test_aggregate_joins import demo  # noqa: F401
from tests.events.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_waiting_list_demand_counted_on_the_joined_rows_as_through_the_subquery(demo):  # noqa: F811
    """``event_demand`` counts the bookings that joined a waiting list with the condition
    on the event's joined bookings; it used ``bookings__in=<every booking that waited>``,
    a subquery over the whole booking table. Per event, over every event of the demo
    grown ×2 (not only those that have started), both give the same counts."""
    grow(2)
    # The demo's bookings are confirmed, offered or waiting: add every other way of having
    # waited (or not) to its first events.
    joined = timezone.now() - datetime.timedelta(days=30)
    later = joined + datetime.timedelta(days=1)
    for event, (status, confirmed_at, offer_number) in zip(
        Event.objects.order_by("pk"),
        [("confirmed", later, 0), ("confirmed", joined, 1), ("cancelled", None, 0),
         ("cancelled", joined, 0), ("cancelled", later, 0), ("expired", None, 1),
         ("declined", None, 1), ("confirmed", joined, 0)],
        strict=False,
    ):  # fmt: skip
        BookingFactory(event=event, status=status, joined_at=joined, confirmed_at=confirmed_at,
                       offer_number=offer_number)  # fmt: skip
    events = Event.objects.order_by("pk").annotate(
        before=Count(
            "bookings",
            filter=Q(bookings__in=Booking.objects.filter(reports.joined_waiting_list())),
        ),
        now=Count("bookings", filter=reports.joined_waiting_list("bookings__")),
    )
    counts = [(e.pk, e.before, e.now) for e in events]
    assert sum(before for _pk, before, _now in counts) > 20  # the demo has waiting lists
    assert [(pk, before) for pk, before, _now in counts] == [(pk, now) for pk, _b, now in counts]
