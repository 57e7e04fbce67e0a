"""Keyboard-only journeys (issue 15, Proof): sign up, book an event and apply to a
cohort with Tab, Enter and Space alone — no clicks, no filling by script — at 1280 and
375 px, with axe (and the reflow check) on every page reached. A control that cannot be
reached by Tab, or that does nothing on Enter or Space, fails the journey."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cohorts.models import Application
from events.models import Booking
from talenthub.core.models import User
from tests.browser.conftest import assert_accessible, link_in_email
from tests.cohorts.factories import ApplicationQuestionFactory, CohortFactory, SessionFactory
from tests.events.factories import EventFactory
from tests.factories import PASSWORD
from tests.resources.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProgrammeSelectionFrameworkFactory,
)

WIDTHS = [1280, 375]
MAX_TABS = 120


def tab_to(page, target):
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab on {page.url}")


def type_into(page, target, text):
    tab_to(page, target)
    page.keyboard.type(text)


def press(page, target, key="Enter"):
    """Tab to ``target`` and press ``key``; Enter on a link or button here always loads a
    new page, which is waited for."""
    tab_to(page, target)
    if key != "Enter":
        page.keyboard.press(key)
        return
    with page.expect_navigation():
        page.keyboard.press(key)


def keyboard_sign_in(page, email):
    page.goto("/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    assert_accessible(page)
    page.keyboard.press("Enter")  # Enter in a field submits its form
    page.wait_for_url("**/home/")


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_by_keyboard(page, live_server, settings, width):
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    assert_accessible(page)
    press(page, page.get_by_role("button", name="Create an account"))
    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)
    type_into(page, page.get_by_label("Full name"), "Siobhán O'Brien")
    type_into(page, page.get_by_label("Email"), "siobhan@nhs.example")
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    type_into(page, page.get_by_label("Confirm your password"), PASSWORD)
    press(page, page.get_by_role("button", name="Create an account"))
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    # The link in the email is opened as a person would open it from their mail.
    [email] = mail.outbox
    page.goto(link_in_email(email.body))
    assert_accessible(page)
    press(page, page.get_by_role("button", name="Confirm"))
    page.wait_for_url("**/home/")
    assert_accessible(page)
    assert User.objects.get(email="siobhan@nhs.example").full_name == "Siobhán O'Brien"


@pytest.mark.parametrize("width", WIDTHS)
def test_book_an_event_by_keyboard(page, member, width):
    event = EventFactory(title="Health & wellbeing conversations", capacity=5)
    page.set_viewport_size({"width": width, "height": 800})
    keyboard_sign_in(page, member.email)
    page.goto("/events/")
    assert_accessible(page)
    press(page, page.get_by_role("link", name=event.title))
    expect(page.locator("h1")).to_have_text(event.title)
    assert_accessible(page)
    press(page, page.get_by_role("button", name="Book a place"))
    expect(page.get_by_text("Your place is booked")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(member=member).status == "confirmed"


@pytest.mark.parametrize("width", WIDTHS)
def test_apply_to_a_cohort_by_keyboard(page, member, width):
    cohort = CohortFactory(name="Aspire 2.0 — West Midlands, spring 2027")
    SessionFactory(cohort=cohort, title="Digital technologies in HR/OD")
    ApplicationQuestionFactory(programme=cohort.programme, order=1, text="Why Aspire?")
    framework = FrameworkFactory(name="Aspirant Business Partner")
    CompetencyFactory(framework=framework, name="Influencing")
    ProgrammeSelectionFrameworkFactory(programme=cohort.programme, framework=framework)
    page.set_viewport_size({"width": width, "height": 800})
    keyboard_sign_in(page, member.email)

    page.goto("/cohorts/")
    assert_accessible(page)
    press(page, page.get_by_role("link", name=cohort.name))
    assert_accessible(page)
    press(page, page.get_by_role("link", name="Apply to this cohort"))
    expect(page.get_by_label("Why Aspire?")).to_be_visible()
    assert_accessible(page)

    # Submitted empty: the error summary, then each answer given by keyboard.
    press(page, page.get_by_role("button", name="Submit application"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    type_into(page, page.get_by_label("Why Aspire?"), "To lead HR & OD in the region.")
    rating = page.get_by_role("group", name="Rate yourself: Influencing").get_by_role("radio")
    press(page, rating.first, "Space")  # a radio group is one Tab stop; Space picks
    expect(rating.first).to_be_checked()
    type_into(page, page.get_by_label("Your line manager's email address"), "boss@nhs.example")
    press(page, page.get_by_role("button", name="Submit application"))
    page.wait_for_url(re.compile(r"/cohorts/applications/\d+/$"))
    expect(page.get_by_text("Your application has been submitted.")).to_be_visible()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == "submitted"
    assert application.line_manager_email == "boss@nhs.example"
