from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from events import services
from events.models import Booking, Event
from talenthub.core.choices import Region
from talenthub.core.models import AuditLog, OutboundEmail
from tests.factories import ManagerFactory, MemberFactory, ProviderFactory
from tests.helpers import raises_code

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db

# Where factory members live: an event organised there is announced to them.
MEMBERS_REGION = Region.EAST_MIDLANDS


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and its after-commit work (promotion task, email sending)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def keys():
    return sorted(OutboundEmail.objects.values_list("key", flat=True))


def test_booking_confirms_until_full_then_waits_with_position(commit):
    event = EventFactory(capacity=2)
    members = MemberFactory.create_batch(4)
    bookings = [commit(services.booking_create, event=event, member=m) for m in members]
    assert [b.status for b in bookings] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [services.waiting_position(b) for b in bookings] == [None, None, 1, 2]
    subjects = [m.subject for m in mail.outbox]
    assert sum("Your place is booked" in s for s in subjects) == 2
    assert sum("waiting list" in s for s in subjects) == 2
    assert "number 2 in line" in mail.outbox[3].body


def test_one_active_entry_per_member(member):
    event = EventFactory()
    services.booking_create(event=event, member=member)
    with raises_code(services.BookingError, "already_booked"):
        services.booking_create(event=event, member=member)
    # The database refuses it too (partial unique constraint).
    with pytest.raises(IntegrityError):
        BookingFactory(event=event, member=member, status=Booking.Status.WAITING)


def test_member_can_book_again_after_cancelling(member, commit):
    event = EventFactory()
    first = commit(services.booking_create, event=event, member=member)
    commit(services.booking_cancel, booking=first, actor=member)
    again = commit(services.booking_create, event=event, member=member)
    assert again.status == "confirmed" and again.pk != first.pk


def test_booking_closed_outside_window(member):
    event = EventFactory(booking_closes_at=timezone.now() - timedelta(minutes=1))
    with raises_code(services.BookingError, "booking_closed"):
        services.booking_create(event=event, member=member)
    draft = EventFactory(status=Event.Status.DRAFT)
    with raises_code(services.BookingError, "booking_closed"):
        services.booking_create(event=draft, member=member)


def test_booking_before_it_opens_says_it_is_not_open_yet_not_closed(member):
    opens = timezone.now() + timedelta(days=1)
    event = EventFactory(booking_opens_at=opens)
    with raises_code(services.BookingError, "booking_not_open_yet") as info:
        services.booking_create(event=event, member=member)
    assert "not open yet" in info.value.message and "closed" not in info.value.message


def test_booking_must_close_before_the_event_starts():
    event = EventFactory.build(organiser=ProviderFactory())
    event.booking_closes_at = event.starts_at + timedelta(hours=1)
    with raises_code(services.BookingError, "booking_closes_after_start") as info:
        services.event_create(
            **{f.name: getattr(event, f.name) for f in Event._meta.fields if f.name != "id"}
        )
    assert "booking_closes_at" in info.value.field_errors
    # The window's own order is refused too, in words.
    event.booking_closes_at = event.booking_opens_at - timedelta(hours=1)
    with raises_code(services.BookingError, "event_booking_window_order"):
        services.event_create(
            **{f.name: getattr(event, f.name) for f in Event._meta.fields if f.name != "id"}
        )


def test_attendance_cannot_be_recorded_before_the_events_day(member):
    """From the day of the event (the door list's rule: people arrive before the start),
    never for an event days ahead."""
    booking = BookingFactory(event=EventFactory(starts_at=timezone.now() + timedelta(days=3)))
    manager = ManagerFactory()
    with raises_code(services.BookingError, "checkin_not_open"):
        services.attendance_mark(booking=booking, attendance="attended", actor=manager)
    with time_machine.travel(booking.event.starts_at + timedelta(minutes=5)):
        services.attendance_mark(booking=booking, attendance="attended", actor=manager)
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"


