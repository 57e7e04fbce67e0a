"""Journeys: find and book an event, download it as .ics, cancel; join a waiting list,
get an offer by email and accept it; the manager's demand report. Every page is checked
with axe."""

import re

from django.core import mail
from playwright.sync_api import expect

from events import services
from events.models import Booking
from tests.browser.conftest import assert_accessible, link_in_email, sign_in
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD


def test_book_download_ics_and_cancel(signed_in_page, member, settings, live_server):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    event = EventFactory(title="Health and wellbeing conversations", capacity=5)
    EventFactory(title="Inclusive recruitment", venue="", online_link="https://meet.example/x")

    page.goto("/events/")
    assert_accessible(page)
    page.get_by_label("Online or in person").select_option(label="In person")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Inclusive recruitment")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=event.title).click()
    assert page.locator("h1").inner_text() == event.title
    assert_accessible(page)

    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("Your place is booked")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(member=member).status == "confirmed"
    assert "Your place is booked" in mail.outbox[-1].subject

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to your calendar")).click()
    path = download_info.value.path()
    content = path.read_bytes()
    assert b"BEGIN:VCALENDAR" in content and event.title.encode() in content

    page.goto("/events/my-bookings/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Cancel booking")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_text("Your booking is cancelled")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(member=member).status == "cancelled"


def test_join_waiting_list_then_accept_an_offer_from_the_email(
    signed_in_page, member, settings, live_server
):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    event = EventFactory(
        title="Just culture in employee relations", capacity=1, promotion_policy="offer"
    )
    holder = BookingFactory(event=event)

    page.goto(event.get_absolute_url())
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("number 1 in line")).to_be_visible()
    assert_accessible(page)
    page.goto("/events/my-bookings/")
    expect(page.get_by_text("You are 1st in line")).to_be_visible()
    assert_accessible(page)

    # The person holding the place cancels: the promotion task offers it to our member.
    mail.outbox.clear()
    services.booking_cancel(booking=holder, actor=holder.member)
    offers = [m for m in mail.outbox if m.to == [member.email]]
    assert len(offers) == 1 and "A place is free for you" in offers[0].subject

    page.goto(link_in_email(offers[0].body))
    expect(page.locator("h1")).to_have_text("Your offer of a place")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.get_by_text("You have accepted the place")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(event=event, member=member).status == "confirmed"


def test_leave_the_waiting_list_and_past_events(signed_in_page, member):
    page = signed_in_page
    event = EventFactory(title="Flexible working for all", capacity=1)
    BookingFactory(event=event)
    BookingFactory(event=event, member=member, status="waiting")
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Leave the waiting list").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, leave the waiting list").click()
    expect(page.get_by_text("You have left the waiting list")).to_be_visible()
    page.goto("/events/past/")
    expect(page.locator("h1")).to_have_text("Past events")
    assert_accessible(page)


def test_manager_demand_report(page, manager, provider, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "EVENT_RERUN_WAITING_THRESHOLD": 2}
    event = EventFactory(
        title="Apprenticeships and widening participation", capacity=1, organiser=provider
    )
    BookingFactory(event=event)
    BookingFactory.create_batch(3, event=event, status="waiting")
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/events/manage/demand/")
    expect(page.get_by_role("cell", name="3")).to_be_visible()
    assert_accessible(page)


def test_ask_to_hear_when_booking_opens_then_book_from_the_email(
    signed_in_page, member, settings, live_server
):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

    settings.SITE_URL = live_server.url
    page = signed_in_page
    opens = timezone.now() + timedelta(days=2)
    event = EventFactory(title="Leading through change", booking_opens_at=opens)
    page.goto(event.get_absolute_url())
    expect(page.get_by_text("Booking opens on")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tell me when booking opens").click()
    expect(page.get_by_text("We will email you when booking opens").first).to_be_visible()
    assert_accessible(page)

    # Booking opens; the beat sweep emails the member once.
    Event.objects.filter(pk=event.pk).update(booking_opens_at=timezone.now())
    mail.outbox.clear()
    assert services.booking_alerts_send() == 1
    emails = [m for m in mail.outbox if m.to == [member.email]]
    assert len(emails) == 1 and "Booking is open" in emails[0].subject
    page.goto(link_in_email(emails[0].body))
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("Your place is booked")).to_be_visible()
    assert_accessible(page)
