"""Journeys of issue 18 (items 4 and 7): a manager's completion refused by the rule, then
allowed with a reason; a member's CPD record; a head of HR scoring a project report.
Every page is checked with axe."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Participant, ProjectReview
from events.models import Booking
from tests.browser.conftest import assert_accessible, sign_in
from tests.cohorts.factories import (
    AttendanceFactory,
    CohortReviewerFactory,
    EndedCohortFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    ReviewCriterionFactory,
    SessionFactory,
)
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD, ManagerFactory, MemberFactory


def test_completion_refused_then_allowed_with_a_reason(page, provider):
    manager = ManagerFactory(profile__organisation=provider)
    cohort = EndedCohortFactory(provider=provider, version__completion_min_sessions=1)
    SessionFactory(cohort=cohort)
    participant = ParticipantFactory(cohort=cohort, user__full_name="Asha Patel")
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/cohorts/manage/")
    page.get_by_role("link", name=f"Completion of {cohort.name}").click()
    expect(page.get_by_text("0 sessions attended of the 1 required.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Mark completed Asha Patel").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be marked completed")
    assert_accessible(page)
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ENROLLED

    page.get_by_label("Reason for completing them").fill("Attended with the EMC cohort")
    page.get_by_role("button", name="Mark completed Asha Patel").click()
    expect(page.get_by_text("Asha Patel has been marked as completed.")).to_be_visible()
    assert_accessible(page)
    participant.refresh_from_db()
    assert participant.status == Participant.Status.COMPLETED
    assert participant.completion_override_reason == "Attended with the EMC cohort"


def test_a_member_reads_and_downloads_their_cpd_record(page):
    member = MemberFactory()
    session = SessionFactory(
        cohort=EndedCohortFactory(),
        title="Workforce strategies",
        starts_at=datetime.time(9, 30),
        ends_at=datetime.time(16, 30),
    )
    AttendanceFactory(session=session, participant__user=member)
    start = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(
        title="Turning the People Plan into reality",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        booking_opens_at=start - datetime.timedelta(days=30),
    )
    BookingFactory(event=event, member=member, attendance=Booking.Attendance.ATTENDED)
    sign_in(page, member.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.get_by_role("link", name="Your CPD record").click()
    expect(page.get_by_text("9 CPD hours from 2 activities")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "cpd-record.csv"


def test_a_reviewer_scores_a_project_report(page, provider):
    cohort = EndedCohortFactory(provider=provider)
    criteria = [
        ReviewCriterionFactory(version=cohort.version, title="Use of evidence"),
        ReviewCriterionFactory(version=cohort.version, title="Strength of the conclusions"),
    ]
    work = ProjectWorkFactory(participant=ParticipantFactory(cohort=cohort))
    reviewer = CohortReviewerFactory(cohort=cohort).user
    sign_in(page, reviewer.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/cohorts/")
    page.get_by_role("link", name=cohort.name).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Review of {work.title}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save your review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    for criterion in criteria:
        page.get_by_role("group", name=criterion.title).get_by_label("4: strong").check()
    page.get_by_label("Your comment").fill("The sample is small; the conclusion holds.")
    page.get_by_role("button", name="Save your review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")
    assert_accessible(page)
    review = ProjectReview.objects.get()
    assert review.reviewer == reviewer and review.scores.count() == 2
