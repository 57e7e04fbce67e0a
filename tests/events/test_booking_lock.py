"""Booking storms stay short (issue 12, item 6): what ``booking_create`` does while it
holds the event lock.

The storm itself is measured by ``python -m bench bench_booking_storm``; these tests pin
the changes the benchmark's figures rest on."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Booking
from talenthub.core.models import OutboundEmail

from .factories import BookingFactory, EventFactory


def _locked_section(queries):
    """The SQL from the event's locking read (SELECT ... FOR UPDATE on PostgreSQL; the
    same SELECT without it on SQLite) to the end of the service."""
    sql = [q["sql"] for q in queries]
    start = max(i for i, s in enumerate(sql) if s.startswith('SELECT "events_event"'))
    return sql[start:]


@pytest.mark.django_db
def test_booking_under_the_lock_is_one_count_and_one_insert(member):
    """Lock, one conditional count (already booked? anyone waiting? places taken? the
    newcomer's position), one INSERT. Before: 3 counts, 2 foreign-key re-reads, 4
    constraint checks in 8 savepoints, the email's own check and insert, and a count
    for the waiting position: 24 statements under the lock."""
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    with CaptureQueriesContext(connection) as queries:
        booking = services.booking_create(event=event, member=member)
    assert booking.status == Booking.Status.WAITING
    locked = [s for s in _locked_section(queries) if "SAVEPOINT" not in s]
    assert len(locked) == 3, locked
    assert "COUNT" in locked[1] and locked[2].startswith('INSERT INTO "events_booking"')


@pytest.mark.django_db
def test_the_email_is_rendered_and_queued_after_the_booking_commits(
    member, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = services.booking_create(event=event, member=member)
    # Nothing rendered or queued inside the transaction that held the lock.
    assert not OutboundEmail.objects.exists()
    for callback in callbacks:
        callback()
    email = OutboundEmail.objects.get()
    assert email.key == f"booking.waiting:{booking.pk}"
    assert "You are number 1 in line." in email.body_text
    # Keyed: running the callback again (a retried request) queues nothing new.
    callbacks[0]()
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_position_counted_under_the_lock_is_the_queue_position(
    member, django_capture_on_commit_callbacks
):
    """The newcomer's position comes from the same count as the decision; it must agree
    with the queue order everywhere else (priority desc, joined_at, id)."""
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    BookingFactory(event=event, status="waiting", priority=2)
    BookingFactory(event=event, status="waiting")
    BookingFactory(event=event, status="waiting", priority=-1)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(event=event, member=member)
    assert booking.position == services.waiting_position(booking) == 3
    email = OutboundEmail.objects.get(key=f"booking.waiting:{booking.pk}")
    assert "You are number 3 in line." in email.body_text


@pytest.mark.django_db
def test_a_write_that_skipped_the_lock_is_still_refused_as_a_booking_error(member, monkeypatch):
    """The one-active-entry rule is counted under the lock; if a row appears anyway (a
    writer that skipped the lock), the database's constraint refuses it and the member
    gets the rule's message, not a 500."""
    event = EventFactory()

    def racing_save(self, *args, **kwargs):
        raise IntegrityError("booking_one_active_per_member")

    monkeypatch.setattr(Booking, "save", racing_save)
    with pytest.raises(services.BookingError, match="already have") as raised:
        services.booking_create(event=event, member=member)
    assert raised.value.code == "booking"


@pytest.mark.django_db
def test_book_view_waiting_message_uses_the_position_from_the_booking(client, member):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    BookingFactory(event=event, status="waiting")
    client.force_login(member)
    response = client.post(f"/events/{event.slug}/book/", follow=True)
    assert "number 2 in line" in response.content.decode()
