"""Booking storms stay short (issue 12, item 6): what ``booking_create`` does while it
holds the event lock, and what a member sees when the lock is not free in time.

The storm itself is measured by ``python -m bench bench_booking_storm``; these tests pin
the changes the benchmark's figures rest on."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Booking, Event
from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory
from tests.helpers import raises_code

from .factories import BookingFactory, EventFactory


def _locked_section(queries):
    """The SQL from the event's locking read (SELECT ... FOR UPDATE on PostgreSQL; the
    same SELECT without it on SQLite) to the end of the service."""
    sql = [q["sql"] for q in queries]
    start = max(i for i, s in enumerate(sql) if s.startswith('SELECT "events_event"'))
    return sql[start:]


@pytest.mark.django_db
def test_booking_under_the_lock_is_one_count_and_two_inserts(member):
    """Lock, one conditional count (already booked? anyone waiting? places taken? the
    newcomer's position), the booking's INSERT and its email's INSERT. Before: 3 counts,
    2 foreign-key re-reads, 4 constraint checks in 8 savepoints, the email's own check
    and insert, and a count for the waiting position: 24 statements under the lock."""
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    with CaptureQueriesContext(connection) as queries:
        booking = services.booking_create(event=event, member=member)
    assert booking.status == Booking.Status.WAITING
    locked = [s for s in _locked_section(queries) if "SAVEPOINT" not in s]
    assert len(locked) == 4, locked
    assert "COUNT" in locked[1] and locked[2].startswith('INSERT INTO "events_booking"')
    assert locked[3].startswith('INSERT INTO "core_outboundemail"')


@pytest.mark.django_db
def test_the_email_is_queued_in_the_bookings_transaction(
    member, django_capture_on_commit_callbacks
):
    """A process that dies after the booking commits loses no email: the outbox row
    commits with the booking (when it was queued after commit, a kill in between lost
    it for good, with nothing to sweep it up); only the send waits for the commit."""
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = services.booking_create(event=event, member=member)
    email = OutboundEmail.objects.get()
    assert email.key == f"booking.waiting:{booking.pk}" and email.status == "pending"
    assert "You are number 1 in line." in email.body_text
    assert len(callbacks) == 1  # the send, after commit


@pytest.mark.django_db
def test_another_integrity_error_is_not_taken_for_a_double_booking(member, monkeypatch):
    event = EventFactory()

    def broken_save(self, *args, **kwargs):
        raise IntegrityError('insert or update violates foreign key constraint "other"')

    monkeypatch.setattr(Booking, "save", broken_save)
    with pytest.raises(IntegrityError):
        services.booking_create(event=event, member=member)


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
    with raises_code(services.BookingError, "already_booked"):
        services.booking_create(event=event, member=member)


@pytest.mark.django_db
def test_book_view_busy_is_a_503_with_retry_after_and_a_try_again_button(
    client, member, monkeypatch
):
    event = EventFactory()

    def busy(**kwargs):
        raise services.EventBusyError("This event is busy, please try again in a moment.")

    monkeypatch.setattr(services, "booking_create", busy)
    client.force_login(member)
    response = client.post(f"/events/{event.slug}/book/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "This event is busy, please try again in a moment." in body
    assert "govuk-error-summary" in body and body.count("<h1") == 1
    assert f'action="/events/{event.slug}/book/"' in body and "Try again" in body


@pytest.mark.django_db
def test_book_view_waiting_message_uses_the_position_from_the_booking(client, member):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    BookingFactory(event=event, status="waiting")
    client.force_login(member)
    response = client.post(f"/events/{event.slug}/book/", follow=True)
    assert "number 2 in line" in response.content.decode()


# PostgreSQL: a real lock held by another connection --------------------------------


@pytest.fixture
def short_lock_timeout(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "EVENT_LOCK_TIMEOUT": 0.2}


class EventLockHolder:
    """Another connection that locks the event row (SELECT ... FOR UPDATE in an open
    transaction) until ``release()``, as a slow booking would."""

    def __init__(self, event: Event):
        self.event_id = event.pk
        self.locked = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=self.event_id)
                self.locked.set()
                self.done.wait(timeout=30)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        assert self.locked.wait(timeout=10)
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(timeout=10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_booking_while_the_event_is_locked_gets_the_busy_page_not_a_hang(
    short_lock_timeout,
):
    event = EventFactory()
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    with EventLockHolder(event):
        started = time.monotonic()
        response = client.post(f"/events/{event.slug}/book/")
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "This event is busy, please try again in a moment." in response.content.decode()
    assert waited < 2  # the 0.2 s lock timeout, not the holder's 30 s
    assert not Booking.objects.filter(event=event).exists()
    assert not OutboundEmail.objects.exists()
    # Once the lock is free the same button books.
    response = client.post(f"/events/{event.slug}/book/")
    assert response.status_code == 302
    assert Booking.objects.get(event=event).status == Booking.Status.CONFIRMED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancelling_while_the_event_is_locked_is_a_busy_message_not_a_500(
    short_lock_timeout,
):
    booking = BookingFactory()
    client = Client()
    client.force_login(booking.member)
    with EventLockHolder(booking.event):
        response = client.post(f"/events/bookings/{booking.pk}/cancel/", follow=True)
    assert response.status_code == 200
    assert "This event is busy, please try again in a moment." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_service_raises_busy_with_its_code(short_lock_timeout):
    event = EventFactory()
    member = MemberFactory()
    with EventLockHolder(event), pytest.raises(services.EventBusyError) as raised:
        services.booking_create(event=event, member=member)
    assert raised.value.code == "busy"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_erasing_an_account_waits_for_a_busy_event_instead_of_failing(short_lock_timeout):
    """Erasure cancels the member's bookings through ``booking_cancel``; with the
    member-facing lock timeout it failed ("busy", or a raw lock error later in the same
    transaction) while another booking held the event."""
    from talenthub.core.personal_data import erase_account

    booking = BookingFactory()
    holder = EventLockHolder(booking.event)
    with holder:
        threading.Timer(0.6, holder.done.set).start()  # the other booking finishes
        erase_account(booking.member)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
