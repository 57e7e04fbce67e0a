"""Journey: the one-click unsubscribe link of an event announcement, on a 320 px wide
screen, signed out. Every page is checked with axe; nothing overflows sideways."""

from django.core import mail
from django.db import transaction
from playwright.sync_api import expect

from events import services
from talenthub.core.choices import Region
from tests.browser.conftest import assert_accessible
from tests.events.factories import EventFactory
from tests.factories import MemberFactory


def fits(page):
    """No horizontal scrolling at this width (WCAG 1.4.10 reflow)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_unsubscribe_from_an_announcement_at_320px(page, live_server, settings):
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": 320, "height": 640})
    member = MemberFactory(
        email="a.very.long.address.for.a.narrow.screen@barts-health.example.com",
        profile__region=Region.WEST_MIDLANDS,
    )
    event = EventFactory(status="draft", organiser__region=Region.WEST_MIDLANDS)
    with transaction.atomic():
        services.event_publish(event=event)
    email = next(m for m in mail.outbox if m.to == [member.email])
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in email.body

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Unsubscribe from emails about new events")
    assert_accessible(page)
    assert fits(page)
    member.profile.refresh_from_db()
    assert member.profile.email_event_announcements is True  # opening the link only asks

    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    assert_accessible(page)
    assert fits(page)
    member.profile.refresh_from_db()
    assert member.profile.email_event_announcements is False

    page.goto(link[:-5] + "xxxx/")
    expect(page.locator("h1")).to_have_text("This unsubscribe link does not work")
    assert_accessible(page)
    assert fits(page)
