"""Journeys through the career resource hub: reading the hub's pages, completing and
revisiting a self-assessment, preparing, printing and sharing a career conversation."""

import re

from django.core import mail
from django.core.management import call_command

from resources.models import CareerConversation, Framework, SelfAssessment, WheelItem
from tests.browser.conftest import assert_accessible


def test_hub_pages_are_accessible(page):
    call_command("load_demo")
    page.goto("/resources/")
    assert_accessible(page)
    page.get_by_role("link", name="Functional areas").first.click()
    assert page.locator("h1").inner_text() == "Functional areas"
    assert_accessible(page)
    page.get_by_role("link", name="Medical Staffing").click()
    assert "doctors" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/resources/career-pathway/")
    table = page.get_by_role("table", name=re.compile("career pathway pyramid"))
    assert table.get_by_role("rowheader", name=re.compile("^Level 4")).count() == 1
    assert "Chief People Officer" in table.inner_text()
    assert "HR Apprentice" in table.inner_text()
    assert_accessible(page)
    page.goto("/resources/competency-frameworks/")
    assert_accessible(page)
    page.get_by_role("link", name="Aspirant Deputy Director framework", exact=True).click()
    assert page.get_by_role("rowheader", name=re.compile("System working")).is_visible()
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
    assert "Select a rating for Using data and evidence" in summary.inner_text()
    assert "Select a rating for Mentoring" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    _rate(page, framework, "2 – Developing", "1 – Not doing this yet")
    page.get_by_label("Notes for yourself (optional)").fill("Ask for a secondment.")
    page.get_by_role("button", name="Save my self-assessment").click()
    assert page.get_by_text("Your self-assessment has been saved.").is_visible()
    assert page.get_by_role("img", name=re.compile("Your ratings against")).is_visible()
    assert page.get_by_role("img", name="Your development wheel").is_visible()
    assert "first self-assessment" in page.locator("main").inner_text()
    assert_accessible(page)

    # Revisit later and take it again: the page compares with the previous one.
    page.goto("/resources/self-assessment/")
    assert_accessible(page)
    page.get_by_role("link", name="Rate yourself against the Core competency framework").click()
    _rate(page, framework, "4 – A strength", "4 – Actively pursuing it")
    page.get_by_role("button", name="Save my self-assessment").click()
    assert "Compared with your previous self-assessment" in page.locator("main").inner_text()
    changes = page.get_by_role("table", name="Your competency ratings")
    assert changes.get_by_role("cell", name="+2").count() == framework.competencies.count()
    assert_accessible(page)

    page.get_by_role("link", name="See all your self-assessments").click()
    history = page.get_by_role("table", name=re.compile("Core competency framework: your ratings"))
    assert history.get_by_role("row", name=re.compile("Using data and evidence 2 4")).count() == 1
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
    assert page.get_by_text("Your career conversation preparation has been saved.").is_visible()
    assert_accessible(page)
    conversation = CareerConversation.objects.get(member=member)

    # Edit it.
    page.get_by_role("button", name="Edit").click()
    assert_accessible(page)
    page.get_by_label("My strengths").fill("Casework and coaching managers.")
    page.get_by_role("button", name="Save my preparation").click()
    assert page.get_by_text("Casework and coaching managers.").is_visible()
    assert_accessible(page)

    # With JavaScript the print button appears (and the no-JS hint goes) and prints.
    print_button = page.get_by_role("button", name="Print")
    assert print_button.is_visible()
    assert not page.locator(".th-print-hint").is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    print_button.click()
    assert page.evaluate("window.printed") is True

    # The print stylesheet leaves only the preparation itself.
    page.emulate_media(media="print")
    assert not page.locator(".th-header").is_visible()
    assert not page.locator(".govuk-footer").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
    assert not print_button.is_visible()
    assert not page.get_by_role("button", name="Edit").is_visible()
    assert not page.get_by_text("Share with your line manager").is_visible()
    assert page.get_by_text("To become an HR Business Partner.").is_visible()
    page.emulate_media(media="screen")

    # Share it with the line manager, once.
    page.get_by_label("Your line manager's name").fill("Sam Okoro")
    page.get_by_label("Your line manager's email address").fill("sam.okoro@example.org")
    page.get_by_role("button", name="Email it to my line manager").click()
    assert page.get_by_text("emailed to sam.okoro@example.org").is_visible()
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
        assert not no_js.get_by_role("button", name="Print").is_visible()
        assert no_js.get_by_text("use your browser's print command").is_visible()
    finally:
        context.close()
