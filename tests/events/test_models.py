"""Events' model rules that are not services'."""

from events.models import Booking, Event


def test_the_event_order_bookings_are_listed_in_has_an_index():
    """Bookings are listed by their event's date (``Booking.Meta.ordering`` and the booking
    admin start with "event", i.e. ``Event.Meta.ordering``). Without an index in that
    order PostgreSQL joined and sorted every booking for a page: 0.8 s at 250,000 bookings,
    7 ms with it (issue 16)."""
    from events.admin import BookingAdmin

    assert Booking._meta.ordering[0] == "event" and BookingAdmin.ordering[0] == "event"
    ordering = [("id" if name == "pk" else name) for name in Event._meta.ordering]
    assert any(list(index.fields) == ordering for index in Event._meta.indexes)


def test_booking_str_shows_the_status_as_get_status_display(monkeypatch):
    """``Booking.__str__`` (each row's checkbox label on the admin's booking list) reads
    the status label from ``Status`` (``status_label``): the text ``get_status_display()``
    gives, for every status, translated, and for a value that is no choice."""
    from django.utils import translation

    from talenthub.core.models import User

    booking = Booking(event=Event(title="Data & AI"), member=User(full_name="Ada L"))

    def old(booking):
        return f"{booking.member} – {booking.event.title} ({booking.get_status_display()})"

    shown = set()
    for value in [*Booking.Status.values, "not-a-status", ""]:
        booking.status = value
        assert str(booking) == old(booking), value
        shown.add(booking.status_label())
    assert "Booked" in shown and "not-a-status" in shown
    # A translation in force: the same translated label.
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"<{message}>")
    for value in Booking.Status.values:
        booking.status = value
        assert str(booking) == old(booking), value
        label = booking.status_label()
        assert label.startswith("<") and label.endswith(">") and len(label) > 2


def test_place_count_subqueries_are_built_once_and_each_use_is_its_own(db, monkeypatch):
    """``with_place_counts`` builds its three subqueries once (as the cohorts' do), and
    a queryset using them changes neither them nor another queryset's: the same SQL as
    at first, the same counts after one of them is filtered, sorted and counted."""
    import events.models as event_models
    from events.models import Booking, Event
    from tests.events.factories import BookingFactory, EventFactory

    busy, quiet = EventFactory(capacity=1), EventFactory()
    BookingFactory(event=busy, status=Booking.Status.CONFIRMED)
    BookingFactory(event=busy, status=Booking.Status.WAITING)
    BookingFactory(event=busy, status=Booking.Status.WAITING)
    BookingFactory(event=quiet, status=Booking.Status.OFFERED)
    built = []
    real = event_models.related_count
    monkeypatch.setattr(
        event_models, "related_count", lambda *a, **k: built.append(1) or real(*a, **k)
    )
    event_models._place_counts.cache_clear()
    try:
        first = Event.objects.with_place_counts().order_by("pk")
        sql = str(first.query)
        narrowed = Event.objects.with_place_counts().filter(waiting_count__gt=0)
        assert list(narrowed.order_by("-waiting_count").values_list("pk", flat=True)) == [busy.pk]
        assert narrowed.count() == 1
        again = Event.objects.with_place_counts().order_by("pk")
        assert len(built) == 3
        assert str(again.query) == sql
        shown = {e.pk: (e.confirmed_count, e.offered_count, e.waiting_count) for e in again}
        assert shown == {busy.pk: (1, 0, 2), quiet.pk: (0, 1, 0)}
    finally:
        event_models._place_counts.cache_clear()
