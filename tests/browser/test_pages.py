"""Journey: someone with a question finds help from the footer, reads the statutory
pages and sends a message, by keyboard only, at 1280, 375 and 320 px. axe on every page;
nothing overflows sideways."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_statutory_pages_and_the_contact_form_by_keyboard(page, live_server, settings, width):
    settings.TALENTHUB = {
        **settings.TALENTHUB,
        "OPERATOR": {**settings.TALENTHUB["OPERATOR"], "CONTACT_EMAIL": "help@wme.example"},
    }
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    for name, heading in [
        ("Accessibility statement", "Accessibility statement for TalentHub"),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("Help and contact", "Help and contact"),
    ]:
        page.get_by_role("contentinfo").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_have_text(heading)
        assert_accessible(page)
        assert fits(page), f"{page.url} scrolls sideways at {width}px"

    # An empty form first: the error summary takes the focus and names each field.
    page.get_by_role("button", name="Send message").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    expect(page).to_have_title("Error: Help and contact – TalentHub")
    assert_accessible(page)

    page.get_by_label("Your name").focus()
    page.keyboard.type("Łucja Nowak-Śliwińska")
    page.keyboard.press("Tab")
    page.keyboard.type("lucja@nhs.example")
    page.keyboard.press("Tab")
    page.keyboard.type("I cannot find my certificate.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Message sent")
    assert_accessible(page)
    assert fits(page)
    [email] = mail.outbox
    assert email.to == ["help@wme.example"]
    assert "I cannot find my certificate." in email.body


def test_the_checks_every_journey_relies_on_catch_a_page_that_fails(page, live_server):
    """Controls: ``assert_accessible`` must fail on a page that scrolls sideways on a
    phone (a wide table with no wrapper) and on one axe faults (an image with no text
    alternative), or a passing journey would prove nothing."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/cookies/")
    page.evaluate(
        """() => {
      const t = document.createElement('table');
      t.innerHTML = '<tr>' + '<td>ThisIsAVeryLongUnbrokenCellValue</td>'.repeat(8) + '</tr>';
      document.querySelector('main').appendChild(t);
    }"""
    )
    with pytest.raises(AssertionError, match="scrolls sideways at 375px"):
        assert_accessible(page)
    assert page.viewport_size["width"] == 1280  # put back after the check
    page.goto("/cookies/")
    page.evaluate(
        """() => {
      const img = document.createElement('img');
      img.src = '/static/favicon.svg';
      document.querySelector('main').appendChild(img);
    }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
