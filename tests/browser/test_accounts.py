"""Journeys: sign up, verify the email, sign in, edit the profile, navigate."""

import re

from django.core import mail
from playwright.sync_api import expect

from talenthub.core.models import User
from tests.browser.conftest import assert_accessible, link_in_email, sign_in
from tests.factories import PASSWORD, FunctionalAreaFactory, OrganisationFactory


def test_sign_up_verify_sign_in_and_edit_profile(page, live_server, settings):
    settings.SITE_URL = live_server.url
    OrganisationFactory(name="Derby City Council")
    FunctionalAreaFactory(name="Organisational Development")

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("button", name="Create an account").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email").fill("priya@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    # The verification email went out through the outbox and its task.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya@example.com"]
    page.goto(link_in_email(mail.outbox[0].body))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    # Signed in, the person lands on their home, which asks for the profile first.
    page.wait_for_url("**/home/")
    assert_accessible(page)
    page.get_by_role("link", name="Complete your profile").click()
    page.wait_for_url("**/accounts/profile/")
    assert_accessible(page)
    page.get_by_label("Job title").fill("HR Business Partner")
    page.get_by_label("Organisation", exact=True).select_option(label="Derby City Council")
    page.get_by_label(re.compile("^Level 3")).check()
    page.get_by_label("Organisational Development").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    assert_accessible(page)

    user = User.objects.get(email="priya@example.com")
    assert user.full_name == "Priya Shah"
    assert user.profile.job_title == "HR Business Partner"
    assert user.profile.organisation.name == "Derby City Council"
    assert user.profile.career_level == 3
    assert [a.name for a in user.profile.functional_areas.all()] == ["Organisational Development"]

    # Sign out, then back in with the same password.
    page.get_by_role("link", name="Sign out").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign Out").click()
    sign_in(page, "priya@example.com", PASSWORD)
    page.wait_for_url("**/home/")


def test_profile_form_errors_use_the_error_summary(signed_in_page):
    page = signed_in_page
    page.goto("/accounts/profile/")
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save profile").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    assert page.title().startswith("Error:")
    assert_accessible(page)
    # The summary links to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_full_name"


def test_navigation_reaches_every_section(page):
    page.goto("/")
    for label, heading in [
        ("Programmes", "Programmes"),
        ("Events", "Events"),
        ("Alumni", None),
        ("Resources", None),
        ("Compacts", "Compacts"),
    ]:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()
        expect(page.locator("h1")).to_have_count(1)
        if heading:
            assert heading in page.locator("h1").inner_text()
        assert "TalentHub" in page.title()
        assert_accessible(page)
    page.goto("/no-such-page/")
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)


def test_accessibility_check_can_fail(page, live_server):
    """Control: a deliberately broken page (an unlabelled input, an image without alt
    text) must make the axe check fail, or the check proves nothing."""
    import pytest

    page.goto("/")
    page.set_content(
        "<!DOCTYPE html><html lang='en'><head><title>Broken</title></head><body><main>"
        "<h1>Broken</h1><input type='text'><img src='x.png'></main></body></html>"
    )
    with pytest.raises(AssertionError, match="label|alt"):
        assert_accessible(page)


def test_password_reset_by_email(page, live_server, settings, member):
    """Forgotten password: the reset form, the email, the link, a new password, and
    signing in with it. Every reset page is checked with axe."""
    settings.SITE_URL = live_server.url
    new_password = "a-brand-new-passphrase-2026"

    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("forgot", re.I)).click()
    page.wait_for_url("**/accounts/password/reset/")
    assert_accessible(page)
    page.get_by_label(re.compile("^Email")).fill(member.email)
    page.get_by_role("button", name=re.compile("reset", re.I)).click()
    page.wait_for_url("**/accounts/password/reset/done/")
    assert_accessible(page)

    # The email went out through the outbox and its task.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    page.goto(link_in_email(mail.outbox[0].body))
    page.wait_for_url(re.compile(r"/accounts/password/reset/key/\w+-set-password/$"))
    assert_accessible(page)
    page.get_by_label(re.compile("^New password$", re.I)).fill(new_password)
    page.get_by_label(re.compile("^Confirm your new password$", re.I)).fill(new_password)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("change (your )?password", re.I)).click()
    page.wait_for_url("**/accounts/password/reset/key/done/")
    assert_accessible(page)

    # The old password no longer works; the new one does.
    sign_in(page, member.email, PASSWORD)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    sign_in(page, member.email, new_password)
    page.wait_for_url("**/home/")
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_personal_home_shows_what_to_do_first(page, member):
    """After sign-in the person lands on their home; an offer waiting for an answer is
    the first thing on it, and the header links back to it."""
    from events.models import Booking
    from tests.events.factories import BookingFactory, EventFactory

    BookingFactory(
        member=member,
        event=EventFactory(title="Workforce planning masterclass"),
        status=Booking.Status.OFFERED,
    )
    sign_in(page, member.email, PASSWORD)
    page.wait_for_url("**/home/")
    expect(page.locator("h1")).to_have_text("Your home")
    first = page.locator(".th-actions li").first
    expect(first).to_contain_text("Workforce planning masterclass")
    expect(first.get_by_role("link", name="Accept or decline the place")).to_be_visible()
    assert_accessible(page)
    page.goto("/events/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your home").click()
    page.wait_for_url("**/home/")


def test_sign_in_to_book_offers_to_create_an_account(page):
    from tests.events.factories import EventFactory

    event = EventFactory()
    page.goto(f"/events/{event.slug}/")
    expect(page.get_by_role("link", name="create an account")).to_be_visible()
    assert_accessible(page)
