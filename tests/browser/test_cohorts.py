"""Journeys: apply to a cohort (draft, then submit), accept an offer, submit project
work, give feedback; and the line manager's, certificate and manager pages. Every page
is checked with axe."""

import re

from django.core import mail
from playwright.sync_api import expect

from cohorts.models import Application, Feedback, Participant, ProjectWork
from tests.browser.conftest import assert_accessible, link_in_email, sign_in
from tests.cohorts.factories import (
    ApplicationFactory,
    ApplicationQuestionFactory,
    CohortFactory,
    CompletedParticipantFactory,
    EndedCohortFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    SessionFactory,
    office_bytes,
    pdf_bytes,
)
from tests.factories import PASSWORD, ManagerFactory, MemberFactory
from tests.programmes.factories import ModuleFactory
from tests.resources.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProgrammeSelectionFrameworkFactory,
)


def test_apply_save_a_draft_then_submit(signed_in_page, member, live_server, settings):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    cohort = CohortFactory(name="Aspire 2.0 — West Midlands, spring 2027")
    SessionFactory(cohort=cohort, title="Digital technologies in HR/OD")
    ApplicationQuestionFactory(programme=cohort.programme, order=1, text="Why Aspire?")
    ApplicationQuestionFactory(programme=cohort.programme, order=2, text="Your big HR challenge")
    framework = FrameworkFactory(name="Aspirant Business Partner")
    CompetencyFactory(framework=framework, name="Influencing")
    ProgrammeSelectionFrameworkFactory(programme=cohort.programme, framework=framework)

    page.goto("/cohorts/")
    assert_accessible(page)
    page.get_by_role("link", name=cohort.name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Apply to this cohort").click()
    assert_accessible(page)
    page.get_by_label("Why Aspire?").fill("To become a strategic business partner.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your draft application has been saved.")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.get().status == "draft"

    # Submitting without the second answer shows the error summary.
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your big HR challenge").fill("Filling head of HR vacancies.")
    page.get_by_role("group", name="Rate yourself: Influencing").get_by_label(
        "3 – Established"
    ).check()
    page.get_by_label("Your line manager's email address").fill("boss@example.com")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url(re.compile(r"/cohorts/applications/\d+/$"))
    expect(page.get_by_text("Your application has been submitted.")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.get().status == "submitted"

    # The line manager confirms through the emailed link, without an account.
    support = next(m for m in mail.outbox if m.to == ["boss@example.com"])
    page.context.clear_cookies()
    page.goto(link_in_email(support.body))
    assert_accessible(page)
    page.get_by_label("I support this application").check()
    page.get_by_role("button", name="Confirm your support").click()
    expect(page.get_by_text("Support confirmed")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.get().line_manager_confirmed_at is not None


def test_send_the_line_manager_request_again(signed_in_page, member, live_server, settings):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    application = ApplicationFactory(applicant=member, line_manager_email="boss@example.com")
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Send the request to your line manager again").click()
    expect(page.get_by_text("We have emailed your line manager again")).to_be_visible()
    expect(page.get_by_text("You can send it again from")).to_be_visible()
    assert_accessible(page)
    (reminder,) = [m for m in mail.outbox if m.to == ["boss@example.com"]]
    assert reminder.subject.startswith("[TalentHub] Reminder: please confirm your support")
    page.context.clear_cookies()
    page.goto(link_in_email(reminder.body))
    page.get_by_label("I support this application").check()
    page.get_by_role("button", name="Confirm your support").click()
    expect(page.get_by_text("Support confirmed")).to_be_visible()


def test_accept_an_offer(signed_in_page, member):
    page = signed_in_page
    application = OfferedApplicationFactory(applicant=member)
    page.goto("/cohorts/")
    page.get_by_role("table").get_by_role("link", name=application.cohort.name).click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept your place").click()
    page.wait_for_url(f"**/cohorts/{application.cohort.slug}/home/")
    expect(page.get_by_text("You have accepted your place")).to_be_visible()
    assert_accessible(page)
    assert Participant.objects.get().user == member


def test_submit_project_work(signed_in_page, member):
    page = signed_in_page
    participant = ParticipantFactory(user=member)
    page.goto(f"/cohorts/{participant.cohort.slug}/home/")
    assert_accessible(page)
    page.get_by_role("link", name="Submit your project work").click()
    assert_accessible(page)
    page.get_by_label("Title of your project").fill("Workforce strategies in a merged council")
    page.get_by_label("Summary").fill("Adapting CIPD research to local government.")
    page.get_by_label("CIPD Profession Map area").select_option(label="Change")
    # A PowerPoint disguised as a Word document is refused.
    page.get_by_label("Upload your report").set_input_files(
        {"name": "report.docx", "mimeType": "application/msword", "buffer": office_bytes("ppt")}
    )
    page.get_by_role("button", name="Submit project work").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("its content is PPTX")
    assert_accessible(page)
    page.get_by_label("Upload your report").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Submit project work").click()
    page.wait_for_url(f"**/cohorts/{participant.cohort.slug}/home/")
    expect(page.get_by_text("Your project work has been submitted.")).to_be_visible()
    assert_accessible(page)
    assert ProjectWork.objects.get().file_type == "pdf"


def test_give_feedback_and_print_the_certificate(signed_in_page, member):
    page = signed_in_page
    cohort = EndedCohortFactory()
    ModuleFactory(version=cohort.version, order=1, title="Digital technologies in HR/OD")
    CompletedParticipantFactory(cohort=cohort, user=member)
    page.goto(f"/cohorts/{cohort.slug}/home/")
    page.get_by_role("link", name="Give your feedback on this cohort").click()
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("Overall")).get_by_label("5: excellent").check()
    page.get_by_role("group", name=re.compile("Digital technologies")).get_by_label(
        "4: very good"
    ).check()
    page.get_by_label("What should we keep").fill("Keep the celebration event.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    assert_accessible(page)
    assert Feedback.objects.get().overall_rating == 5
    page.get_by_role("link", name="View and print your certificate").click()
    expect(page.locator("h1")).to_have_text("Certificate of completion")
    assert_accessible(page)
    # The address printed on the certificate: what an employer sees.
    page.locator(".th-no-print a", has_text="/certificates/").click()
    expect(page.locator("h1")).to_have_text("Certificate confirmed")
    expect(page.get_by_text(member.full_name)).to_be_visible()
    assert_accessible(page)


def test_manager_pages_are_accessible(page, provider):
    manager = ManagerFactory(profile__organisation=provider)
    cohort = EndedCohortFactory(provider=provider)
    session = SessionFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort)
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/cohorts/manage/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Feedback for {cohort.name}").click()
    assert_accessible(page)
    page.goto(f"/cohorts/manage/sessions/{session.pk}/attendance/")
    assert_accessible(page)
    page.get_by_label("Present").first.check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been saved.")).to_be_visible()
    assert_accessible(page)


def test_a_manager_imports_participants_from_a_csv_file(page, provider, tmp_path):
    manager = ManagerFactory(profile__organisation=provider)
    cohort = CohortFactory(provider=provider, capacity=5)
    MemberFactory(full_name="Łucja Nowak-Śliwińska", email="lucja@example.org")
    MemberFactory(full_name="Asha Patel", email="asha@example.org")
    bad = tmp_path / "bad.csv"
    bad.write_text("Email\nlucja@example.org\nnobody@example.org\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("Email\nlucja@example.org\nasha@example.org\n", encoding="utf-8-sig")
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/cohorts/manage/")
    page.get_by_role("link", name=f"Import participants into {cohort.name}").click()
    assert_accessible(page)
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("1 of 2 rows cannot be imported")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Enrols Łucja Nowak-Śliwińska")).to_be_visible()
    assert_accessible(page)
    assert not Participant.objects.exists()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text(f"2 participants enrolled in {cohort.name}.")).to_be_visible()
    assert Participant.objects.filter(cohort=cohort).count() == 2
