"""Concurrency proofs for passing a place on (PostgreSQL, real threads, one connection
each, released together by ``tests.concurrency``): the colleague accepting while the
holder cancels, the same offer accepted twice at once, and one colleague accepting two
offers on the same event at once. Each ends in exactly one outcome: capacity is never
exceeded and nobody holds two entries on an event.

``transfers.AFTER_CHECK_HOOK`` sleeps between the accept's checks and its writes, so a
writer that skipped the event lock would act on what the accept had just checked."""

import time

import pytest

from events import services
from events.models import Booking, Event, PlaceTransfer
from events.services import transfers
from tests.concurrency import run_at_once
from tests.factories import MemberFactory, OrganisationFactory

from .factories import BookingFactory, EventFactory, PlaceTransferFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race_window(monkeypatch):
    monkeypatch.setattr(transfers, "AFTER_CHECK_HOOK", lambda: time.sleep(0.05))


def full_event_with_offer():
    """Capacity 2, both places taken, one person waiting; the first holder offers their
    place to a colleague."""
    organisation = OrganisationFactory()
    event = EventFactory(capacity=2, transfer_policy=Event.TransferPolicy.ORGANISATION)
    holder = MemberFactory(profile__organisation=organisation)
    colleague = MemberFactory(profile__organisation=organisation)
    booking = BookingFactory(event=event, member=holder)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status=Booking.Status.WAITING)
    transfer = services.place_transfer_offer(booking=booking, holder=holder, email=colleague.email)
    return event, booking, holder, colleague, waiting, transfer


def assert_invariants(event):
    held = event.bookings.holding_place().count()
    assert held <= event.capacity
    members = list(event.bookings.active().values_list("member_id", flat=True))
    assert len(members) == len(set(members)), "someone holds two entries"


@pytest.mark.parametrize("round_", range(4))
def test_accept_while_the_holder_cancels_has_one_outcome(race_window, round_):
    event, booking, holder, colleague, waiting, transfer = full_event_with_offer()
    results, errors = run_at_once(
        [
            lambda: services.place_transfer_accept(transfer=transfer, member=colleague),
            lambda: services.booking_cancel(booking=booking, actor=holder),
        ]
    )
    assert len(errors) == 1, errors  # exactly one of the two went through
    assert isinstance(errors[0], services.BookingError)
    booking.refresh_from_db()
    transfer.refresh_from_db()
    waiting.refresh_from_db()
    colleague_booking = event.bookings.active().filter(member=colleague).first()
    if results[0] is not None:  # the accept won: the cancel found the booking ended
        assert errors[0].code == "booking_ended"
        assert booking.status == Booking.Status.TRANSFERRED
        assert transfer.status == PlaceTransfer.Status.ACCEPTED
        assert colleague_booking.status == Booking.Status.CONFIRMED
        assert waiting.status == Booking.Status.WAITING  # no place was freed
    else:  # the cancel won: the offer ended with the place, which went to the queue
        assert errors[0].code == "transfer_not_open"
        assert booking.status == Booking.Status.CANCELLED
        assert transfer.status == PlaceTransfer.Status.CANCELLED
        assert colleague_booking is None
        assert waiting.status == Booking.Status.CONFIRMED  # promoted after commit
    assert event.bookings.holding_place().count() == event.capacity
    assert_invariants(event)


def test_the_same_offer_accepted_twice_at_once_books_once(race_window):
    event, booking, _holder, colleague, _waiting, transfer = full_event_with_offer()
    results, errors = run_at_once(
        [lambda: services.place_transfer_accept(transfer=transfer, member=colleague)] * 2
    )
    assert [e.code for e in errors] == ["transfer_not_open"]
    assert sum(r is not None for r in results) == 1
    assert event.bookings.filter(member=colleague).count() == 1
    assert event.bookings.holding_place().count() == event.capacity
    assert_invariants(event)


def test_one_colleague_accepting_two_offers_on_one_event_gets_one_place(race_window):
    """Two holders offer their places on the same event to the same colleague (allowed:
    the colleague held nothing then); both accepts at once: one place, the other holder
    keeps theirs."""
    event = EventFactory(capacity=3, transfer_policy=Event.TransferPolicy.ANYONE)
    colleague = MemberFactory()
    offers = [
        PlaceTransferFactory(booking=BookingFactory(event=event), recipient=colleague)
        for _ in range(2)
    ]
    results, errors = run_at_once(
        [
            lambda transfer=transfer: services.place_transfer_accept(
                transfer=transfer, member=colleague
            )
            for transfer in offers
        ]
    )
    assert [e.code for e in errors] == ["recipient_already_booked"]
    assert event.bookings.active().filter(member=colleague).count() == 1
    assert sorted(t.booking.__class__.objects.get(pk=t.booking_id).status for t in offers) == [
        "confirmed",
        "transferred",
    ]
    assert event.bookings.holding_place().count() == 2
    assert_invariants(event)