def test_newcomer_does_not_jump_the_queue(member):
    """A free place with people waiting goes to the first in line, not a newcomer."""
    event = EventFactory(capacity=1)
    BookingFactory(event=event, status="waiting")
    booking = services.booking_create(event=event, member=member)
    assert booking.status == "waiting"
    assert services.waiting_position(booking) == 2


def test_cancellation_promotes_first_in_line_by_priority_then_time(commit):
    event = EventFactory(capacity=1)
    holder = BookingFactory(event=event)
    now = timezone.now()
    early = BookingFactory(event=event, status="waiting", joined_at=now - timedelta(hours=2))
    urgent = BookingFactory(event=event, status="waiting", joined_at=now, priority=5)
    commit(services.booking_cancel, booking=holder, actor=holder.member)
    urgent.refresh_from_db()
    early.refresh_from_db()
    assert urgent.status == "confirmed"
    assert early.status == "waiting"
    assert services.waiting_position(early) == 1
    assert f"booking.promoted:{urgent.pk}" in keys()
    assert f"booking.cancelled:{holder.pk}" in keys()
    assert len(mail.outbox) == 2


def test_offer_policy_offer_accept_and_decline(commit):
    event = EventFactory(capacity=1, promotion_policy="offer", offer_hours=24)
    holder = BookingFactory(event=event)
    first = BookingFactory(event=event, status="waiting")
    second = BookingFactory(event=event, status="waiting")
    commit(services.booking_cancel, booking=holder, actor=holder.member)
    first.refresh_from_db()
    assert first.status == "offered" and first.offer_number == 1
    assert first.offer_expires_at == pytest.approx(
        timezone.now() + timedelta(hours=24), abs=timedelta(minutes=1)
    )
    offer_mail = [m for m in mail.outbox if m.to == [first.member.email]][0]
    assert f"/events/bookings/{first.pk}/accept/" in offer_mail.body
    # Declining passes the place on at once.
    commit(services.offer_decline, booking=first, member=first.member)
    second.refresh_from_db()
    assert second.status == "offered"
    commit(services.offer_accept, booking=second, member=second.member)
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert f"booking.booked:{second.pk}" in keys()


def test_offer_cannot_be_accepted_by_someone_else_or_after_expiry(member):
    offer = BookingFactory(status="offered", offer_expires_at=timezone.now() - timedelta(minutes=1))
    with raises_code(services.BookingError, "not_your_offer"):
        services.offer_accept(booking=offer, member=member)
    with raises_code(services.BookingError, "offer_expired"):
        services.offer_accept(booking=offer, member=offer.member)


def test_offers_expire_and_pass_on_once(commit):
    event = EventFactory(capacity=1, promotion_policy="offer")
    offer = BookingFactory(
        event=event,
        status="offered",
        offer_number=1,
        offer_expires_at=timezone.now() - timedelta(minutes=1),
    )
    nxt = BookingFactory(event=event, status="waiting")
    assert commit(services.offers_expire) == 1
    assert commit(services.offers_expire) == 0
    offer.refresh_from_db()
    nxt.refresh_from_db()
    assert offer.status == "expired"
    assert nxt.status == "offered"
    assert keys().count(f"booking.offer-expired:{offer.pk}:1") == 1
    assert len(mail.outbox) == 2


def test_accepted_then_cancelled_frees_place_for_next(commit):
    event = EventFactory(capacity=1, promotion_policy="offer")
    offer = BookingFactory(event=event, status="offered", offer_number=1)
    nxt = BookingFactory(event=event, status="waiting")
    commit(services.offer_accept, booking=offer, member=offer.member)
    commit(services.booking_cancel, booking=offer, actor=offer.member)
    nxt.refresh_from_db()
    assert nxt.status == "offered"


