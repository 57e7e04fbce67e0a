"""Journeys through a compact: a visitor reads the public page; the secretariat records a
meeting with attendance and minutes, marks the scheduled meeting held once it has taken
place and adds its papers, and adds a progress update that clears a flag."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from compact import demo
from compact.models import Action, ActionPlan, Meeting
from talenthub.core import demo as core_demo
from talenthub.core.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.compact.factories import PDF_BYTES, ActionFactory

SECRETARIAT = "elisabeth.secretariat@ddep.example"


@pytest.fixture
def derbyshire(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.load()
    demo.load()


def test_visitor_reads_the_public_compact_page(page, derbyshire):
    page.goto("/compacts/")
    assert_accessible(page)
    page.get_by_role("link", name="Derbyshire Public Sector Compact").click()
    expect(page.locator("h1")).to_have_text("Derbyshire Public Sector Compact")
    main = page.locator("main")
    expect(main).to_contain_text("effective collaborative workforce development and planning")
    expect(main).to_contain_text("promoting access to recognised and relevant courses")
    expect(main).to_contain_text("To increase the number of apprentices employed")
    expect(main).to_contain_text("2.1, 2.3, 2.4, 4")
    expect(main).to_contain_text("University of Derby")
    expect(main).to_contain_text("Pride Park, Derby")  # the upcoming public meeting
    assert_accessible(page)

    page.get_by_role("link", name="Terms of reference", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Version 2: Revised Terms of Reference").click()
    expect(page.locator("main")).to_contain_text("Changes from version 1")
    assert page.locator("ins").count() > 0
    assert_accessible(page)

    page.get_by_role("link", name="Members' charter").click()
    expect(page.locator("main")).to_contain_text("minimum of 12 months")
    assert_accessible(page)

    page.get_by_role("link", name="E-bulletin").click()
    assert_accessible(page)
    page.get_by_role("link", name="Issue 1").click()
    expect(page.locator("main")).to_contain_text("Annual priorities for 2008-09 agreed")
    assert_accessible(page)

    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.locator("main")).to_contain_text("Public meetings only")
    assert_accessible(page)

    # Members-only pages are not offered to visitors and ask them to sign in.
    expect(page.get_by_role("link", name="Action plans")).to_have_count(0)
    page.goto("/compacts/derbyshire/actions/")
    assert "/accounts/login/" in page.url


def test_secretariat_records_a_meeting_with_attendance_and_minutes(
    page, derbyshire, tmp_path, live_server, settings
):
    settings.SITE_URL = live_server.url
    minutes = tmp_path / "minutes-steering-group.pdf"
    minutes.write_bytes(PDF_BYTES)
    sign_in(page, SECRETARIAT, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/compacts/derbyshire/")
    page.get_by_role("link", name="Meetings", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a meeting of the Steering Group").click()
    assert_accessible(page)

    page.get_by_label("Date").fill("2008-09-16")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Council House, Derby")
    page.get_by_label("Agenda").fill("Members' charter sign-up\nTask and finish groups")
    apologies = page.get_by_role("group", name="Kerry Gulliver (South Derbyshire District Council)")
    apologies.get_by_label("Apologies").check()
    absent = page.get_by_role("group", name="Linda Pearson (East Midlands Business)")
    absent.get_by_label("Absent").check()
    page.get_by_label("Minutes", exact=True).set_input_files(str(minutes))
    page.get_by_role("button", name="Record the meeting").click()

    expect(page.get_by_text("The meeting has been recorded.")).to_be_visible()
    main = page.locator("main").inner_text()
    assert "Members' charter sign-up" in main
    assert "Kerry Gulliver" in main and "Apologies" in main
    assert_accessible(page)
    meeting = Meeting.objects.get(
        place="Council House, Derby", starts_at__year=2008, status="held", starts_at__month=9
    )
    assert meeting.attendances.filter(status="present").count() == 10
    assert meeting.attendances.get(person__full_name="Linda Pearson").status == "absent"

    # The minutes are stored, circulated, and served through the checked view.
    response = page.request.get(meeting.documents.get().get_absolute_url())
    assert response.status == 200 and response.body() == PDF_BYTES
    assert any("Minutes: Steering Group" in m.subject for m in mail.outbox)

    page.get_by_role("link", name="Attendance report").click()
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Two-meetings rule")


def test_secretariat_adds_a_progress_update_that_clears_the_flag(page, derbyshire):
    plan = ActionPlan.objects.get(title="Derbyshire Public Sector Compact Action Plan")
    action = ActionFactory(
        plan=plan,
        code="D1",
        theme="Good Practice Events",
        lead_person=plan.actions.get(code="B2").lead_person,
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    action.aims.add(plan.compact.terms.get(version=2).aims.get(number="5"))
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.now() - datetime.timedelta(weeks=12)
    )
    sign_in(page, SECRETARIAT, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/compacts/derbyshire/actions/health/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Good Practice Events")
    expect(row).to_contain_text("No update in 8 weeks")
    row.get_by_role("link", name="D1").click()
    assert_accessible(page)

    page.get_by_role("button", name="Add progress update").click()  # empty: errors first
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("On track").check()
    page.get_by_label("Progress (%)").fill("25")
    page.get_by_label("What has happened").fill("Venue booked for the first Good Practice Event.")
    page.get_by_role("button", name="Add progress update").click()
    expect(page.get_by_text("Progress update added.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("No flags")
    assert_accessible(page)

    page.get_by_role("link", name="Action health").click()
    expect(page.get_by_role("row").filter(has_text="Good Practice Events")).to_have_count(0)
    assert_accessible(page)


def test_secretariat_marks_the_scheduled_meeting_held_and_adds_a_paper(
    page, derbyshire, tmp_path, live_server, settings
):
    """The demo's upcoming public meeting: no attendance while it is still to come; once
    it has taken place it is marked held with its attendance (no second meeting), and its
    papers are added on its page."""
    settings.SITE_URL = live_server.url
    upcoming = Meeting.objects.get(
        group__compact__slug="derbyshire", status="scheduled", is_public=True
    )
    meetings_before = Meeting.objects.count()
    sign_in(page, SECRETARIAT, DEMO_PASSWORD)
    page.wait_for_url("**/home/")
    page.goto(upcoming.get_absolute_url())
    assert (
        "Attendance can be recorded once the meeting has taken place."
        in page.locator("main").inner_text()
    )
    expect(page.get_by_role("link", name="Record attendance and mark as held")).to_have_count(0)
    # The meeting takes place.
    Meeting.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    page.goto("/compacts/derbyshire/meetings/")
    page.get_by_role("link", name="Record a meeting of the Steering Group").click()
    expect(page.locator("main")).to_contain_text("record its attendance on that meeting instead")
    page.get_by_role("link", name="Record attendance at the meeting of").click()
    assert_accessible(page)
    kerry = page.get_by_role("group", name="Kerry Gulliver (South Derbyshire District Council)")
    kerry.get_by_label("Apologies").check()
    linda = page.get_by_role("group", name="Linda Pearson (East Midlands Business)")
    linda.get_by_label("Absent").check()
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(PDF_BYTES)
    page.get_by_label("Minutes", exact=True).set_input_files(str(minutes))
    page.get_by_role("button", name="Mark the meeting as held").click()
    expect(page.get_by_text("The meeting has been recorded as held.")).to_be_visible()
    assert_accessible(page)
    upcoming.refresh_from_db()
    assert upcoming.status == "held" and Meeting.objects.count() == meetings_before
    assert upcoming.attendances.filter(status="present").count() == 10
    assert upcoming.documents.get().kind == "minutes"

    page.get_by_role("link", name="Add papers or minutes").click()
    assert_accessible(page)
    page.get_by_label("Agenda or paper").check()
    page.get_by_label("Title").fill("Action plan progress report")
    paper = tmp_path / "report.txt"
    paper.write_text("Progress against the 2008-09 priorities.")
    page.get_by_label("File").set_input_files(str(paper))
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_text("The document has been added to the meeting.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Action plan progress report")
    assert_accessible(page)
    assert upcoming.documents.filter(kind="agenda", content_type="text/plain").count() == 1
