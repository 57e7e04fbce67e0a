"""The member's CPD record (issue 18, item 4): events attended and cohort sessions
attended, with their hours and the total; printable, exported as CSV or XLSX; linked from
/home/; only the member's own."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from talenthub.cpd import cpd_record
from tests.cohorts.factories import AttendanceFactory, SessionFactory
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _history(member, sessions=6, events=6):
    start = timezone.now() - datetime.timedelta(days=60)
    for i in range(events):
        event = EventFactory(
            title=f"Event {i}",
            starts_at=start + datetime.timedelta(days=i),
            ends_at=start + datetime.timedelta(days=i, hours=3),
            booking_opens_at=start - datetime.timedelta(days=30),
            cpd_hours=Decimal("2.5") if i == 0 else None,
        )
        BookingFactory(
            event=event,
            member=member,
            status=Booking.Status.CONFIRMED,
            attendance=Booking.Attendance.ATTENDED,
        )
    for i in range(sessions):
        AttendanceFactory(
            session=SessionFactory(
                title=f"Module day {i}",
                starts_at=datetime.time(9, 30),
                ends_at=datetime.time(16, 30),
            ),
            participant__user=member,
            status="present" if i else "absent",
        )


def test_the_record_sums_events_and_sessions_attended():
    member = MemberFactory()
    _history(member)
    _history(MemberFactory())  # someone else's
    entries = cpd_record(member)
    assert len(entries) == 6 + 5  # the absent session earns nothing
    assert sum(e.hours for e in entries) == Decimal("2.5") + 5 * 3 + 5 * 7


def test_the_page_export_and_scope(client, django_assert_max_num_queries):
    member = MemberFactory()
    _history(member)
    other = MemberFactory()
    _history(other, sessions=1, events=1)
    url = reverse("cpd_record")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member)
    assert "Your CPD record" in client.get(reverse("personal_home")).content.decode()
    with django_assert_max_num_queries(8):
        page = client.get(url)
    body = page.content.decode()
    assert "52.5 CPD hours from 11 activities" in body
    assert "Event 0" in body and "Module day 1" in body and "Module day 0" not in body
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Date,Activity")  # Excel's BOM
    assert lines[-1].endswith("52.5")
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_an_empty_record_says_so(client):
    client.force_login(MemberFactory())
    assert "Nothing yet" in client.get(reverse("cpd_record")).content.decode()
