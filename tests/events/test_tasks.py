"""Every task run twice gives the same state and no second email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import tasks
from events.models import Booking
from talenthub.core.choices import Region
from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(django_capture_on_commit_callbacks):
    def run(task, *args):
        results = []
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                results.append(task.delay(*args).get())
        return results

    return run


def state(event):
    return sorted(event.bookings.values_list("pk", "status", "offer_number"))


def test_promote_waiting_list_task_twice(twice):
    event = EventFactory(capacity=2)
    BookingFactory(event=event)
    waiting = BookingFactory.create_batch(3, event=event, status="waiting")
    assert twice(tasks.promote_waiting_list_task, event.pk) == [1, 0]
    assert Booking.objects.get(pk=waiting[0].pk).status == "confirmed"
    assert len(mail.outbox) == 1


def test_expire_offers_task_twice(twice):
    event = EventFactory(capacity=1, promotion_policy="offer")
    BookingFactory(
        event=event,
        status="offered",
        offer_number=1,
        offer_expires_at=timezone.now() - timedelta(seconds=1),
    )
    BookingFactory(event=event, status="waiting")
    assert twice(tasks.expire_offers_task) == [1, 0]
    assert sorted(s for _, s, _ in state(event)) == ["expired", "offered"]
    assert len(mail.outbox) == 2  # expired + the next person's offer


def test_send_event_reminders_task_twice(twice):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=12))
    BookingFactory(event=event, confirmed_at=timezone.now() - timedelta(days=3))
    assert twice(tasks.send_event_reminders_task) == [1, 0]
    assert len(mail.outbox) == 1


def test_announce_tasks_twice(twice):
    MemberFactory.create_batch(3)
    event = EventFactory(organiser__region=Region.EAST_MIDLANDS)  # the members' region
    assert twice(tasks.announce_event_task, event.pk) == [1, 1]  # one batch each run
    assert OutboundEmail.objects.filter(key__startswith="event.announced:").count() == 3
    assert len(mail.outbox) == 3


def test_announce_batch_task_twice_and_skips_unpublished(twice):
    members = MemberFactory.create_batch(2)
    event = EventFactory(organiser__region=Region.EAST_MIDLANDS)  # the members' region
    ids = sorted(m.pk for m in members)
    assert twice(tasks.announce_event_batch_task, event.pk, ids[0], ids[-1]) == [2, 0]
    draft = EventFactory(status="draft")
    assert twice(tasks.announce_event_batch_task, draft.pk, ids[0], ids[-1]) == [0, 0]


def test_a_promotion_that_dies_mid_task_is_rolled_back_and_its_retry_emails_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A worker dying after the first promotion was written but before commit: nothing
    of the half-done run remains, and the retry promotes and emails each person once."""
    from events.services import promotion

    event = EventFactory(capacity=2)
    waiting = BookingFactory.create_batch(2, event=event, status="waiting")
    real_notify = promotion.notify_booking
    calls = []

    def dies_on_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(promotion, "notify_booking", dies_on_second)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        tasks.promote_waiting_list_task.apply((event.pk,))
    assert set(event.bookings.values_list("status", flat=True)) == {"waiting"}
    assert not OutboundEmail.objects.exists()

    monkeypatch.setattr(promotion, "notify_booking", real_notify)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.promote_waiting_list_task.delay(event.pk)
        tasks.promote_waiting_list_task.delay(event.pk)
    assert all(Booking.objects.get(pk=b.pk).status == "confirmed" for b in waiting)
    assert len(mail.outbox) == 2


def lost_promotions():
    """Events whose promotion task was lost (the rows are written directly, as they were
    left): two due, and five that the sweep must leave alone."""
    now = timezone.now()
    automatic = EventFactory(capacity=2)
    BookingFactory(event=automatic)
    first, second = (
        BookingFactory(event=automatic, status="waiting", joined_at=now - timedelta(minutes=m))
        for m in (5, 1)
    )
    offer = EventFactory(capacity=1, promotion_policy="offer")
    offered = BookingFactory(event=offer, status="waiting")
    not_due = [
        EventFactory(status="draft"),
        EventFactory(status="cancelled"),
        EventFactory(
            starts_at=now - timedelta(minutes=5),
            booking_opens_at=now - timedelta(days=2),
            booking_closes_at=now - timedelta(hours=1),
        ),
        EventFactory(capacity=1),  # full
        EventFactory(capacity=3),  # free places, nobody waiting
    ]
    for event in not_due:
        if event.capacity == 1:
            BookingFactory(event=event)
        if event.capacity != 3:
            BookingFactory(event=event, status="waiting")
    return {"due": [automatic, offer], "not_due": not_due, "promoted": [first, offered]}, second


def test_promote_sweep_task_twice(twice):
    events, still_waiting = lost_promotions()
    before = {event.pk: state(event) for event in events["not_due"]}
    assert twice(tasks.promote_sweep_task) == [2, 0]
    first, offered = (Booking.objects.get(pk=b.pk) for b in events["promoted"])
    assert first.status == "confirmed" and offered.status == "offered"
    assert Booking.objects.get(pk=still_waiting.pk).status == "waiting"
    assert {event.pk: state(event) for event in events["not_due"]} == before
    # One email each: the promotion and the offer.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.member.email, offered.member.email]
    )
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == sorted(
        [f"booking.promoted:{first.pk}", f"booking.offered:{offered.pk}:1"]
    )


def test_promote_sweep_finds_due_events_in_one_query(django_assert_num_queries):
    for _ in range(3):
        lost_promotions()
    assert tasks.promote_sweep_task.delay().get() == 6
    # Nothing is due any more, among 21 events: the second run is the one query alone,
    # however many events there are.
    with django_assert_num_queries(1):
        assert tasks.promote_sweep_task.delay().get() == 0


def test_promote_sweep_is_on_the_beat_schedule(settings):
    from talenthub.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["events-promote-sweep"]
    assert entry["task"] == tasks.promote_sweep_task.name == "events.tasks.promote_sweep_task"
    assert entry["task"] in app.tasks
