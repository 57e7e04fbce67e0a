"""Journeys through the career resource hub: reading the hub's pages, completing and
revisiting a self-assessment, preparing, printing and sharing a career conversation."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from resources.models import CareerConversation, Framework, SelfAssessment, WheelItem
from tests.browser.conftest import assert_accessible

# load_demo refuses a DEBUG=0 stack: these are demo stacks (conftest.py).
pytestmark = pytest.mark.usefixtures("demo_stack")


def test_hub_pages_are_accessible(page):
    call_command("load_demo")
    page.goto("/resources/")
    assert_accessible(page)
    page.get_by_role("link", name="Functional areas").first.click()
    expect(page.locator("h1")).to_have_text("Functional areas")
    assert_accessible(page)
    page.get_by_role("link", name="Medical Staffing").click()
    expect(page.locator("main")).to_contain_text("doctors")
    assert_accessible(page)
    page.goto("/resources/career-pathway/")
    table = page.get_by_role("table", name=re.compile("career pathway pyramid"))
    expect(table.get_by_role("rowheader", name=re.compile("^Level 4"))).to_have_count(1)
    expect(table).to_contain_text("Chief People Officer")
    expect(table).to_contain_text("HR Apprentice")
    assert_accessible(page)
    page.goto("/resources/competency-frameworks/")
    assert_accessible(page)
    page.get_by_role("link", name="Aspirant Deputy Director framework", exact=True).click()
    expect(page.get_by_role("rowheader", name=re.compile("System working"))).to_be_visible()
    assert_accessible(page)


def _rate(page, framework, competency_label, wheel_label):
    for competency in framework.competencies.all():
        page.get_by_role("group", name=competency.name, exact=True).get_by_label(
            competency_label
        ).check()
    for item in WheelItem.objects.filter(is_active=True):
        page.get_by_role("group", name=item.name, exact=True).get_by_label(wheel_label).check()


def test_completing_and_revisiting_a_self_assessment(signed_in_page, member):
    call_command("load_demo")
    page = signed_in_page
    framework = Framework.objects.get(slug="core-competency-framework")

    page.goto("/resources/")
    page.get_by_role("link", name="Self-assessment and the development wheel").click()
    assert_accessible(page)
    page.get_by_role("link", name="Rate yourself against the Core competency framework").click()
    assert_accessible(page)

    # Saving with nothing rated lists every missing rating in the error summary.
    page.get_by_role("button", name="Save my self-assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a rating for Using data and evidence")
    expect(summary).to_contain_text("Select a rating for Mentoring")
    assert page.title().startswith("Error:")
    assert_accessible(page)

    _rate(page, framework, "2 – Developing", "1 – Not doing this yet")
    page.get_by_label("Notes for yourself (optional)").fill("Ask for a secondment.")
    page.get_by_role("button", name="Save my self-assessment").click()
    expect(page.get_by_text("Your self-assessment has been saved.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Your ratings against"))).to_be_visible()
    expect(page.get_by_role("img", name="Your development wheel")).to_be_visible()
    expect(page.locator("main")).to_contain_text("first self-assessment")
    assert_accessible(page)

    # Revisit later and take it again: the page compares with the previous one.
    page.goto("/resources/self-assessment/")
    assert_accessible(page)
    page.get_by_role("link", name="Rate yourself against the Core competency framework").click()
    _rate(page, framework, "4 – A strength", "4 – Actively pursuing it")
    page.get_by_role("button", name="Save my self-assessment").click()
    expect(page.locator("main")).to_contain_text("Compared with your previous self-assessment")
    changes = page.get_by_role("table", name="Your competency ratings")
    assert changes.get_by_role("cell", name="+2").count() == framework.competencies.count()
    assert_accessible(page)

    page.get_by_role("link", name="See all your self-assessments").click()
    history = page.get_by_role("table", name=re.compile("Core competency framework: your ratings"))
    row = history.get_by_role("row", name=re.compile("Using data and evidence 2 4"))
    expect(row).to_have_count(1)
    assert_accessible(page)
    assert SelfAssessment.objects.filter(member=member).count() == 2


def test_preparing_printing_and_sharing_a_career_conversation(
    signed_in_page, member, browser, live_server
):
    call_command("load_demo")
    page = signed_in_page
    page.goto("/resources/career-conversations/")
    assert_accessible(page)
    page.get_by_role("button", name="Prepare for a career conversation").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Career conversation, spring")
    page.get_by_label("Step up into the next role").check()
    page.get_by_label("My career aspirations").fill("To become an HR Business Partner.")
    page.get_by_label(re.compile("^Level 3")).check()
    page.get_by_label("My strengths").fill("Employee relations casework.")
    page.get_by_label("My development needs").fill("Presenting workforce data to leaders.")
    page.get_by_label("Secondment").check()
    page.get_by_label("Support I would like").fill("Time to shadow a Business Partner.")
    page.get_by_role("button", name="Save my preparation").click()
    expect(page.get_by_text("Your career conversation preparation has been saved.")).to_be_visible()
    assert_accessible(page)
    conversation = CareerConversation.objects.get(member=member)

    # Edit it.
    page.get_by_role("button", name="Edit").click()
    assert_accessible(page)
    page.get_by_label("My strengths").fill("Casework and coaching managers.")
    page.get_by_role("button", name="Save my preparation").click()
    expect(page.get_by_text("Casework and coaching managers.")).to_be_visible()
    assert_accessible(page)

    # With JavaScript the print button appears (and the no-JS hint goes) and prints.
    print_button = page.get_by_role("button", name="Print")
    expect(print_button).to_be_visible()
    expect(page.locator(".th-print-hint")).to_be_hidden()
    page.evaluate("window.print = () => { window.printed = true; }")
    print_button.click()
    assert page.evaluate("window.printed") is True

    # The print stylesheet leaves only the preparation itself.
    page.emulate_media(media="print")
    expect(page.locator(".th-header")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(page.get_by_role("button", name="Edit")).to_be_hidden()
    expect(page.get_by_text("Share with your line manager")).to_be_hidden()
    expect(page.get_by_text("To become an HR Business Partner.")).to_be_visible()
    page.emulate_media(media="screen")

    # Share it with the line manager, once.
    page.get_by_label("Your line manager's name").fill("Sam Okoro")
    page.get_by_label("Your line manager's email address").fill("sam.okoro@example.org")
    page.get_by_role("button", name="Email it to my line manager").click()
    expect(page.get_by_text("emailed to sam.okoro@example.org")).to_be_visible()
    assert_accessible(page)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.okoro@example.org"]
    assert "Casework and coaching managers." in mail.outbox[0].body
    assert conversation.shares.count() == 1

    # Without JavaScript there is no print button, and a hint says how to print.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        no_js = context.new_page()
        no_js.context.add_cookies(page.context.cookies())
        no_js.goto(conversation.get_absolute_url())
        expect(no_js.get_by_role("button", name="Print")).to_be_hidden()
        expect(no_js.get_by_text("use your browser's print command")).to_be_visible()
    finally:
        context.close()
