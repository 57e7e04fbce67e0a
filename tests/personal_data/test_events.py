"""The events section: export the member's bookings and feed; erasure cancels active
entries through the booking service so the next person is promoted, and keeps history."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Booking, CalendarFeed, Event
from events.services import booking_create, calendar_feed_get_or_create, offers_expire
from talenthub.core import personal_data
from talenthub.core.models import OutboundEmail
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def exported(user) -> dict:
    return json.loads(json.dumps(personal_data.export_personal_data(user)))["sections"]


def test_export_lists_bookings_waiting_position_and_feed():
    me, other = MemberFactory(), MemberFactory()
    full = EventFactory(title="Belonging in the NHS", capacity=1)
    booking_create(event=full, member=other)
    booking_create(event=full, member=MemberFactory())
    booking_create(event=full, member=me)
    past = EventFactory(
        title="Workforce planning masterclass",
        starts_at=timezone.now() - timedelta(days=30),
        booking_opens_at=timezone.now() - timedelta(days=60),
        booking_closes_at=timezone.now() - timedelta(days=31),
    )
    BookingFactory(event=past, member=me, attendance=Booking.Attendance.ATTENDED)
    BookingFactory(event=past, member=other)
    feed = calendar_feed_get_or_create(user=me)

    section = exported(me)["events"]

    by_title = {b["event"]: b for b in section["bookings"]}
    assert set(by_title) == {"Belonging in the NHS", "Workforce planning masterclass"}
    assert by_title["Belonging in the NHS"]["status"] == "waiting"
    assert by_title["Belonging in the NHS"]["waiting_position"] == 2
    assert by_title["Workforce planning masterclass"]["attendance"] == "attended"
    assert section["calendar_feed"]["token"] == feed.token
    # Only the member's own entries: not the other people's on the same events.
    assert len(section["bookings"]) == 2
    assert other.email not in json.dumps(section) and other.full_name not in json.dumps(section)


def test_export_of_someone_without_bookings_is_empty():
    BookingFactory()
    section = exported(MemberFactory())["events"]
    assert section == {
        "booking_opens_alerts": [],
        "bookings": [],
        "calendar_feed": None,
        "place_transfers": [],
    }


@pytest.mark.parametrize("policy", [Event.PromotionPolicy.AUTOMATIC, Event.PromotionPolicy.OFFER])
def test_erasure_frees_the_place_for_the_next_person(policy, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1, promotion_policy=policy)
    leaver, first, second = MemberFactory(), MemberFactory(), MemberFactory()
    booking_create(event=event, member=leaver)
    booking_create(event=event, member=first)
    booking_create(event=event, member=second)
    leaver_email = leaver.email
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_account(leaver)

    mine = Booking.objects.get(event=event, member=leaver)
    assert mine.status == Booking.Status.CANCELLED
    assert mine.end_reason == "Account deleted"
    promoted = Booking.objects.get(event=event, member=first)
    expected = "confirmed" if policy == Event.PromotionPolicy.AUTOMATIC else "offered"
    assert promoted.status == expected
    assert Booking.objects.get(event=event, member=second).status == "waiting"
    # Capacity accounting: exactly one place held, by the first in line.
    assert event.bookings.holding_place().count() == 1
    # The next person is emailed as usual; the deleted member is not emailed at all.
    recipients = [address for message in mail.outbox for address in message.to]
    assert first.email in recipients
    assert leaver_email not in recipients
    assert not any(a.endswith("@invalid.invalid") for a in recipients)
    cancelled_email = OutboundEmail.objects.get(key=f"booking.cancelled:{mine.pk}")
    assert cancelled_email.status == OutboundEmail.Status.FAILED
    assert cancelled_email.to == "erased@invalid.invalid"


def test_erasure_cancels_waiting_entries_and_offers_without_touching_others(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1, promotion_policy=Event.PromotionPolicy.OFFER)
    holder = MemberFactory()
    BookingFactory(event=event, member=holder, status=Booking.Status.OFFERED, offer_number=1)
    leaver = MemberFactory()
    waiting = BookingFactory(event=event, member=leaver, status=Booking.Status.WAITING)
    other_event = EventFactory(capacity=1)
    offer = BookingFactory(
        event=other_event, member=leaver, status=Booking.Status.OFFERED, offer_number=1
    )
    behind = BookingFactory(event=other_event, status=Booking.Status.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_account(leaver)

    waiting.refresh_from_db()
    offer.refresh_from_db()
    behind.refresh_from_db()
    assert waiting.status == offer.status == Booking.Status.CANCELLED
    assert Booking.objects.get(event=event, member=holder).status == Booking.Status.OFFERED
    assert behind.status == Booking.Status.CONFIRMED
    assert other_event.bookings.holding_place().count() == 1


def test_erasure_keeps_history_and_attendance_counts(django_capture_on_commit_callbacks):
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=30),
        booking_opens_at=timezone.now() - timedelta(days=60),
        booking_closes_at=timezone.now() - timedelta(days=31),
    )
    leaver = MemberFactory()
    attended = BookingFactory(event=past, member=leaver, attendance=Booking.Attendance.ATTENDED)
    BookingFactory(event=past, attendance=Booking.Attendance.NO_SHOW)
    removed = BookingFactory(
        event=EventFactory(),
        member=leaver,
        status=Booking.Status.CANCELLED,
        ended_at=timezone.now(),
        end_reason=f"{leaver.full_name} asked us to remove them",
    )
    calendar_feed_get_or_create(user=leaver)
    counts_before = Event.objects.with_place_counts().get(pk=past.pk).confirmed_count

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_account(leaver)

    attended.refresh_from_db()
    removed.refresh_from_db()
    assert attended.status == Booking.Status.CONFIRMED
    assert attended.attendance == Booking.Attendance.ATTENDED
    assert Event.objects.with_place_counts().get(pk=past.pk).confirmed_count == counts_before
    assert past.bookings.filter(attendance="attended").count() == 1
    assert removed.end_reason == "(erased)"
    assert not CalendarFeed.objects.filter(user=leaver).exists()
    assert exported(leaver)["events"]["calendar_feed"] is None


def test_erasure_ends_an_open_offer_on_a_started_event_without_email(
    django_capture_on_commit_callbacks,
):
    """An offer capped at the start time would otherwise be expired by the job later,
    emailing the erased address."""
    started = EventFactory(
        starts_at=timezone.now() - timedelta(minutes=30),
        booking_opens_at=timezone.now() - timedelta(days=10),
        booking_closes_at=timezone.now() - timedelta(hours=2),
        promotion_policy=Event.PromotionPolicy.OFFER,
    )
    leaver = MemberFactory()
    offer = BookingFactory(
        event=started,
        member=leaver,
        status=Booking.Status.OFFERED,
        offer_number=1,
        offer_expires_at=started.starts_at,
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_account(leaver)
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_expire() == 0

    offer.refresh_from_db()
    assert offer.status == Booking.Status.CANCELLED
    assert mail.outbox == []
