"""Journeys of equality monitoring and insights: a member completes and then withdraws
the monitoring form; an analyst opens the journey report and downloads its CSV."""

import csv
import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from insights.models import MonitoringRecord
from insights.services import release_period
from tests.browser.conftest import assert_accessible, sign_in
from tests.cohorts.factories import AttendanceFactory, FeedbackFactory, SessionFactory
from tests.compact.factories import ActionFactory
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD
from tests.insights.builders import ended_cohort, journeys
from tests.insights.factories import AnalystFactory

BLACK_AFRICAN = "Black, Black British, Black Welsh, Caribbean or African: African"
ANSWERS = [
    ("What is your ethnic group?", BLACK_AFRICAN),
    ("What is your sex?", "Female"),
    ("Is the gender you identify with the same as your sex registered at birth?", "Yes"),
    ("Which of the following best describes your sexual orientation?", "Prefer not to say"),
    ("Do you consider yourself to have a disability", "No"),
    ("What is your religion or belief?", "Christian (all denominations)"),
    ("What is your age?", "35 to 44"),
    ("Do you look after, or give help or support to", "Yes, for a child or children"),
]  # fmt: skip


def test_a_member_completes_and_withdraws_the_monitoring_form(signed_in_page, member):
    page = signed_in_page
    page.get_by_role("link", name="Your equality and diversity information").click()
    expect(page.locator("h1")).to_have_text("Your equality and diversity information")
    assert_accessible(page)
    page.get_by_role("link", name="Answer the questions").click()
    assert_accessible(page)

    # Answers without consent: refused, nothing stored, the answers still selected.
    for question, answer in ANSWERS:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save your answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Tick the box to give your consent")
    assert not MonitoringRecord.objects.filter(user=member).exists()
    assert page.get_by_label("Female", exact=True).is_checked()
    assert_accessible(page)

    page.get_by_label("I consent to TalentHub keeping my answers").check()
    page.get_by_role("button", name="Save your answers").click()
    expect(page.locator("main")).to_contain_text("Thank you: your answers have been saved.")
    answers = page.locator(".govuk-summary-list", has_text="What is your ethnic group?")
    expect(answers).to_contain_text(BLACK_AFRICAN)
    consent = page.locator(".govuk-summary-list", has_text="The statement you agreed to")
    expect(consent).to_contain_text("I consent to TalentHub keeping my answers")
    assert MonitoringRecord.objects.get(user=member).ethnicity == "black_african"
    assert_accessible(page)

    page.get_by_role("link", name="Withdraw consent and delete your answers").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw and delete my answers").click()
    expect(page.locator("main")).to_contain_text("your answers have been deleted")
    assert not MonitoringRecord.objects.filter(user=member).exists()
    expect(page.get_by_role("link", name="Answer the questions")).to_be_visible()
    assert_accessible(page)


def test_an_analyst_opens_the_journey_report_and_downloads_the_csv(page):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 12, "offered": 3, "completed": 9}, {"sex": "female"})
    journeys(cohort, {"applied": 8, "completed": 2}, {"sex": "male"})
    analyst = AnalystFactory(is_staff=True)
    sign_in(page, analyst.email, PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Insights", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Insights")
    assert_accessible(page)
    page.get_by_role("link", name="Journey by group").first.click()
    assert_accessible(page)
    page.get_by_label("Characteristic").select_option(label="Sex")
    page.get_by_role("button", name="Show the journey").click()
    table = page.get_by_role("table", name="Journeys at each stage, by sex")
    expect(table).to_contain_text("Female")
    expect(table).to_contain_text("35")  # 34 applications, rounded to the nearest 5
    expect(page.locator("svg[role=img]")).to_have_count(4)
    expect(page.locator("main")).to_contain_text("How we protect these figures")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = download_info.value
    period = release_period()
    assert download.suggested_filename == f"journey-sex-all-programmes-{period:%Y-%m}.csv"
    with open(download.path(), encoding="utf-8") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read())))
    by_group = {row[0]: row for row in rows[1:]}
    assert by_group["Female"][2] in {"25", "[c]"}  # 24
    assert by_group["Male"][5] in {"0", "[c]"}  # 2 completed
    assert by_group["All applications"][2] == "35"

    # How the figures are protected, in plain English, one link away.
    page.get_by_role("link", name="Read more about how we protect these figures").click()
    expect(page.locator("h1")).to_have_text("How we protect equality figures")
    assert_accessible(page)


def test_every_insights_page_is_accessible(page):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 9, "completed": 9}, {"ethnicity": "white_british"})
    journeys(cohort, {"completed": 2}, {"ethnicity": "asian_indian"})
    participant = cohort.participants.first()
    AttendanceFactory(session=SessionFactory(cohort=cohort), participant=participant)
    FeedbackFactory(participant=participant)
    ActionFactory(lead_person=None)
    held = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=held, booking_opens_at=held - timedelta(days=20),
                         booking_closes_at=held - timedelta(hours=1))  # fmt: skip
    BookingFactory(event=event, confirmed_at=held - timedelta(days=5), attendance="attended")
    analyst = AnalystFactory(is_staff=True)
    sign_in(page, analyst.email, PASSWORD)
    page.wait_for_url("**/home/")
    for path, heading in [
        ("/insights/", "Insights"),
        ("/insights/journey/?characteristic=disability", "Journey by group"),
        ("/insights/representation/?characteristic=ethnicity", "Representation by career level"),
        ("/insights/programmes/", "Programme outcomes"),
        ("/insights/events/", "Event demand"),
        ("/insights/compacts/", "Compact health"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_have_text(heading)
        assert page.locator("svg[role=img]").count() >= (0 if path == "/insights/" else 1)
        assert_accessible(page)
