""" "Tell me when booking opens": asked on an event whose booking opens later, emailed once
when it opens, stoppable before then, in the member's personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import BookingOpensAlert
from talenthub.core.models import OutboundEmail
from talenthub.core.personal_data import erase_account, export_personal_data
from tests.factories import MemberFactory
from tests.helpers import assert_asks_and_stops, raises_code

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later():
    """A published event whose booking opens in two days."""
    return EventFactory(
        title="Workforce planning with O'Neill's model",
        booking_opens_at=timezone.now() + timedelta(days=2),
    )


def test_an_alert_is_emailed_once_when_booking_opens(member, later):
    services.booking_alert_subscribe(event=later, member=member)
    services.booking_alert_subscribe(event=later, member=member)  # asking twice: one alert
    assert BookingOpensAlert.objects.count() == 1
    assert services.booking_alerts_send() == 0  # not open yet
    opened = later.booking_opens_at + timedelta(minutes=1)
    assert services.booking_alerts_send(now=opened) == 1
    assert services.booking_alerts_send(now=opened + timedelta(minutes=5)) == 0  # once
    email = OutboundEmail.objects.get(key__startswith="event.booking-opened:")
    assert email.recipient == member
    assert later.title in email.body_text and later.get_absolute_url() in email.body_text


def test_no_alert_where_booking_is_open_already_or_for_a_cancelled_event(member, later):
    with raises_code(services.BookingError, "booking_alert_not_needed"):
        services.booking_alert_subscribe(event=EventFactory(), member=member)
    services.booking_alert_subscribe(event=later, member=member)
    later.status = "cancelled"
    later.save()
    assert services.booking_alerts_send(now=later.booking_opens_at + timedelta(hours=1)) == 0


def test_the_event_page_asks_and_stops(client, member, later):
    url = later.get_absolute_url()
    assert "Sign in</a> to be emailed when booking opens" in client.get(url).content.decode()
    assert_asks_and_stops(
        client,
        member,
        page_url=url,
        ask_url=reverse("events:booking_alert", args=[later.slug]),
        stop_url=reverse("events:booking_alert_stop", args=[later.slug]),
        button="Tell me when booking opens",
        asked="We will email you when booking opens",
        alerts=BookingOpensAlert.objects.filter(event=later),
    )


def test_a_draft_event_cannot_be_asked_about(client, member):
    draft = EventFactory(status="draft", booking_opens_at=timezone.now() + timedelta(days=2))
    client.force_login(member)
    response = client.post(reverse("events:booking_alert", args=[draft.slug]))
    assert response.status_code == 404
    assert not BookingOpensAlert.objects.exists()


def test_alerts_are_in_the_personal_data_export_and_erased(member, later):
    services.booking_alert_subscribe(event=later, member=member)
    other = MemberFactory()
    services.booking_alert_subscribe(event=later, member=other)
    exported = export_personal_data(member)["sections"]["events"]["booking_opens_alerts"]
    assert [row["event"] for row in exported] == [later.title]
    erase_account(member)
    assert list(BookingOpensAlert.objects.values_list("member", flat=True)) == [other.pk]
