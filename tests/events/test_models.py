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
