"""Journey: a member passes their place to a colleague (issue 18, item 5). The holder
offers it from the event page, the colleague follows the emailed link, answers the
organiser's required question and accepts; both then see the result. Every page is
checked with axe (and at 320 px)."""

import re

from django.core import mail
from playwright.sync_api import expect

from events.models import Booking, Event, EventQuestion
from tests.browser.conftest import assert_accessible, link_in_email, sign_in
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD, MemberFactory


def test_holder_offers_colleague_accepts_both_see_it(signed_in_page, member, settings, live_server):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    event = EventFactory(
        title="Health and wellbeing conversations",
        capacity=1,
        transfer_policy=Event.TransferPolicy.ORGANISATION,
    )
    EventQuestion.objects.create(
        event=event, order=1, text="Lunch", kind="choice", options="Standard\nVegan", required=True
    )
    booking = BookingFactory(event=event, member=member)
    waiting = BookingFactory(event=event, status=Booking.Status.WAITING)
    colleague = MemberFactory(
        full_name="Kwame Asante", profile__organisation=member.profile.organisation
    )

    # The holder offers the place from the event page.
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Pass your place to a colleague").click()
    expect(page.locator("h1")).to_have_text("Pass your place to a colleague")
    assert_accessible(page)
    page.get_by_role("button", name="Offer my place").click()  # empty: an error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your colleague's email address").fill(colleague.email)
    mail.outbox.clear()
    page.get_by_role("button", name="Offer my place").click()
    expect(page.get_by_text("We have emailed Kwame Asante")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw the offer")).to_be_visible()
    assert_accessible(page)
    offers = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(offers) == 1

    # The colleague signs in, follows the link, answers the question and accepts.
    page.context.clear_cookies()
    sign_in(page, colleague.email, PASSWORD)
    page.goto(link_in_email(offers[0].body))
    expect(page.locator("h1")).to_have_text("A place offered to you")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the place").click()  # the question unanswered
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Vegan").check()
    page.get_by_role("button", name="Accept the place").click()
    expect(page.get_by_text("The place is yours")).to_be_visible()
    expect(page.get_by_text("You have a place on this event")).to_be_visible()
    assert_accessible(page)

    # The holder sees that the place has gone to the colleague; the waiting list is as
    # it was.
    page.context.clear_cookies()
    sign_in(page, member.email, PASSWORD)
    page.goto("/events/my-bookings/")
    past = page.get_by_role("region", name="Past and ended bookings")
    expect(past.get_by_text("Passed to a colleague")).to_be_visible()
    assert_accessible(page)
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == Booking.Status.TRANSFERRED
    assert waiting.status == Booking.Status.WAITING
    assert event.bookings.get(member=colleague).status == Booking.Status.CONFIRMED
    assert any(re.search("passed on", m.subject) for m in mail.outbox if m.to == [member.email])
