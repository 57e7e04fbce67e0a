"""My bookings shows, for a member in every situation, exactly what it showed before it
was made cheaper (issue 16): positions on waiting lists, the order of both tables, the
offers of places made and received, the calendar feed address."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import dateformat, timezone

from events.models import Booking, CalendarFeed, Event, PlaceTransfer
from events.services import calendar_feed_url
from tests.factories import MemberFactory

from .factories import BookingFactory, CalendarFeedFactory, EventFactory, PlaceTransferFactory

pytestmark = pytest.mark.django_db


def _when(moment, fmt="j M Y, g:i a"):
    return dateformat.format(timezone.localtime(moment), fmt)


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rows(body):
    """The text of each row of the Upcoming and the Past tables, and of each offer received."""
    tables = re.findall(r'<tbody class="govuk-table__body">(.*?)</tbody>', body, re.S)
    rows = [[_text(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", t, re.S)] for t in tables]
    received = re.search(r"offered to you by colleagues</h2>\s*<ul[^>]*>(.*?)</ul>", body, re.S)
    offers = [_text(li) for li in re.findall(r"<li>(.*?)</li>", received.group(1), re.S)]
    return rows[0], rows[1], offers


def test_my_bookings_in_every_situation(client):
    now = timezone.now().replace(second=0, microsecond=0)
    me = MemberFactory(full_name="Mia Member")
    rita = MemberFactory(full_name="Rita Recipient")
    hana = MemberFactory(full_name="Hana Holder")

    def event(title, days, **kwargs):
        starts = now + timedelta(days=days)
        return EventFactory(
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            booking_opens_at=starts - timedelta(days=30),
            **kwargs,
        )

    anyone = Event.TransferPolicy.ANYONE
    # Booked, offered to Rita.
    alpha = event("Alpha", 2, transfer_policy=anyone)
    made = PlaceTransferFactory(booking=BookingFactory(event=alpha, member=me), recipient=rita)
    # First on a waiting list; third on another (one joined later, one with lower priority
    # behind); waiting entries of others elsewhere do not count.
    bravo = event("Bravo", 3, capacity=1)
    BookingFactory(event=bravo)
    BookingFactory(event=bravo, member=me, status="waiting", joined_at=now - timedelta(hours=5))
    BookingFactory(event=bravo, status="waiting", joined_at=now - timedelta(hours=1))
    charlie = event("Charlie", 4, capacity=1)
    BookingFactory(event=charlie)
    BookingFactory(event=charlie, status="waiting", joined_at=now - timedelta(hours=9))
    BookingFactory(event=charlie, status="waiting", joined_at=now - timedelta(hours=1), priority=1)
    BookingFactory(event=charlie, member=me, status="waiting", joined_at=now - timedelta(hours=3))
    BookingFactory(event=charlie, status="waiting", joined_at=now - timedelta(hours=2))
    BookingFactory(event=bravo, status="waiting", joined_at=now - timedelta(hours=9), priority=-1)
    # A place offered from the waiting list.
    delta = event("Delta", 5, promotion_policy="offer")
    deadline = now + timedelta(hours=30)
    BookingFactory(
        event=delta, member=me, status="offered", offer_number=1, offer_expires_at=deadline
    )
    # Cancelled (ends in the past table), booked with transfers allowed, booked with an
    # offer that has lapsed (not shown), booked where transfers are off; two past events.
    echo = event("Echo", 6)
    BookingFactory(event=echo, member=me, status="cancelled")
    golf = event("Golf", 7, transfer_policy=anyone)
    BookingFactory(event=golf, member=me)
    hotel = event("Hotel", 8, transfer_policy=anyone)
    PlaceTransferFactory(
        booking=BookingFactory(event=hotel, member=me),
        recipient=rita,
        expires_at=now - timedelta(hours=1),
    )
    kilo = event("Kilo", 9)
    BookingFactory(event=kilo, member=me)
    foxtrot = event("Foxtrot", -20)
    BookingFactory(event=foxtrot, member=me, attendance=Booking.Attendance.ATTENDED)
    lima = event("Lima", -10)
    BookingFactory(event=lima, member=me)
    # Offered to me: two open (shown soonest event first, not newest first), one lapsed,
    # one declined.
    juliet = PlaceTransferFactory(
        booking=BookingFactory(event=event("Juliet", 1, transfer_policy=anyone), member=hana),
        recipient=me,
    )
    india = PlaceTransferFactory(
        booking=BookingFactory(event=event("India", 12, transfer_policy=anyone), member=hana),
        recipient=me,
    )
    PlaceTransferFactory(
        booking=BookingFactory(event=event("Mike", 1, transfer_policy=anyone), member=hana),
        recipient=me,
        expires_at=now - timedelta(minutes=5),
    )
    PlaceTransferFactory(
        booking=BookingFactory(event=event("November", 1, transfer_policy=anyone), member=hana),
        recipient=me,
        status=PlaceTransfer.Status.DECLINED,
        ended_at=now,
    )

    client.force_login(me)
    client.get("/events/my-bookings/")  # the first visit makes the calendar feed
    body = client.get("/events/my-bookings/").content.decode()
    upcoming, past, offers = _rows(body)

    def row(e, status, actions):
        return f"{e.title} {_when(e.starts_at)} {status} {actions}".strip()

    cancel = "Cancel booking for {0}"
    assert upcoming == [
        row(
            alpha,
            "Booked Offered to Rita Recipient",
            cancel.format("Alpha") + " See your offer (Alpha)",
        ),
        row(bravo, "Waiting list You are 1st in line", "Leave the waiting list for Bravo"),
        row(charlie, "Waiting list You are 3rd in line", "Leave the waiting list for Charlie"),
        row(delta, f"Place offered Reply by {_when(deadline)}", "Respond to the offer for Delta"),
        row(golf, "Booked", cancel.format("Golf") + " Pass to a colleague (Golf)"),
        row(hotel, "Booked", cancel.format("Hotel") + " Pass to a colleague (Hotel)"),
        row(kilo, "Booked", cancel.format("Kilo")),
    ]
    assert past == [
        f"Echo {_when(echo.starts_at, 'j M Y')} Cancelled",
        f"Lima {_when(lima.starts_at, 'j M Y')} Booked",
        f"Foxtrot {_when(foxtrot.starts_at, 'j M Y')} Booked Attended",
    ]

    def offer(t):
        on = _when(t.booking.event.starts_at, "j M Y")
        return (
            f"Hana Holder offers you their place on {t.booking.event.title} ({on})."
            f" Reply by {_when(t.expires_at)}."
        )

    assert offers == [offer(juliet), offer(india)]
    for transfer in (juliet, india):
        assert reverse("events:transfer_respond", args=[transfer.pk]) in body
    assert reverse("events:transfer_offer", args=[made.booking.pk]) in body
    feed = CalendarFeed.objects.get(user=me)
    assert f'<code class="th-feed-url">{calendar_feed_url(feed=feed)}</code>' in body
    # Rita sees the offer from Mia, and no bookings; her feed is made on her first visit.
    client.force_login(rita)
    body = client.get("/events/my-bookings/").content.decode()
    assert "You have no upcoming bookings." in body and "None yet." in body
    assert "Mia Member offers you their place on Alpha" in _text(body)
    feed = CalendarFeed.objects.get(user=rita)
    assert f'<code class="th-feed-url">{calendar_feed_url(feed=feed)}</code>' in body


def _page(client, member):
    """My bookings for ``member`` (whose feed is made), its text and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/events/my-bookings/").content.decode()
    return _text(body), len(captured)


