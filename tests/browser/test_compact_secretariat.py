"""The secretariat's main journey through its own pages (issue 19, item 5), axe on every
page reached: schedule a steering-group meeting (and find its calendar file), give an
action a measurable indicator and record a value, then compose an e-bulletin, preview
it, confirm and send it."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from compact.models import Bulletin, Indicator, Meeting
from talenthub.core.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_compact import SECRETARIAT, derbyshire  # noqa: F401 (a fixture)


def test_secretariat_runs_the_compact_from_its_own_pages(page, derbyshire):  # noqa: F811
    sign_in(page, SECRETARIAT, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/compacts/derbyshire/")
    page.get_by_role("link", name="Secretariat", exact=True).click()
    expect(page.locator("h1")).to_have_text("Secretariat")
    assert_accessible(page)

    # A meeting of the steering group, scheduled; its calendar file is offered.
    page.get_by_role("link", name="Schedule a meeting of the Steering Group").click()
    assert_accessible(page)
    page.get_by_role("button", name="Schedule meeting").click()  # empty: errors first
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    day = timezone.localdate() + datetime.timedelta(days=40)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("County Hall, Matlock")
    page.get_by_label("Agenda").fill("Action plan review\nCharter renewals")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("The meeting has been scheduled.")).to_be_visible()
    assert_accessible(page)
    meeting = Meeting.objects.get(place="County Hall, Matlock", status="scheduled")
    ics = page.get_by_role("link", name="Add to your calendar (.ics)").get_attribute("href")
    assert page.request.get(ics).text().count("BEGIN:VEVENT") == 1
    assert meeting.agenda_items.count() == 2

    # The steering group's members.
    page.get_by_role("link", name="Secretariat", exact=True).click()
    page.get_by_role("link", name="Members of the Steering Group").click()
    expect(page.locator("main")).to_contain_text("has signed the members' charter")
    assert_accessible(page)

    # A measurable indicator on action A1, and a value recorded.
    page.goto("/compacts/derbyshire/actions/")
    page.get_by_role("link", name="A1", exact=True).click()
    page.get_by_role("link", name="Add an indicator").click()
    assert_accessible(page)
    page.get_by_label("Measure").fill("Public sector apprentices employed")
    page.get_by_label("Unit").fill("people")
    page.get_by_label("Baseline").fill("40")
    page.get_by_label("Target").fill("60")
    page.get_by_label("Due date").fill(
        (timezone.localdate() + datetime.timedelta(days=300)).isoformat()
    )
    page.get_by_role("button", name="Add indicator").click()
    expect(page.get_by_text("Indicator added.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a value for Public sector apprentices employed").click()
    assert_accessible(page)
    page.get_by_label("Measured value").fill("50")
    page.get_by_role("button", name="Record value").click()
    expect(page.locator("main")).to_contain_text("50% of the way")
    assert Indicator.objects.get(measure="Public sector apprentices employed").actual == 50
    page.get_by_role("link", name="Indicators", exact=True).click()
    expect(page.locator("main")).to_contain_text("Public sector apprentices employed")
    assert_accessible(page)

    # The e-bulletin: started, composed with a preview, confirmed and sent.
    page.get_by_role("link", name="Secretariat", exact=True).click()
    page.get_by_role("link", name="Compose an e-bulletin").click()
    assert_accessible(page)
    page.get_by_label("Title of the issue").fill("Apprenticeships week")
    page.get_by_role("button", name="Start issue").click()
    assert_accessible(page)
    page.get_by_label("Headline").fill("Ten new apprenticeships")
    page.get_by_label("Text").fill("Derby City Council takes on ten apprentices this spring.")
    page.get_by_role("button", name="Add news item").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Ten new apprenticeships")
    assert_accessible(page)
    page.get_by_role("link", name="Continue to send").click()
    expect(page.locator("main")).to_contain_text("subscriber")
    assert_accessible(page)
    page.get_by_role("button", name="Send the e-bulletin").click()  # not confirmed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert Bulletin.objects.get(title="Apprenticeships week").status == "draft"
    assert_accessible(page)
    page.get_by_label("I have read the preview").check()
    page.get_by_role("button", name="Send the e-bulletin").click()
    expect(page.locator("h1")).to_have_text("Apprenticeships week")
    assert_accessible(page)
    bulletin = Bulletin.objects.get(title="Apprenticeships week")
    assert bulletin.status == "sent"  # its emails: tests/compact/test_secretariat_pages.py
