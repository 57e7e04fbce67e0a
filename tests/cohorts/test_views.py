import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cohorts import services
from cohorts.models import Application, Attendance, Cohort, Feedback, Participant, ProjectWork
from tests.cohorts.factories import (
    ApplicationFactory,
    ApplicationQuestionFactory,
    CohortFactory,
    CohortReviewerFactory,
    CompletedParticipantFactory,
    EndedCohortFactory,
    FeedbackFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    SessionFactory,
    office_bytes,
    pdf_bytes,
    upload,
)
from tests.factories import MemberFactory
from tests.programmes.factories import ModuleFactory

pytestmark = pytest.mark.django_db


def _login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# Public and applicant pages ------------------------------------------------------------


def test_index_lists_open_cohorts_in_a_fixed_number_of_queries(
    client, cohort, django_assert_max_num_queries
):
    for _ in range(15):
        CohortFactory(version=cohort.version, provider=cohort.provider)
    CohortFactory(name="Planned cohort", status="planned")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cohorts:index"))
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert cohort.name in html
    assert "Planned cohort" not in html


def test_signed_in_index_lists_own_applications_and_cohorts(
    client, member, cohort, django_assert_max_num_queries
):
    for _ in range(10):
        ApplicationFactory(applicant=member)
        ParticipantFactory(user=member)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cohorts:index"))
    html = response.content.decode()
    assert html.count('<h2 class="govuk-heading-m">Your applications') == 1
    assert html.count('<h2 class="govuk-heading-m">Your cohorts') == 1


def test_cohort_detail_is_public_but_not_for_planned_cohorts(client, cohort):
    SessionFactory(cohort=cohort, title="Digital technologies in HR/OD")
    response = client.get(cohort.get_absolute_url())
    assert response.status_code == 200
    assert "Digital technologies in HR/OD" in response.content.decode()
    planned = CohortFactory(status="planned")
    assert client.get(planned.get_absolute_url()).status_code == 404


def test_apply_needs_sign_in(client, cohort):
    assert _login_redirect(client.get(reverse("cohorts:apply", args=[cohort.slug])))


def test_apply_saves_a_draft_then_submits(
    client, member, cohort, django_capture_on_commit_callbacks
):
    question = ApplicationQuestionFactory(programme=cohort.programme, text="Why Aspire?")
    client.force_login(member)
    url = reverse("cohorts:apply", args=[cohort.slug])
    assert "Why Aspire?" in client.get(url).content.decode()
    field = f"question_{question.pk}"
    response = client.post(url, {field: "", "draft": "1"})
    assert response.status_code == 302
    assert Application.objects.get().status == "draft"
    # Submitting with the required answer missing shows the error on the field.
    response = client.post(url, {field: "", "submit": "1"})
    assert response.status_code == 200
    assert "Answer “Why Aspire” before you submit" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                field: "To step up to head of HR.",
                "line_manager_email": "boss@example.com",
                "submit": "1",
            },
        )
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert application.status == "submitted"
    assert len(mail.outbox) == 2
    # The form now redirects to the application.
    assert client.get(url)["Location"] == application.get_absolute_url()


def test_apply_after_the_window_shows_a_clear_error(client, member, cohort):
    client.force_login(member)
    services.application_save_draft(cohort=cohort, applicant=member, answers={})
    cohort.applications_close_at = timezone.now() - datetime.timedelta(minutes=1)
    cohort.applications_open_at = timezone.now() - datetime.timedelta(days=10)
    cohort.save()
    response = client.post(reverse("cohorts:apply", args=[cohort.slug]), {"submit": "1"})
    assert response.status_code == 200
    assert "closed on" in response.content.decode()


def test_application_detail_only_for_its_applicant(client, member, cohort):
    application = ApplicationFactory(cohort=cohort, applicant=member)
    url = application.get_absolute_url()
    assert _login_redirect(client.get(url))
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "Submitted" in response.content.decode()


def test_accept_an_offer_through_the_page(client, cohort):
    application = OfferedApplicationFactory(cohort=cohort)
    url = reverse("cohorts:offer_accept", args=[application.pk])
    client.force_login(MemberFactory())
    assert client.post(url).status_code == 404
    client.force_login(application.applicant)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response["Location"] == reverse("cohorts:participant_home", args=[cohort.slug])
    assert Participant.objects.get().user == application.applicant