@pytest.mark.parametrize(
    ("situation", "shown", "queries"),
    [
        # Session, user, one query (the feed's token, whether there are bookings, offers).
        ("nothing", ["You have no upcoming bookings.", "None yet."], 3),
        # ... then the bookings.
        ("booked", ["Kilo", "Cancel booking for Kilo"], 4),
        ("only cancelled", ["You have no upcoming bookings.", "Kilo", "Cancelled"], 4),
        # ... or the offers of places made and received.
        ("offered one", ["Hana Holder offers you their place on Alpha"], 4),
        ("passing mine on", ["Kilo", "Offered to Rita Recipient", "See your offer (Kilo)"], 5),
    ],
)
def test_my_bookings_reads_only_what_there_is_to_show(client, situation, shown, queries):
    """The page asks first whether the member has any bookings and any open offer of a
    place, then reads only those: each situation still shows all it has (a check that
    missed cancelled bookings, or offers the member made, would drop rows)."""
    me = MemberFactory(full_name="Mia Member")
    rita = MemberFactory(full_name="Rita Recipient")
    hana = MemberFactory(full_name="Hana Holder")
    CalendarFeedFactory(user=me)
    kilo = EventFactory(title="Kilo", transfer_policy=Event.TransferPolicy.ANYONE)
    if situation == "booked":
        BookingFactory(event=kilo, member=me)
    elif situation == "only cancelled":
        BookingFactory(event=kilo, member=me, status=Booking.Status.CANCELLED)
    elif situation == "offered one":
        PlaceTransferFactory(
            booking=BookingFactory(event=EventFactory(title="Alpha"), member=hana), recipient=me
        )
    elif situation == "passing mine on":
        PlaceTransferFactory(booking=BookingFactory(event=kilo, member=me), recipient=rita)
    text, count = _page(client, me)
    for words in shown:
        assert words in text
    assert count == queries
    assert CalendarFeed.objects.get(user=me).token in text


def test_a_booking_moves_to_past_when_its_event_ends_and_an_offer_lapses_at_its_deadline(
    client,
):
    """Read afresh each request: the clock alone moves a booking and ends an offer."""
    now = timezone.now()
    me = MemberFactory(full_name="Mia Member")
    hana = MemberFactory(full_name="Hana Holder")
    CalendarFeedFactory(user=me)
    kilo = EventFactory(title="Kilo", starts_at=now + timedelta(hours=1))
    BookingFactory(event=kilo, member=me)
    PlaceTransferFactory(
        booking=BookingFactory(event=EventFactory(title="Alpha"), member=hana),
        recipient=me,
        expires_at=now + timedelta(minutes=30),
    )
    text, _count = _page(client, me)
    assert "Cancel booking for Kilo" in text and "offers you their place on Alpha" in text
    with time_machine.travel(now + timedelta(minutes=31)):
        text, _count = _page(client, me)
    assert "Cancel booking for Kilo" in text and "offers you their place" not in text
    with time_machine.travel(kilo.ends_at + timedelta(minutes=1)):
        text, _count = _page(client, me)
    assert "You have no upcoming bookings." in text and "Cancel booking" not in text
    assert f"Kilo {_when(kilo.starts_at, 'j M Y')} Booked" in text
