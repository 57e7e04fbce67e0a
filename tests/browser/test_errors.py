"""The GOV.UK error pattern in a browser (issue 15, item 3): the summary takes the focus
when the page loads, its links move the focus to the field, the title says "Error:", and
axe finds nothing on the page in its error state, at 1280 and 375 px."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def _summary_has_focus(page) -> bool:
    return page.evaluate(
        "document.activeElement && document.activeElement.closest('.govuk-error-summary') !== null"
    )


def test_sign_up_sent_empty(page):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create an account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: Create an account")
    assert _summary_has_focus(page)
    # Each message names its field; none is Django's "This field is required."
    expect(summary).to_contain_text("Enter full name")
    expect(summary).to_contain_text("Enter email address")
    expect(summary).to_contain_text("Confirm your password")
    expect(page.locator("main")).not_to_contain_text("This field is required")
    # No label is repeated as a placeholder.
    expect(page.locator("main [placeholder]")).to_have_count(0)
    assert_accessible(page)
    summary.get_by_role("link", name="Enter email address").click()
    assert page.evaluate("document.activeElement.name") == "email"


def test_adding_an_email_address_that_is_not_one(signed_in_page):
    page = signed_in_page
    page.goto("/accounts/email/")
    # The addresses are radios in a fieldset with a legend.
    expect(page.get_by_role("group", name="Your email addresses")).to_be_visible()
    page.get_by_label("Email address", exact=True).fill("not an address")
    page.get_by_role("button", name="Add email address").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(re.compile("email address", re.I))
    assert page.title().startswith("Error: Email addresses")
    assert _summary_has_focus(page)
    expect(page.locator(".govuk-error-message")).to_contain_text("Error:")
    assert_accessible(page)


def test_sign_in_with_a_wrong_password(page, member):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: Sign in")
    # The way to make an account is next to the way to sign in.
    expect(page.get_by_role("link", name="create an account")).to_have_class(
        re.compile("govuk-link")
    )
    assert_accessible(page)
