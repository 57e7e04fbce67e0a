"""Journey (issue 19, item 3): a member makes a pledge through seed 001's form and follows
it; a moderator, emailed that it waits, publishes it from the moderation page; then
anyone reads it on the public pledges page. The hub's new sections on the way. Every page
is checked with axe."""

import re

from django.core import mail
from playwright.sync_api import expect

from alumni.models import Pledge
from tests.alumni.factories import make_moderator
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, MemberFactory, OrganisationFactory
from tests.resources.factories import HubArticleFactory


def test_member_pledges_moderator_publishes_then_it_is_public(page):
    organisation = OrganisationFactory(name="Barts Health NHS Trust")
    member = MemberFactory(
        full_name="Jo Bennett",
        profile__organisation=organisation,
        profile__job_title="Director of People",
    )
    moderator = make_moderator(full_name="Rachael Tyler")
    HubArticleFactory(title="Being an ally", author_name="Paul Taylor Pitt")
    HubArticleFactory(section="entry_route", title="Apprenticeships", entry_point="Band 2/3")

    # The hub shows its sections, the alumni network's among them.
    page.goto("/resources/")
    assert_accessible(page)
    page.get_by_role("link", name="Journeys to inclusion").click()
    assert_accessible(page)
    page.get_by_role("link", name="Being an ally").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Being an ally")
    assert_accessible(page)
    page.goto("/resources/entry-routes/")
    expect(page.get_by_text("Band 2/3", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto("/resources/")
    page.get_by_role("link", name="Pledges to drive equality").click()
    page.wait_for_url("**/alumni/pledges/")
    assert_accessible(page)

    # The member makes a pledge: first without the leader's agreement (refused, the
    # GOV.UK error summary), then with it.
    sign_in(page, member.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/pledges/")
    page.get_by_role("link", name="Make a pledge").click()
    assert_accessible(page)
    expect(page.get_by_label("Name of the leader making the pledge")).to_have_value("Jo Bennett")
    page.get_by_label("The pledge", exact=True).fill(
        "I will sponsor reverse mentoring for every member of my HR leadership team."
    )
    page.get_by_role("button", name="Submit pledge").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The leader named here has agreed").check()
    page.get_by_role("button", name="Submit pledge").click()
    expect(page.get_by_text("will be published when a moderator approves it")).to_be_visible()
    expect(page.get_by_text("Awaiting moderation")).to_be_visible()
    assert_accessible(page)
    pledge = Pledge.objects.get()
    assert pledge.status == Pledge.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    page.goto("/alumni/pledges/")
    expect(page.get_by_text("reverse mentoring")).to_have_count(0)

    # The moderator follows the link in the email and publishes it.
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    sign_in(page, moderator.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/moderation/")
    assert_accessible(page)
    page.get_by_role("link", name="Pledges (1)").click()
    assert_accessible(page)
    expect(page.get_by_text("reverse mentoring")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Publish\s+the pledge by Jo Bennett")).click()
    expect(page.get_by_text("is published")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting")).to_be_visible()
    assert_accessible(page)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    assert mail.outbox[-1].to == [member.email]

    # Public now, to anyone.
    page.context.clear_cookies()
    page.goto("/alumni/pledges/")
    expect(page.get_by_text("reverse mentoring")).to_be_visible()
    assert_accessible(page)
