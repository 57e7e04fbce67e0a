"""The token owner's own records: profile, bookings (through the events services, with
their emails), applications. Another member's records are a 404."""

import datetime

import pytest
from django.utils import timezone

from events.models import Booking
from insights.models import MonitoringRecord
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import ApplicationFactory
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import MemberFactory
from tests.insights.factories import MonitoringRecordFactory

pytestmark = pytest.mark.django_db


def test_my_profile_never_includes_equality_monitoring(member, as_user):
    MonitoringRecordFactory(user=member)
    assert MonitoringRecord.objects.filter(user=member).exists()
    body = as_user(member, "read").get("/api/v1/me/").json()
    assert set(body) == {
        "email",
        "full_name",
        "organisation",
        "job_title",
        "career_level",
        "functional_areas",
        "cipd_grade",
        "region",
    }


def test_book_a_place_then_cancel_it_with_the_sites_emails(member, as_user):
    event = EventFactory(capacity=1, slug="inspire")
    client = as_user(member)
    response = client.post("/api/v1/me/bookings/", {"event": "inspire"})
    assert response.status_code == 201, response.content
    booking = response.json()
    assert booking["status"] == "confirmed" and booking["event"]["slug"] == "inspire"
    assert OutboundEmail.objects.filter(key__startswith="booking.booked:").count() == 1
    again = client.post("/api/v1/me/bookings/", {"event": "inspire"})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "already_booked"
    listed = client.get("/api/v1/me/bookings/").json()
    assert [b["id"] for b in listed["results"]] == [booking["id"]]
    cancelled = client.post(f"/api/v1/me/bookings/{booking['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert OutboundEmail.objects.filter(key__startswith="booking.cancelled:").count() == 1
    assert Booking.objects.get(pk=booking["id"], event=event).status == "cancelled"


def test_a_full_event_puts_me_on_the_waiting_list_with_my_position(member, as_user):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    BookingFactory(event=event, status="waiting")
    body = as_user(member).post("/api/v1/me/bookings/", {"event": event.slug}).json()
    assert body["status"] == "waiting" and body["waiting_position"] == 2


def test_booking_a_closed_event_is_a_409_with_the_services_code(member, as_user):
    event = EventFactory(booking_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = as_user(member).post("/api/v1/me/bookings/", {"event": event.slug})
    assert response.status_code == 409 and response.json()["code"] == "booking_closed"


def test_a_read_token_cannot_book(member, as_user):
    event = EventFactory()
    response = as_user(member, "read").post("/api/v1/me/bookings/", {"event": event.slug})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Booking.objects.exists()
    assert as_user(member, "read").get("/api/v1/me/bookings/").status_code == 200


def test_booking_without_an_event_is_a_400_with_field_errors(member, as_user):
    response = as_user(member).post("/api/v1/me/bookings/", {})
    assert response.status_code == 400
    assert "event" in response.json()["errors"]


def test_accept_and_decline_an_offer(member, as_user):
    client = as_user(member)
    offered = BookingFactory(member=member, status="offered", offer_number=1)
    body = client.post(f"/api/v1/me/bookings/{offered.pk}/accept/").json()
    assert body["status"] == "confirmed"
    other = BookingFactory(member=member, status="offered", offer_number=1)
    body = client.post(f"/api/v1/me/bookings/{other.pk}/decline/").json()
    assert body["status"] == "declined"
    refused = client.post(f"/api/v1/me/bookings/{other.pk}/accept/")
    assert refused.status_code == 409 and refused.json()["code"] == "offer_not_open"


def test_another_members_bookings_are_404(member, as_user):
    theirs = BookingFactory(member=MemberFactory(), status="offered")
    client = as_user(member)
    for path in ["", "cancel/", "accept/", "decline/"]:
        url = f"/api/v1/me/bookings/{theirs.pk}/{path}"
        response = client.post(url) if path else client.get(url)
        assert response.status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.status == "offered"


def test_my_applications_only_mine(member, as_user):
    mine = ApplicationFactory(applicant=member)
    theirs = ApplicationFactory()
    client = as_user(member, "read")
    body = client.get("/api/v1/me/applications/").json()
    assert [a["id"] for a in body["results"]] == [mine.pk]
    assert client.get(f"/api/v1/me/applications/{mine.pk}/").status_code == 200
    assert client.get(f"/api/v1/me/applications/{theirs.pk}/").status_code == 404


def test_a_busy_event_is_a_503_with_retry_after_and_nothing_booked(member, as_user, monkeypatch):
    from events import services
    from events.exceptions import EventBusyError

    def busy(**kwargs):
        raise EventBusyError("This event is busy. Please try again.", code="busy")

    monkeypatch.setattr(services, "booking_create", busy)
    event = EventFactory()
    response = as_user(member).post("/api/v1/me/bookings/", {"event": event.slug})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "busy"
    assert not Booking.objects.exists()


def test_a_token_reads_only_its_owners_bookings_in_the_list(member, as_user):
    mine = BookingFactory(member=member)
    BookingFactory(member=MemberFactory())
    body = as_user(member, "read").get("/api/v1/me/bookings/").json()
    assert [b["id"] for b in body["results"]] == [mine.pk]
    assert body["results"][0]["online_link"] is None  # an in-person event
