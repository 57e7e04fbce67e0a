"""Journeys (issue 18): the organiser defines a booking question in the admin → a member
answers it when booking (a refused answer first) → the attendee CSV shows the answer; and
check-in on the day: the door list (search, one button per person) and the member's self
check-in with the code. Every TalentHub page reached is checked with axe (the Django admin
pages are Django's own and are not)."""

import csv
import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Booking, BookingAnswer, Event, EventQuestion
from tests.browser.conftest import assert_accessible, sign_in
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD, MemberFactory
from tests.mfa import totp_code, totp_enrol


def _sign_in_staff(page, staff):
    secret = totp_enrol(staff)
    sign_in(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/home/")


def _member_page(browser, live_server, member):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    sign_in(page, member.email, PASSWORD)
    page.wait_for_url("**/home/")
    return context, page


def test_question_defined_answered_and_exported(page, browser, live_server, manager, provider):
    event = EventFactory(title="Flexible working for all", organiser=provider)
    _sign_in_staff(page, manager)

    # The organiser adds a required choice question on the event's admin page.
    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.get_by_role("button", name="Add another Booking question").click()
    form = page.locator("#questions-0")
    form.get_by_label("Kind").select_option(label="One choice from a list")
    form.get_by_label("Required").check()
    form.get_by_label("Question").fill("Lunch")
    form.get_by_label("Options").fill("Standard\nVegetarian\nVegan")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    question = EventQuestion.objects.get(event=event)
    assert question.kind == "choice" and question.required

    # A member books: without an answer the page says what is missing; then with one.
    member = MemberFactory(full_name="Priya Member")
    context, member_page = _member_page(browser, live_server, member)
    member_page.goto(event.get_absolute_url())
    assert_accessible(member_page)
    member_page.get_by_role("button", name="Book a place").click()
    expect(member_page.locator(".govuk-error-summary")).to_contain_text(
        "Select your answer to “Lunch”"
    )
    assert_accessible(member_page)
    assert not Booking.objects.filter(member=member).exists()
    member_page.get_by_label("Vegan").check()
    member_page.get_by_role("button", name="Book a place").click()
    expect(member_page.get_by_text("Your place is booked")).to_be_visible()
    expect(member_page.get_by_role("heading", name="Your answers")).to_be_visible()
    assert_accessible(member_page)
    assert BookingAnswer.objects.get(booking__member=member).text == "Vegan"

    # Before the event the member changes their answer.
    member_page.get_by_role("link", name="Change your answers").click()
    expect(member_page.locator("h1")).to_have_text("Change your answers")
    assert_accessible(member_page)
    member_page.get_by_label("Vegetarian").check()
    member_page.get_by_role("button", name="Save your answers").click()
    expect(member_page.get_by_text("Your answers are changed")).to_be_visible()
    assert_accessible(member_page)
    context.close()
    assert BookingAnswer.objects.get(booking__member=member).text == "Vegetarian"

    # The attendee CSV has a column for the question with the answer.
    page.goto("/admin/events/event/")
    page.locator(f'input[name="_selected_action"][value="{event.pk}"]').check()
    page.locator('select[name="action"]').select_option("export_attendees")
    with page.expect_download() as download:
        page.get_by_role("button", name="Go").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert rows[0][-1] == "Lunch"
    assert rows[1][2] == "Priya Member" and rows[1][-1] == "Vegetarian"


def test_check_in_on_the_day(page, browser, live_server, manager, provider):
    now = timezone.now()
    event = EventFactory(
        title="Compassionate and inclusive leadership",
        organiser=provider,
        starts_at=now,
        booking_opens_at=now - timedelta(days=7),
        booking_closes_at=now - timedelta(hours=2),
    )
    alice = BookingFactory(event=event, member=MemberFactory(full_name="Alice Adeyemi"))
    for name in ("Ben Brooks", "Chloe Clarke", "Dev Desai"):
        BookingFactory(event=event, member=MemberFactory(full_name=name))
    member = MemberFactory(full_name="Marcus Self")
    mine = BookingFactory(event=event, member=member)

    _sign_in_staff(page, manager)
    page.goto(f"/events/manage/{event.slug}/door/")
    expect(page.locator("h1")).to_have_text("Door list")
    expect(page.locator("#checkin-code")).to_have_text(event.checkin_code)
    assert_accessible(page)  # and at 375 and 320 px: the list stacks, nothing scrolls
    page.get_by_label("Search by name or email").fill("adeyemi")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Ben Brooks")).to_have_count(0)
    page.get_by_role("button", name="Check in Alice Adeyemi").click()
    expect(page.get_by_text("Alice Adeyemi is checked in.")).to_be_visible()
    expect(page.locator(f"#booking-{alice.pk}")).to_contain_text("Checked in")
    assert_accessible(page)
    assert Booking.objects.get(pk=alice.pk).attendance == "attended"

    # A member checks themselves in on the event page with the code shown at the door.
    context, member_page = _member_page(browser, live_server, member)
    member_page.goto(event.get_absolute_url())
    assert_accessible(member_page)
    member_page.get_by_label("Check in").fill("WRONG1")
    member_page.get_by_role("button", name="Check in").click()
    expect(member_page.get_by_text("Enter the check-in code shown at the event")).to_be_visible()
    member_page.get_by_label("Check in").fill(event.checkin_code.lower())
    member_page.get_by_role("button", name="Check in").click()
    expect(member_page.get_by_text("You are checked in")).to_be_visible()
    assert_accessible(member_page)
    context.close()
    assert Booking.objects.get(pk=mine.pk).attendance == "attended"

    # The code was shared too widely: the organiser resets it; the page shows the new one.
    old = event.checkin_code
    page.get_by_role("button", name="Reset the code").click()
    new = Event.objects.get(pk=event.pk).checkin_code
    assert new != old
    expect(page.locator("#checkin-code")).to_have_text(new)
    assert_accessible(page)