def test_capacity_increase_promotes_and_cannot_drop_below_held(commit):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    waiting = BookingFactory.create_batch(3, event=event, status="waiting")
    commit(services.event_update, event=event, capacity=3)
    assert [Booking.objects.get(pk=b.pk).status for b in waiting] == [
        "confirmed",
        "confirmed",
        "waiting",
    ]
    with raises_code(services.BookingError, "capacity_below_held"):
        services.event_update(event=event, capacity=2)


def test_event_change_emails_holders_once_per_revision(commit):
    event = EventFactory()
    booked = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    BookingFactory(event=event, status="cancelled")
    commit(services.event_update, event=event, venue="Guy's Hospital, London")
    commit(services.event_update, event=event, summary="Only the summary changed.")
    assert [k for k in keys() if "event-changed" in k] == sorted(
        [f"booking.event-changed:{booked.pk}:1", f"booking.event-changed:{waiting.pk}:1"]
    )


def test_event_change_email_says_what_changed_and_has_a_waiting_list_version(commit):
    event = EventFactory(venue="200 Aldersgate, London")
    booked = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    commit(services.event_update, event=event, venue="Guy's Hospital, London")
    to_booked = OutboundEmail.objects.get(key=f"booking.event-changed:{booked.pk}:1").body_text
    to_waiting = OutboundEmail.objects.get(key=f"booking.event-changed:{waiting.pk}:1").body_text
    for body in (to_booked, to_waiting):
        assert "Venue: now Guy's Hospital, London (was 200 Aldersgate, London)" in body
    assert "so someone else can have your place" in to_booked
    assert "so someone else can have your place" not in to_waiting
    assert "still on the waiting list" in to_waiting


def test_a_changed_online_link_is_shown_only_to_people_holding_a_place(commit):
    event = EventFactory(venue="", online_link="https://meet.example/old")
    booked = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    commit(services.event_update, event=event, online_link="https://meet.example/new")
    to_booked = OutboundEmail.objects.get(key=f"booking.event-changed:{booked.pk}:1").body_text
    to_waiting = OutboundEmail.objects.get(key=f"booking.event-changed:{waiting.pk}:1").body_text
    assert "https://meet.example/new" in to_booked
    assert "meet.example" not in to_waiting


def test_announcement_says_when_booking_opens_if_it_opens_later(commit):
    member = MemberFactory(profile__region=MEMBERS_REGION)
    later = EventFactory(
        status="draft",
        organiser__region=MEMBERS_REGION,
        booking_opens_at=timezone.now() + timedelta(days=3),
    )
    now_open = EventFactory(status="draft", organiser__region=MEMBERS_REGION)
    commit(services.event_publish, event=later)
    commit(services.event_publish, event=now_open)
    body = OutboundEmail.objects.get(key=f"event.announced:{later.pk}:{member.pk}").body_text
    assert "has opened booking" not in body
    assert "Booking opens on" in body
    body = OutboundEmail.objects.get(key=f"event.announced:{now_open.pk}:{member.pk}").body_text
    assert "has opened booking" in body and "Booking opens on" not in body
    assert "Places: 10 of 10 left" in body


def test_publish_four_week_rule_and_override_is_audited():
    manager = ManagerFactory()
    event = EventFactory(status="draft", starts_at=timezone.now() + timedelta(weeks=6))
    with raises_code(services.BookingError, "publish_too_early"):
        services.event_publish(event=event, actor=manager)
    services.event_publish(event=event, actor=manager, override=True, reason="Board asked")
    event.refresh_from_db()
    assert event.status == "published"
    entry = AuditLog.objects.get(action="event.published.override")
    assert entry.actor == manager and entry.reason == "Board asked"