def test_decline_and_withdraw_through_the_page(client, cohort):
    offer = OfferedApplicationFactory(cohort=cohort)
    client.force_login(offer.applicant)
    client.post(reverse("cohorts:offer_decline", args=[offer.pk]))
    assert Application.objects.get(pk=offer.pk).status == "offer_declined"
    response = client.post(reverse("cohorts:application_withdraw", args=[offer.pk]), follow=True)
    assert "can no longer be withdrawn" in response.content.decode()


def test_line_manager_confirms_without_an_account(client, cohort):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    url = reverse("cohorts:line_manager_support", args=[services.line_manager_token(application)])
    assert client.get(url).status_code == 200
    assert client.get(url + "tampered/").status_code == 404
    assert client.get(reverse("cohorts:line_manager_support", args=["nonsense"])).status_code == 404
    response = client.post(url, {"confirm": "on", "comment": "Yes"}, follow=True)
    assert "Support confirmed" in response.content.decode()
    assert Application.objects.get().line_manager_confirmed_at is not None


def test_applicant_resends_the_line_manager_request_from_their_page(
    client, cohort, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    url = reverse("cohorts:line_manager_resend", args=[application.pk])
    client.force_login(MemberFactory())
    assert client.post(url).status_code == 404  # not theirs
    client.force_login(application.applicant)
    assert client.get(url).status_code == 405  # POST only
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Send the request to your line manager again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    html = response.content.decode()
    assert "We have emailed your line manager again" in html
    assert "You can send it again from" in html  # the button is gone for a day
    assert "Send the request to your line manager again" not in html
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]
    response = client.post(url, follow=True)
    assert "sent recently" in response.content.decode()
    assert len(mail.outbox) == 1


def test_no_resend_button_once_support_is_confirmed(client, cohort):
    application = ApplicationFactory(
        cohort=cohort,
        line_manager_email="boss@example.com",
        line_manager_confirmed_at=timezone.now(),
    )
    client.force_login(application.applicant)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Send the request to your line manager again" not in page


# Participant pages ---------------------------------------------------------------------


def test_participant_home_only_for_participants(client, cohort, django_assert_max_num_queries):
    participant = ParticipantFactory(cohort=cohort)
    url = reverse("cohorts:participant_home", args=[cohort.slug])
    assert _login_redirect(client.get(url))
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    withdrawn = ParticipantFactory(cohort=cohort, status="withdrawn")
    client.force_login(withdrawn.user)
    assert client.get(url).status_code == 404

    for order in range(1, 6):
        module = ModuleFactory(version=cohort.version, order=order)
        session = SessionFactory(cohort=cohort, module=module)
        Attendance.objects.create(session=session, participant=participant, status="present")
    for _ in range(8):
        ParticipantFactory(cohort=cohort, visible_to_cohort=True)
    ParticipantFactory(cohort=cohort, visible_to_cohort=False, user__full_name="Hidden Person")
    client.force_login(participant.user)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Present") == 5
    assert "Hidden Person" not in html


def test_participant_chooses_to_be_visible(client, cohort):
    participant = ParticipantFactory(cohort=cohort)
    client.force_login(participant.user)
    client.post(
        reverse("cohorts:participant_home", args=[cohort.slug]), {"visible_to_cohort": "on"}
    )
    participant.refresh_from_db()
    assert participant.visible_to_cohort


def test_project_work_upload_and_rejection(client, cohort):
    participant = ParticipantFactory(cohort=cohort)
    client.force_login(participant.user)
    url = reverse("cohorts:project_work", args=[cohort.slug])
    assert client.get(url).status_code == 200
    data = {
        "title": "Workforce strategies",
        "summary": "Doing it well",
        "profession_map_area": "change",
    }
    response = client.post(url, {**data, "report": upload("deck.docx", office_bytes("ppt"))})
    assert response.status_code == 200
    assert "named .docx but its content is PPTX" in response.content.decode()
    response = client.post(url, {**data, "report": upload("report.pdf", pdf_bytes())})
    assert response.status_code == 302
    assert ProjectWork.objects.get().file_type == "pdf"
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404


