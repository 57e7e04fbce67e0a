"""The secretariat's journey through the pages that were admin-only (issue 19, item 5),
axe on every page reached: draft and adopt the next terms of reference (the overdue
review flag clears), publish the drafted statement of priorities (a priority with no
aims is refused first), withdraw a signatory after the confirmation that names its
steering seats, edit and close an action and correct its indicator; then a steering
member makes their secret meeting feed and reads it."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from compact.models import Action, CharterSignatory, PrioritiesStatement, TermsOfReference
from talenthub.core.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_compact import SECRETARIAT, derbyshire  # noqa: F401 (a fixture)
from tests.compact.factories import IndicatorFactory

STEERING_CHAIR = "steve.morton@derbyshire-compact.example"


def test_secretariat_runs_the_governing_documents(page, derbyshire):  # noqa: F811
    today = timezone.localdate()
    sign_in(page, SECRETARIAT, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/compacts/derbyshire/secretariat/")

    # Terms of reference: the review is overdue; the next version drafted and adopted.
    page.get_by_role("link", name="Terms of reference versions").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("annual review")
    assert_accessible(page)
    page.get_by_role("link", name="Draft the next version").click()
    assert_accessible(page)
    page.get_by_label("What changed from the previous version").fill("Aims reviewed for 2027.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Version 3 is drafted.")).to_be_visible()
    page.get_by_role("link", name="adopt it").click()
    assert_accessible(page)
    page.get_by_label("Review due on").fill((today + datetime.timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Adopt the version").click()  # not confirmed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Yes, these terms were adopted").check()
    page.get_by_role("button", name="Adopt the version").click()
    expect(page.get_by_text("Version 3 is adopted and in force.")).to_be_visible()
    assert_accessible(page)
    page.goto("/compacts/derbyshire/secretariat/terms/")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    assert TermsOfReference.objects.get(compact__slug="derbyshire", version=3).review_due_on

    # The drafted statement of priorities: a priority added (aims first), then published.
    page.goto("/compacts/derbyshire/secretariat/")
    page.get_by_role("link", name="Statements of annual priorities").click()
    assert_accessible(page)
    page.get_by_role("link", name="2009-10").click()
    assert_accessible(page)
    page.get_by_label("Priority", exact=True).fill("To grow the county's apprenticeships")
    page.get_by_role("button", name="Add the priority").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Priority", exact=True).fill("To grow the county's apprenticeships")
    page.locator("input[name=aims]").first.check()
    page.get_by_role("button", name="Add the priority").click()
    expect(page.get_by_text("Priority added.")).to_be_visible()
    page.get_by_role("link", name="Publish the statement").click()
    assert_accessible(page)
    page.get_by_label("I have checked the priorities").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("2009-10")
    expect(page.locator("main")).to_contain_text("2008-09")  # the one before, archived
    assert_accessible(page)
    assert not PrioritiesStatement.objects.filter(status="draft").exists()

    # The charter: Derby City Council withdraws; its steering seat ends with it.
    page.goto("/compacts/derbyshire/secretariat/")
    page.get_by_role("link", name="Charter and signatories").click()
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw Derby City Council").first.click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("A steering group seat")
    expect(page.locator("main")).to_contain_text("Mark Edwards")
    assert_accessible(page)
    page.get_by_label("Yes, this organisation is withdrawing").check()
    page.get_by_role("button", name="Withdraw the organisation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # its seat first
    assert_accessible(page)
    page.get_by_label("Yes, this organisation is withdrawing").check()
    page.get_by_label("End its people's steering group seats").check()
    page.get_by_role("button", name="Withdraw the organisation").click()
    expect(page.get_by_text("Derby City Council has withdrawn.")).to_be_visible()
    assert CharterSignatory.objects.filter(
        organisation__name="Derby City Council", withdrawn_on=today
    ).exists()

    # An action edited, its indicator corrected, then closed as done.
    action = Action.objects.get(plan__compact__slug="derbyshire", code="A2")
    IndicatorFactory(action=action, measure="Jobs fairs attended", unit="fairs", baseline=0)
    page.goto(f"/compacts/derbyshire/actions/{action.pk}/")
    page.get_by_role("link", name="Edit the action").click()
    assert_accessible(page)
    page.get_by_label("Target date").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Action A2 saved.")).to_be_visible()
    # Saved again unchanged, the target date stays (the form shows it back in ISO form).
    page.get_by_role("link", name="Edit the action").click()
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Action A2 saved.")).to_be_visible()
    page.get_by_role("link", name="Edit Jobs fairs attended").click()
    assert_accessible(page)
    page.get_by_label("Latest measured value").fill("3")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_text("Indicator saved.")).to_be_visible()
    page.get_by_role("link", name="Close as done").click()
    assert_accessible(page)
    page.get_by_label("Yes, this action is done").check()
    page.get_by_role("button", name="Close the action").click()
    expect(page.get_by_text("Action A2 is done.")).to_be_visible()
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == "done" and action.target_date > today


def test_a_steering_member_subscribes_to_their_meetings(page, derbyshire):  # noqa: F811
    sign_in(page, STEERING_CHAIR, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/compacts/derbyshire/meetings/")
    page.get_by_role("link", name="My meeting feed").click()
    expect(page.locator("main")).to_contain_text("no feed address")
    assert_accessible(page)
    page.get_by_role("button", name="Make my feed address").click()
    address = page.get_by_label("Feed address").input_value()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(page)
    assert page.request.get(address).text().startswith("BEGIN:VCALENDAR")
    page.goto("/compacts/derbyshire/meetings/my-feed/")
    expect(page.locator("main")).not_to_contain_text(address)
    page.get_by_role("button", name="Turn off my feed").click()
    expect(page.get_by_text("Your meeting feed is turned off.")).to_be_visible()
    assert page.request.get(address).status == 404