def test_publish_announces_to_opted_in_members_once_each(commit):
    opted_in = MemberFactory.create_batch(3)
    opted_out = MemberFactory()
    opted_out.profile.email_event_announcements = False
    opted_out.profile.save()
    event = EventFactory(status="draft", organiser__region=MEMBERS_REGION)
    commit(services.event_publish, event=event)
    announced = sorted(k for k in keys() if k.startswith("event.announced"))
    assert announced == sorted(f"event.announced:{event.pk}:{m.pk}" for m in opted_in)
    # A repeated batch sends nothing more.
    assert services.event_announce_batch(event_id=event.pk, first_id=0, last_id=10**9) == 0


def test_announcements_carry_one_click_unsubscribe(commit, client):
    event = EventFactory(status="draft")
    member = MemberFactory(profile__region=event.organiser.region)
    commit(services.event_publish, event=event)
    row = OutboundEmail.objects.get(key=f"event.announced:{event.pk}:{member.pk}")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = row.headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    assert link.startswith(settings.SITE_URL + "/accounts/unsubscribe/")
    assert link in row.body_text
    sent = mail.outbox[-1]
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200
    member.profile.refresh_from_db()
    assert member.profile.email_event_announcements is True  # GET only asks
    client.post(link.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"})
    member.profile.refresh_from_db()
    assert member.profile.email_event_announcements is False


def test_announcement_batches_are_id_ranges():
    members = MemberFactory.create_batch(7)
    event = EventFactory(organiser__region=MEMBERS_REGION)
    from events.services.events import announcement_batches

    batches = list(announcement_batches(event, batch_size=3))
    ids = sorted(m.pk for m in members)
    assert batches == [(ids[0], ids[2]), (ids[3], ids[5]), (ids[6], ids[6])]


def test_cancel_event_tells_everyone_once(commit):
    event = EventFactory()
    bookings = [BookingFactory(event=event), BookingFactory(event=event, status="waiting")]
    commit(services.event_cancel, event=event, reason="Speaker unwell")
    commit(services.event_cancel, event=event, reason="Speaker unwell")
    assert sorted(k for k in keys() if "event-cancelled" in k) == sorted(
        f"booking.event-cancelled:{b.pk}" for b in bookings
    )
    assert len(mail.outbox) == 2
    assert all(Booking.objects.get(pk=b.pk).status == "cancelled" for b in bookings)


def test_rerun_offers_waiting_people_first_in_order(commit):
    original = EventFactory(capacity=1, promotion_policy="offer", organiser__region=MEMBERS_REGION)
    BookingFactory(event=original)
    now = timezone.now()
    waiting = [
        BookingFactory(event=original, status="waiting", joined_at=now - timedelta(minutes=3 - i))
        for i in range(3)
    ]
    rerun = services.event_rerun_create(
        event=original, starts_at=original.starts_at + timedelta(days=7)
    )
    rerun.capacity = 2
    rerun.save()
    outsider = MemberFactory()
    commit(services.event_publish, event=rerun)
    rerun_bookings = list(rerun.bookings.order_by("joined_at"))
    assert [b.member for b in rerun_bookings] == [waiting[0].member, waiting[1].member]
    assert all(b.status == "offered" for b in rerun_bookings)
    assert Booking.objects.get(pk=waiting[2].pk).status == "waiting"
    # Those offered keep their place on the original's list until they take the re-run
    # place (tests/events/test_reruns.py).
    assert Booking.objects.get(pk=waiting[0].pk).status == "waiting"
    assert [b.rerun_source_id for b in rerun_bookings] == [waiting[0].pk, waiting[1].pk]
    # Then everyone else hears about it, but not those already offered.
    assert f"event.announced:{rerun.pk}:{outsider.pk}" in keys()
    assert f"event.announced:{rerun.pk}:{waiting[0].member.pk}" not in keys()


def test_manager_moves_and_priorities_need_a_reason_and_are_audited():
    manager = ManagerFactory()
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    now = timezone.now()
    queue = [
        BookingFactory(event=event, status="waiting", joined_at=now + timedelta(seconds=i))
        for i in range(4)
    ]
    with raises_code(services.BookingError, "reason_required"):
        services.waiting_list_move(booking=queue[3], position=1, actor=manager, reason=" ")
    services.waiting_list_move(
        booking=queue[3], position=2, actor=manager, reason="Speaker's deputy"
    )
    order = list(event.bookings.waiting().in_queue_order())
    assert order == [queue[0], queue[3], queue[1], queue[2]]
    services.waiting_list_move(booking=queue[0], position=3, actor=manager, reason="Asked to wait")
    assert list(event.bookings.waiting().in_queue_order()) == [
        queue[3],
        queue[1],
        queue[0],
        queue[2],
    ]
    services.waiting_list_set_priority(
        booking=queue[2], priority=3, actor=manager, reason="Redeployed staff"
    )
    assert list(event.bookings.waiting().in_queue_order())[0] == queue[2]
    entries = AuditLog.objects.filter(object_type="events.booking").order_by("at", "id")
    assert [e.action for e in entries] == [
        "booking.moved",
        "booking.moved",
        "booking.priority_changed",
    ]
    assert all(e.actor == manager and e.reason for e in entries)


def test_manager_removal_needs_reason(commit):
    manager = ManagerFactory()
    booking = BookingFactory()
    with raises_code(services.BookingError, "reason_required"):
        services.booking_cancel(booking=booking, actor=manager)
    commit(services.booking_cancel, booking=booking, actor=manager, reason="Duplicate registration")
    assert AuditLog.objects.get(action="booking.removed").reason == "Duplicate registration"
    assert "Duplicate registration" in mail.outbox[0].body


def test_attendance_only_for_confirmed():
    manager = ManagerFactory()
    booking = BookingFactory()
    services.attendance_mark(
        booking=booking, attendance="attended", actor=manager, now=booking.event.starts_at
    )
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"
    with raises_code(services.BookingError, "attendance_not_confirmed"):
        services.attendance_mark(
            booking=BookingFactory(status="waiting"), attendance="no_show", actor=manager
        )
    with pytest.raises(IntegrityError):
        BookingFactory(status="waiting", attendance="attended")


def test_reminders_sent_once_and_not_when_already_past_at_booking(commit):
    now = timezone.now()
    event = EventFactory(starts_at=now + timedelta(days=10))
    early = BookingFactory(event=event, confirmed_at=now - timedelta(days=2))
    with time_machine.travel(now + timedelta(days=3, hours=1), tick=False):
        assert commit(services.reminders_send) == 1  # the 7-day reminder for `early`
        assert commit(services.reminders_send) == 0
    with time_machine.travel(now + timedelta(days=4), tick=False):
        # Booked 6 days before: its 7-day reminder time had already passed.
        late = BookingFactory(event=event, confirmed_at=timezone.now())
        assert commit(services.reminders_send) == 0
    with time_machine.travel(now + timedelta(days=9, hours=1), tick=False):
        assert commit(services.reminders_send) == 2  # 1-day reminders for both
        assert commit(services.reminders_send) == 0
    reminder_keys = [k for k in keys() if "reminder" in k]
    assert sorted(reminder_keys) == sorted(
        [
            f"booking.reminder-7d:{early.pk}",
            f"booking.reminder-1d:{early.pk}",
            f"booking.reminder-1d:{late.pk}",
        ]
    )
    assert "tomorrow" in mail.outbox[-1].subject


def test_reminders_respect_opt_out():
    now = timezone.now()
    booking = BookingFactory(
        event=EventFactory(starts_at=now + timedelta(hours=20)),
        confirmed_at=now - timedelta(days=5),
    )
    booking.member.profile.email_reminders = False
    booking.member.profile.save()
    assert services.reminders_send() == 0


def test_calendar_feed_reset_changes_token(member):
    feed = services.calendar_feed_get_or_create(user=member)
    old = feed.token
    assert services.calendar_feed_reset(user=member).token != old