def test_project_work_download_permissions(client, cohort, manager, other_manager):
    work = ProjectWorkFactory(participant=ParticipantFactory(cohort=cohort))
    url = work.get_download_url()
    assert client.get(url).status_code == 404
    for outsider in [MemberFactory(), other_manager, ParticipantFactory(cohort=cohort).user]:
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    reviewer = CohortReviewerFactory(cohort=cohort).user
    for allowed in [work.participant.user, manager, reviewer]:
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


def test_project_reports_list_for_managers_and_reviewers(
    client, cohort, manager, other_manager, django_assert_max_num_queries
):
    for _ in range(10):
        ProjectWorkFactory(participant=ParticipantFactory(cohort=cohort))
    url = reverse("cohorts:project_reports", args=[cohort.slug])
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    client.force_login(CohortReviewerFactory(cohort=cohort).user)
    assert client.get(url).status_code == 200
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("/download/") == 10


def test_feedback_form(client):
    cohort = EndedCohortFactory()
    module = ModuleFactory(version=cohort.version, title="Digital technologies in HR/OD")
    participant = ParticipantFactory(cohort=cohort)
    url = reverse("cohorts:feedback", args=[cohort.slug])
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    client.force_login(participant.user)
    assert "Digital technologies in HR/OD" in client.get(url).content.decode()
    response = client.post(
        url, {"overall_rating": "5", f"module_{module.pk}": "4", "comments": "Good"}
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.overall_rating == 5
    assert feedback.module_ratings.get().rating == 4
    assert "already given feedback" in client.get(url).content.decode()


def test_feedback_closed_before_the_end(client, cohort):
    participant = ParticipantFactory(cohort=cohort)
    client.force_login(participant.user)
    response = client.post(reverse("cohorts:feedback", args=[cohort.slug]), {"overall_rating": "5"})
    assert "You can give feedback from the last day" in response.content.decode()
    assert not Feedback.objects.exists()


def test_certificate_for_completers_only(client, cohort):
    completer = CompletedParticipantFactory(cohort=cohort, user__full_name="Asha Patel")
    url = reverse("cohorts:certificate", args=[cohort.slug])
    client.force_login(ParticipantFactory(cohort=cohort).user)
    assert client.get(url).status_code == 404
    client.force_login(completer.user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certificate of completion" in html and "Asha Patel" in html
    assert "th-no-print" in html


# Manager pages -------------------------------------------------------------------------


def test_manage_index_permissions_and_scope(
    client, cohort, manager, other_manager, other_provider, django_assert_max_num_queries
):
    url = reverse("cohorts:manage")
    assert _login_redirect(client.get(url))
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 403
    franchise = CohortFactory(version=cohort.version, provider=other_provider, name="Franchise")
    theirs = CohortFactory(provider=other_provider, name="Theirs")
    for _ in range(12):
        CohortFactory(version=cohort.version, provider=cohort.provider)
    client.force_login(manager)
    for each in Cohort.objects.all():
        SessionFactory(cohort=each)
        SessionFactory(cohort=each)
    # session, user, groups, profile with organisation, the page (no count: it is not
    # full), the page's sessions, subsidy schemes, versions (12 before issue 21's
    # rendering work)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert cohort.name in html
    assert franchise.name in html  # the programme's owner sees its franchisees' cohorts
    assert "As a programme's owner" in html
    assert theirs.name not in html
    # The ways to a cohort's applications and to each session's attendance page.
    applications = reverse("admin:cohorts_application_changelist")
    assert f"{applications}?cohort__id__exact={cohort.pk}" in html
    for session in cohort.sessions.all():
        assert reverse("cohorts:attendance", args=[session.pk]) in html
    for session in franchise.sessions.all():  # theirs to run, not the owner's
        assert reverse("cohorts:attendance", args=[session.pk]) not in html
    client.force_login(other_manager)
    html = client.get(url).content.decode()
    assert franchise.name in html and theirs.name in html
    assert cohort.name not in html  # a franchisee sees only its own
    assert "As a programme's owner" not in html


def test_manage_index_pages_through_every_cohort_with_each_row_s_links(
    client, cohort, manager, other_provider, django_assert_max_num_queries
):
    """More cohorts than a page: every one appears once across the pages, in order, with
    the links its row had when the template reversed them itself; the full first page is
    counted (its page links), the last is not (issue 21)."""
    franchise = CohortFactory(version=cohort.version, provider=other_provider, name="Franchise")
    for n in range(22):
        CohortFactory(version=cohort.version, provider=cohort.provider, name=f"Cohort {n:02}")
    expected = list(Cohort.objects.order_by("-starts_on", "name"))
    client.force_login(manager)
    url = reverse("cohorts:manage")
    with django_assert_max_num_queries(9):  # with the page's sessions
        first = client.get(url)
    with django_assert_max_num_queries(8):
        last = client.get(url, {"page": 2})
    assert client.get(url, {"page": 3}).status_code == 404
    shown = [*first.context["cohorts"], *last.context["cohorts"]]
    assert [c.pk for c in shown] == [c.pk for c in expected]  # 24: 20 then 4
    first_html, last_html = first.content.decode(), last.content.decode()
    assert 'aria-label="Page 2"' in first_html and 'rel="next"' in first_html
    assert 'aria-current="page">2</a>' in last_html and 'rel="next"' not in last_html
    row_pattern = r'<tr class="govuk-table__row">\s*<td(.*?)</tr>'
    rows = re.findall(row_pattern, first_html + last_html, re.S)
    assert len(rows) == len(expected)
    for row, each in zip(rows, expected, strict=True):
        admin = reverse("admin:cohorts_cohort_change", args=[each.pk])
        assert f'href="{admin}">{each.name}<' in row
        assert f'href="{reverse("cohorts:cohort_feedback", kwargs={"slug": each.slug})}"' in row
        reports = reverse("cohorts:project_reports", kwargs={"slug": each.slug})
        if each == franchise:
            assert reports not in row and "Run by a franchisee" in row
        else:
            assert f'href="{reports}"' in row and "Run by a franchisee" not in row
        assert f">{each.get_status_display()}</strong>" in row


def test_manage_index_is_kept_per_provider_until_a_row_changes(
    client,
    settings,
    cohort,
    manager,
    other_manager,
    other_provider,
    django_capture_on_commit_callbacks,
):
    """With kept fragments on (issue 21): a manager's second visit runs none of the
    list's queries; another provider's manager never gets the first one's list; a
    committed change shows on the next request; each page is its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    theirs = CohortFactory(provider=other_provider, name="Theirs")
    url = reverse("cohorts:manage")

    def visit(params=None):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params or {})
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    client.force_login(manager)
    first, queries = visit()
    again, kept_queries = visit()
    assert again == first and kept_queries <= queries - 3  # the page, subsidies, versions
    assert cohort.name in first and theirs.name not in first
    client.force_login(other_manager)
    other, _queries = visit()
    assert theirs.name in other and cohort.name not in other
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        ParticipantFactory(cohort=cohort)
    changed, queries = visit()
    assert changed != first and queries > kept_queries
    row = re.search(rf"{cohort.name}</a>.*?</tr>", changed, re.S).group(0)
    assert re.findall(r'numeric">(\d+)<', row)[1] == "1"  # participants
    for n in range(21):
        CohortFactory(version=cohort.version, provider=cohort.provider, name=f"Cohort {n:02}")
    with django_capture_on_commit_callbacks(execute=True):
        CohortFactory(version=cohort.version, provider=cohort.provider, name="Cohort 21")
    first_page, _queries = visit()
    second_page, _queries = visit({"page": 2})
    assert first_page != second_page and 'aria-current="page">2</a>' in second_page
    assert client.get(url, {"page": 3}).status_code == 404


def test_feedback_reports_are_scoped(client, manager, other_manager):
    cohort = EndedCohortFactory(provider=manager.profile.organisation)
    FeedbackFactory(participant=ParticipantFactory(cohort=cohort), comments="Keep the networking")
    cohort_url = reverse("cohorts:cohort_feedback", args=[cohort.slug])
    version_url = reverse("cohorts:version_feedback", args=[cohort.version.pk])
    client.force_login(other_manager)
    assert client.get(cohort_url).status_code == 404
    assert client.get(version_url).status_code == 404
    client.force_login(manager)
    for url in (cohort_url, version_url):
        html = client.get(url).content.decode()
        assert "Keep the networking" in html
        assert "1 of 1 invited" in html


def test_attendance_recording_page(client, cohort, manager, other_manager):
    session = SessionFactory(cohort=cohort, date=timezone.localdate())
    participants = [ParticipantFactory(cohort=cohort) for _ in range(3)]
    url = reverse("cohorts:attendance", args=[session.pk])
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            f"participant_{participants[0].pk}": "present",
            f"participant_{participants[1].pk}": "apologies",
        },
    )
    assert dict(Attendance.objects.values_list("participant_id", "status")) == {
        participants[0].pk: "present",
        participants[1].pk: "apologies",
    }


def test_attendance_is_not_recorded_for_a_session_still_to_come(client, cohort, manager):
    """Present or absent only from the session's day; apologies before it. One refusal
    records nothing of the page and shows no success banner."""
    session = SessionFactory(cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=3))
    first, second = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    url = reverse("cohorts:attendance", args=[session.pk])
    client.force_login(manager)
    response = client.post(
        url, {f"participant_{first.pk}": "apologies", f"participant_{second.pk}": "present"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attendance can be recorded from the day of the session" in body
    assert "Attendance has been saved." not in body
    assert not Attendance.objects.exists()
    response = client.post(url, {f"participant_{first.pk}": "apologies"})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("status", flat=True)) == ["apologies"]


def test_application_detail_in_a_fixed_number_of_queries(
    client, member, cohort, django_assert_max_num_queries
):
    application = ApplicationFactory(cohort=cohort, applicant=member)
    for _ in range(8):
        question = ApplicationQuestionFactory(programme=cohort.programme)
        application.answers.create(question=question, text="An answer")
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(application.get_absolute_url())
    assert response.content.decode().count("An answer") == 8


def test_certificate_pdf_for_completers_only(client, cohort):
    completer = CompletedParticipantFactory(cohort=cohort, user__full_name="Asha (Ash) Patel")
    url = reverse("cohorts:certificate_pdf", args=[cohort.slug])
    assert _login_redirect(client.get(url))
    client.force_login(ParticipantFactory(cohort=cohort).user)
    assert client.get(url).status_code == 404
    client.force_login(completer.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Asha (Ash) Patel" in reader.pages[0].extract_text()


def test_a_member_gets_only_their_own_certificate(client, cohort):
    """The URL names the cohort, not the person: another completer of the same cohort who
    asks for it gets their own certificate, and a member who is not in it gets a 404."""
    CompletedParticipantFactory(cohort=cohort, user__full_name="Asha Patel")
    other = CompletedParticipantFactory(cohort=cohort, user__full_name="Ben Okafor")
    url = reverse("cohorts:certificate_pdf", args=[cohort.slug])
    client.force_login(other.user)
    text = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "Ben Okafor" in text and "Asha Patel" not in text
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("cohorts:certificate", args=[cohort.slug])).status_code == 404


def test_a_sessions_online_link_is_shown_to_its_participants_only(client):
    """The joining link lets whoever has it into the session: not on the public cohort
    page (found by the permission matrix: anonymous visitors saw it)."""
    from tests.cohorts.factories import ParticipantFactory, SessionFactory
    from tests.factories import MemberFactory

    session = SessionFactory(online_url="https://meet.example.org/aspire-secret-room")
    participant = ParticipantFactory(cohort=session.cohort)
    detail = reverse("cohorts:detail", args=[session.cohort.slug])
    for viewer in [None, MemberFactory()]:
        if viewer:
            client.force_login(viewer)
        page = client.get(detail).content.decode()
        assert "aspire-secret-room" not in page
        assert "Online (participants see the joining link" in page
    client.force_login(participant.user)
    home = client.get(reverse("cohorts:participant_home", args=[session.cohort.slug]))
    assert "aspire-secret-room" in home.content.decode()
