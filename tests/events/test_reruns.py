"""Re-runs: the people waiting for a full event are offered the re-run's places first,
and nobody loses their place in the original's queue until they take the re-run place."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import Booking, Event

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def full_event():
    """A full event (one place, taken) with four people waiting, A to D in that order."""
    original = EventFactory(
        title="Belonging in the NHS: inclusive recruitment",
        capacity=1,
        promotion_policy=Event.PromotionPolicy.OFFER,
    )
    holder = BookingFactory(event=original)
    now = timezone.now()
    waiting = [
        BookingFactory(event=original, status="waiting", joined_at=now - timedelta(minutes=10 - i))
        for i in range(4)
    ]
    return original, holder, waiting


def publish_rerun(commit, original, *, capacity=1, policy=Event.PromotionPolicy.OFFER):
    rerun = services.event_rerun_create(
        event=original, starts_at=original.starts_at + timedelta(days=7)
    )
    Event.objects.filter(pk=rerun.pk).update(capacity=capacity, promotion_policy=policy)
    rerun.refresh_from_db()
    commit(services.event_publish, event=rerun)
    return rerun


def positions(bookings):
    return [services.waiting_position(Booking.objects.get(pk=b.pk)) for b in bookings]


def mail_to(booking):
    return [m for m in mail.outbox if m.to == [booking.member.email]]


def test_the_offer_says_it_is_a_rerun_and_that_the_original_place_in_line_is_kept(
    commit, full_event
):
    original, _, waiting = full_event
    rerun = publish_rerun(commit, original)
    offer = rerun.bookings.get()
    assert offer.member == waiting[0].member and offer.status == "offered"
    assert offer.rerun_source_id == waiting[0].pk
    # Still waiting for the original, first in line.
    assert positions(waiting) == [1, 2, 3, 4]
    [email] = mail_to(waiting[0])
    assert "re-run" in email.subject
    assert "re-run of Belonging in the NHS: inclusive recruitment" in email.body
    assert "you keep your place in that line until you accept" in email.body
    assert "you stay on that waiting list exactly where you are" in email.body


@pytest.mark.parametrize("how", ["decline", "lapse", "cancel"])
def test_declining_or_letting_the_rerun_offer_lapse_keeps_the_place_on_the_original(
    commit, full_event, how
):
    original, _, waiting = full_event
    rerun = publish_rerun(commit, original)
    offer = rerun.bookings.get()
    before = Booking.objects.get(pk=waiting[0].pk)
    if how == "decline":
        commit(services.offer_decline, booking=offer, member=offer.member)
    elif how == "lapse":
        commit(services.offers_expire, now=offer.offer_expires_at + timedelta(minutes=1))
    else:
        commit(services.booking_cancel, booking=offer, actor=offer.member)
    after = Booking.objects.get(pk=waiting[0].pk)
    assert after.status == "waiting"
    assert (after.priority, after.joined_at) == (before.priority, before.joined_at)
    assert positions(waiting) == [1, 2, 3, 4]
    # Nothing about the original entry was emailed: it did not change.
    keys = [m.extra_headers["X-TalentHub-Key"] for m in mail.outbox]
    assert not [k for k in keys if k.startswith("booking.") and k.split(":")[1] == str(before.pk)]


def test_accepting_the_rerun_offer_ends_the_original_entry_and_the_next_person_moves_up(
    commit, full_event
):
    original, holder, waiting = full_event
    rerun = publish_rerun(commit, original)
    offer = rerun.bookings.get()
    commit(services.offer_accept, booking=offer, member=offer.member)

    ended = Booking.objects.get(pk=waiting[0].pk)
    assert ended.status == "cancelled" and ended.ended_at is not None
    assert ended.end_reason == "Took a place on the re-run"
    assert Booking.objects.get(pk=offer.pk).status == "confirmed"
    assert positions(waiting[1:]) == [1, 2, 3]
    booked = mail_to(waiting[0])[-1]
    assert booked.subject.endswith("Your place is booked on the re-run: " + rerun.title)
    assert "your entry on the waiting list for" in booked.body and "has ended" in booked.body

    # A place frees on the original: the next person there gets it, nobody is skipped.
    commit(services.booking_cancel, booking=holder, actor=holder.member)
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == ["cancelled", "offered", "waiting", "waiting"]
    assert positions(waiting[2:]) == [1, 2]


def test_an_automatic_rerun_place_ends_the_original_entry_at_once_and_says_so(commit, full_event):
    original, _, waiting = full_event
    rerun = publish_rerun(commit, original, capacity=2, policy=Event.PromotionPolicy.AUTOMATIC)
    assert sorted(rerun.bookings.values_list("member", "status")) == sorted(
        [(waiting[0].member_id, "confirmed"), (waiting[1].member_id, "confirmed")]
    )
    assert [Booking.objects.get(pk=b.pk).status for b in waiting] == [
        "cancelled",
        "cancelled",
        "waiting",
        "waiting",
    ]
    assert positions(waiting[2:]) == [1, 2]
    [promoted] = mail_to(waiting[0])
    assert "You have a place on the re-run" in promoted.subject
    assert "has ended" in promoted.body


def test_promoted_on_the_original_meanwhile_keeps_both_and_is_told(commit, full_event):
    """A's place on the original came up while A held the re-run offer: accepting the
    re-run leaves the original offer alone (A chooses) and the email says so."""
    original, holder, waiting = full_event
    rerun = publish_rerun(commit, original)
    offer = rerun.bookings.get()
    commit(services.booking_cancel, booking=holder, actor=holder.member)
    assert Booking.objects.get(pk=waiting[0].pk).status == "offered"
    commit(services.offer_accept, booking=offer, member=offer.member)
    assert Booking.objects.get(pk=waiting[0].pk).status == "offered"
    assert "You also hold an offer of a place for" in mail_to(waiting[0])[-1].body


def test_the_offer_page_explains_the_rerun(client, commit, full_event):
    original, _, waiting = full_event
    rerun = publish_rerun(commit, original)
    offer = rerun.bookings.get()
    client.force_login(offer.member)
    page = client.get(f"/events/bookings/{offer.pk}/accept/").content.decode()
    assert "This event is a re-run of" in page
    assert "You keep your place on that event" in page
    assert "(re-run)" in client.get("/events/my-bookings/").content.decode()


def test_the_rerun_announcement_prints_the_places_left_when_it_is_sent(commit, full_event):
    """The re-run's two places go to the original's waiting list first: the members
    announced to afterwards are told what is left, not the capacity."""
    from talenthub.core.models import OutboundEmail
    from tests.factories import MemberFactory

    original, _holder, _waiting = full_event
    member = MemberFactory(profile__region=original.organiser.region)
    rerun = publish_rerun(commit, original, capacity=3)
    body = OutboundEmail.objects.get(key=f"event.announced:{rerun.pk}:{member.pk}").body_text
    assert "Places: 0 of 3 left" not in body
    assert "all taken; you can join the waiting list" in body
    assert "Places: 3" not in body
