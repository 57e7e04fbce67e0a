"""The cohorts section: export the member's applications, participations, attendance,
project work, feedback and reviewer roles; erasure frees held places through the cohorts
services (the next person waiting is offered them), keeps every aggregate, and removes
what the person wrote and their project reports."""

import datetime
import json

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import (
    Answer,
    Application,
    Attendance,
    CohortReviewer,
    CompetencyScore,
    Feedback,
    ModuleRating,
    Participant,
    ProjectWork,
)
from cohorts.selectors import feedback_summary
from programmes.models import SubsidyAllocation
from talenthub.core import personal_data
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import (
    ApplicationFactory,
    ApplicationQuestionFactory,
    AttendanceFactory,
    CohortFactory,
    CohortReviewerFactory,
    CompletedParticipantFactory,
    EndedCohortFactory,
    FeedbackFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    SessionFactory,
    WaitingApplicationFactory,
)
from tests.factories import MemberFactory
from tests.programmes.factories import (
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidySchemeFactory,
)
from tests.resources.factories import CompetencyFactory

pytestmark = pytest.mark.django_db


def exported(user) -> dict:
    return json.loads(json.dumps(personal_data.export_personal_data(user)))["sections"]


def erase(user, capture):
    with capture(execute=True):
        personal_data.erase_account(user)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def ended_cohort(provider):
    """An ended Aspire cohort run by WME, with two modules and two sessions."""
    version = ProgrammeVersionFactory(
        programme=ProgrammeFactory(owner=provider, title="Aspire", slug="aspire"), name="Aspire 2.0"
    )
    cohort = EndedCohortFactory(version=version, provider=provider, name="Aspire 2.0 — spring")
    ModuleFactory(version=version, order=1, title="Digital technologies in HR/OD")
    ModuleFactory(version=version, order=2, title="Workforce strategies – doing it well")
    SessionFactory(cohort=cohort, title="Module day 1", date=cohort.starts_on)
    SessionFactory(cohort=cohort, title="Celebration event", date=cohort.ends_on)
    return cohort


def take_part(cohort, user, *, rating=4, comments="", status="completed", attended=("present",)):
    """A participation with attendance, module ratings and feedback."""
    if status == "completed":
        participant = CompletedParticipantFactory(cohort=cohort, user=user)
    else:
        participant = ParticipantFactory(
            cohort=cohort, user=user, status=status, completion_reason="Left the NHS trust"
        )
    for session, mark in zip(cohort.sessions.order_by("date"), attended, strict=False):
        AttendanceFactory(session=session, participant=participant, status=mark)
    feedback = FeedbackFactory(participant=participant, overall_rating=rating, comments=comments)
    for module in cohort.version.modules.all():
        ModuleRating.objects.create(feedback=feedback, module=module, rating=rating)
    return participant


# Export ------------------------------------------------------------------------------


def test_export_lists_everything_about_the_member_and_nobody_else(ended_cohort, manager):
    me = MemberFactory(full_name="Priya Shah")
    other = MemberFactory(full_name="Jordan Baker")
    question = ApplicationQuestionFactory(
        programme=ended_cohort.programme, text="What HR challenge will your project tackle?"
    )
    competency = CompetencyFactory(name="Insights focused")
    for person, words in ((me, "Agile working in a merged council"), (other, "Retention")):
        application = ApplicationFactory(
            cohort=ended_cohort,
            applicant=person,
            status=Application.Status.ACCEPTED,
            line_manager_name=f"{person.full_name}'s manager",
            line_manager_email=f"manager.of.{person.pk}@dudley.gov.uk",
            line_manager_confirmed_at=timezone.now(),
            score=8,
            decision=Application.Decision.OFFER,
            decision_reason=f"Strong case from {person.full_name}",
        )
        Answer.objects.create(application=application, question=question, text=words)
        CompetencyScore.objects.create(
            application=application, competency=competency, self_rating=3, manager_score=2
        )
        participant = take_part(ended_cohort, person, rating=5, comments=f"{words}: loved it")
        participant.application = application
        participant.save()
        ProjectWorkFactory(
            participant=participant,
            title=f"{words}: a project",
            profession_map_area="organisation_development",
            original_filename=f"{person.pk}-report.pdf",
        )
    # A waiting-list place on another cohort, second in line.
    later = CohortFactory(name="Aspire 2.0 — autumn", capacity=1)
    WaitingApplicationFactory(cohort=later, waiting_since=timezone.now() - datetime.timedelta(1))
    WaitingApplicationFactory(cohort=later, applicant=me)
    CohortReviewerFactory(cohort=later, user=me)
    CohortReviewerFactory(cohort=later, user=other)

    section = exported(me)["cohorts"]

    first, waiting = section["applications"]
    assert first["cohort"] == "Aspire 2.0 — spring"
    assert first["status"] == "accepted" and first["submitted_at"]
    assert first["answers"] == [
        {
            "question": "What HR challenge will your project tackle?",
            "answer": "Agile working in a merged council",
        }
    ]
    assert first["self_ratings"] == [{"competency": "Insights focused", "rating": 3}]
    assert (first["score"], first["decision"]) == (8, "offer")
    assert first["decision_reason"] == "Strong case from Priya Shah"
    assert first["line_manager_name"] == "Priya Shah's manager"
    assert first["line_manager_email"] == f"manager.of.{me.pk}@dudley.gov.uk"
    assert first["line_manager_confirmed_at"]
    assert first["waiting_list_position"] is None
    assert waiting["cohort"] == "Aspire 2.0 — autumn" and waiting["waiting_list_position"] == 2

    (participation,) = section["participations"]
    assert participation["cohort"] == "Aspire 2.0 — spring"
    assert participation["status"] == "completed" and participation["completed_at"]
    assert participation["certificate_code"] == me.cohort_participations.get().certificate_code
    assert [a["status"] for a in participation["attendance"]] == ["present"]
    assert participation["attendance"][0]["session"].startswith("Module day 1")
    work = participation["project_work"]
    assert work["title"] == "Agile working in a merged council: a project"
    assert work["profession_map_area"] == "Organisation development and design"
    assert work["file"] == f"{me.pk}-report.pdf" and work["submitted_at"]
    feedback = participation["feedback"]
    assert feedback["overall_rating"] == 5
    assert feedback["comments"] == "Agile working in a merged council: loved it"
    assert feedback["module_ratings"] == [
        {"module": "Digital technologies in HR/OD", "rating": 5},
        {"module": "Workforce strategies – doing it well", "rating": 5},
    ]
    assert section["reviewer_roles"] == [
        {
            "cohort": "Aspire 2.0 — autumn",
            "since": section["reviewer_roles"][0]["since"],
            "role": "Project report reviewer",
        }
    ]
    # Nothing of the other member who applied to, attended and reviewed the same cohorts.
    text = json.dumps(section)
    assert other.full_name not in text and other.email not in text
    assert "Retention" not in text and f"manager.of.{other.pk}" not in text


def test_export_of_someone_without_cohorts_is_empty():
    ApplicationFactory()
    ParticipantFactory()
    assert exported(MemberFactory())["cohorts"] == {
        "applications": [],
        "participations": [],
        "reviewer_roles": [],
        "project_reviews": [],
    }


def test_export_has_a_fixed_number_of_queries(ended_cohort, django_assert_max_num_queries):
    me = MemberFactory()
    for _ in range(4):
        cohort = EndedCohortFactory(version=ended_cohort.version, provider=ended_cohort.provider)
        SessionFactory(cohort=cohort)
        participant = take_part(cohort, me, comments="Good")
        ProjectWorkFactory(participant=participant)
        ApplicationFactory(cohort=cohort, applicant=me, status="accepted")
    from cohorts.personal_data import export_cohorts

    with django_assert_max_num_queries(12):
        data = export_cohorts(me)
    assert len(data["participations"]) == 4 and len(data["applications"]) == 4


# Erasure: places ---------------------------------------------------------------------


def test_erasure_declines_a_held_offer_and_offers_it_to_the_next_in_line(capture):
    cohort = CohortFactory(capacity=1)
    leaver = MemberFactory()
    offer = OfferedApplicationFactory(cohort=cohort, applicant=leaver)
    now = timezone.now()
    first = WaitingApplicationFactory(cohort=cohort, waiting_since=now - datetime.timedelta(2))
    second = WaitingApplicationFactory(cohort=cohort, waiting_since=now - datetime.timedelta(1))
    leaver_email = leaver.email
    mail.outbox.clear()

    erase(leaver, capture)

    offer.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert offer.status == Application.Status.OFFER_DECLINED
    assert first.status == Application.Status.OFFERED and first.offer_expires_at
    assert second.status == Application.Status.WAITING
    # Capacity accounting: exactly the one place, now held by the first in line.
    assert cohort.places_taken() == 1
    # The next person is emailed their offer, once; the erased member gets nothing.
    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients == [first.applicant.email]
    assert leaver_email not in recipients
    declined = OutboundEmail.objects.get(key=f"cohort.offer_declined:{offer.pk}")
    assert declined.status == OutboundEmail.Status.FAILED
    assert declined.to == "erased@invalid.invalid"


def test_erasure_withdraws_open_applications_and_leaves_others_alone(capture):
    leaver = MemberFactory()
    draft = ApplicationFactory(applicant=leaver, status="draft", submitted_at=None)
    submitted = ApplicationFactory(applicant=leaver)
    waiting = WaitingApplicationFactory(applicant=leaver)
    unsuccessful = ApplicationFactory(applicant=leaver, status="unsuccessful")
    someone_elses = WaitingApplicationFactory(cohort=waiting.cohort)

    erase(leaver, capture)

    for application in (draft, submitted, waiting, unsuccessful, someone_elses):
        application.refresh_from_db()
    assert draft.status == submitted.status == waiting.status == "withdrawn"
    assert unsuccessful.status == "unsuccessful"
    assert someone_elses.status == "waiting"
    assert Application.objects.filter(applicant=leaver).count() == 4


def test_erasure_gives_up_a_place_on_a_cohort_still_to_start(provider, capture):
    cohort = CohortFactory(capacity=1)
    scheme = SubsidySchemeFactory(total_places=5, programmes=[cohort.programme])
    cohort.subsidy_scheme = scheme
    cohort.save()
    leaver = MemberFactory()
    participant = services.offer_accept(
        application=OfferedApplicationFactory(cohort=cohort, applicant=leaver), user=leaver
    )
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() == 1
    first = WaitingApplicationFactory(cohort=cohort)

    erase(leaver, capture)

    participant.refresh_from_db()
    first.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN
    assert participant.completion_reason == "Account deleted"
    assert first.status == Application.Status.OFFERED
    assert cohort.places_taken() == 1
    # The subsidised place went back to the scheme.
    assert not SubsidyAllocation.objects.filter(scheme=scheme).exists()


def test_erasure_keeps_a_place_on_a_running_cohort(capture):
    cohort = EndedCohortFactory(ends_on=timezone.localdate() + datetime.timedelta(days=30))
    leaver = MemberFactory()
    participant = ParticipantFactory(cohort=cohort, user=leaver)

    erase(leaver, capture)

    participant.refresh_from_db()
    assert participant.status == Participant.Status.ENROLLED


def test_erasure_stops_line_manager_emails_and_blanks_them(capture):
    leaver = MemberFactory(full_name="Priya Shah")
    application = ApplicationFactory(
        applicant=leaver, line_manager_name="Sam Lee", line_manager_email="sam.lee@dudley.gov.uk"
    )
    services.line_manager_support_request(application=application)
    email = OutboundEmail.objects.get(to="sam.lee@dudley.gov.uk")
    assert email.status == OutboundEmail.Status.PENDING and "Priya Shah" in email.body_text

    erase(leaver, capture)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.to == "erased@invalid.invalid" and "Priya Shah" not in email.body_text
    assert not any("sam.lee@dudley.gov.uk" in m.to for m in mail.outbox)


# Erasure: aggregates and free text ---------------------------------------------------


def test_erasure_keeps_aggregates_and_removes_what_the_person_wrote(ended_cohort, capture):
    leaver = MemberFactory(full_name="Priya Shah")
    application = ApplicationFactory(
        cohort=ended_cohort,
        applicant=leaver,
        status="accepted",
        line_manager_name="Sam Lee",
        line_manager_email="sam.lee@dudley.gov.uk",
        line_manager_comment="Priya is ready for this",
        line_manager_confirmed_at=timezone.now(),
        score=9,
        decision="offer",
        decision_reason="Priya made a strong case",
    )
    question = ApplicationQuestionFactory(programme=ended_cohort.programme)
    Answer.objects.create(application=application, question=question, text="My whole story")
    competency = CompetencyFactory()
    CompetencyScore.objects.create(application=application, competency=competency, self_rating=3)
    participant = take_part(
        ended_cohort, leaver, rating=5, comments="Priya: loved it", attended=("present", "absent")
    )
    participant.application = application
    participant.visible_to_cohort = True
    participant.save()
    take_part(ended_cohort, MemberFactory(), rating=2, comments="Too long")
    take_part(ended_cohort, MemberFactory(), rating=3, status="not_completed")
    CohortReviewerFactory(cohort=ended_cohort, user=leaver)
    kept_reviewer = CohortReviewerFactory(cohort=ended_cohort)

    def aggregates():
        summary = feedback_summary(type(ended_cohort).objects.filter(pk=ended_cohort.pk))
        return {
            "participants": ended_cohort.participants.active().count(),
            "completed": ended_cohort.participants.completed().count(),
            "attendance": Attendance.objects.filter(session__cohort=ended_cohort).count(),
            "present": Attendance.objects.filter(
                session__cohort=ended_cohort, status="present"
            ).count(),
            "responses": summary["responses"],
            "overall": summary["overall"],
            "modules": [
                (m["module__title"], m["average"], m["ratings"]) for m in summary["modules"]
            ],
        }

    before = aggregates()
    assert before["participants"] == 3 and before["completed"] == 2 and before["attendance"] == 4
    old_code = participant.certificate_code

    erase(leaver, capture)

    assert aggregates() == before
    application.refresh_from_db()
    assert (application.status, application.score, application.decision) == ("accepted", 9, "offer")
    assert application.line_manager_name == application.line_manager_email == ""
    assert application.line_manager_comment == ""
    assert application.line_manager_confirmed_at is not None
    assert application.decision_reason == "(erased)"
    assert Answer.objects.get(application=application).text == ""
    assert CompetencyScore.objects.get(application=application).self_rating == 3
    participant.refresh_from_db()
    assert participant.status == "completed" and not participant.visible_to_cohort
    # The public page no longer confirms a certificate under the old code.
    assert participant.certificate_code != old_code
    assert not Participant.objects.filter(certificate_code=old_code).exists()
    feedback = Feedback.objects.get(participant=participant)
    assert feedback.overall_rating == 5 and feedback.comments == ""
    assert feedback.module_ratings.count() == 2
    not_completed = ended_cohort.participants.get(status="not_completed")
    assert not_completed.completion_reason == "Left the NHS trust"  # someone else's
    assert not CohortReviewer.objects.filter(user=leaver).exists()
    assert CohortReviewer.objects.filter(pk=kept_reviewer.pk).exists()
    assert "Priya" not in json.dumps(exported(leaver)["cohorts"])


def test_erasure_blanks_a_reason_for_not_completing(ended_cohort, capture):
    leaver = MemberFactory()
    participant = take_part(ended_cohort, leaver, status="not_completed")

    erase(leaver, capture)

    participant.refresh_from_db()
    assert participant.status == "not_completed"
    assert participant.completion_reason == "(erased)"


def test_erasure_deletes_project_reports_from_storage(
    ended_cohort, manager, client, admin_client, capture
):
    leaver = MemberFactory()
    work = ProjectWorkFactory(
        participant=take_part(ended_cohort, leaver),
        title="Agile working",
        summary="Priya's project",
        original_filename="priya-shah-report.pdf",
    )
    others = ProjectWorkFactory(participant=take_part(ended_cohort, MemberFactory()))
    storage, name = work.file.storage, work.file.name
    assert storage.exists(name)

    erase(leaver, capture)

    assert not storage.exists(name)
    assert storage.exists(others.file.name)
    work.refresh_from_db()
    assert (work.title, work.summary, work.original_filename, work.file.name) == (
        "(erased)",
        "",
        "",
        "",
    )
    # The submission still counts (its area and date stay); there is nothing to download.
    assert work.profession_map_area == "change" and work.submitted_at
    assert ProjectWork.objects.filter(participant__cohort=ended_cohort).count() == 2
    client.force_login(manager)
    download = reverse("cohorts:project_work_download", kwargs={"pk": work.pk})
    assert client.get(download).status_code == 404
    reports = client.get(reverse("cohorts:project_reports", kwargs={"slug": ended_cohort.slug}))
    assert reports.status_code == 200
    assert "deleted with its author" in reports.content.decode()
    changelist = admin_client.get(reverse("admin:cohorts_projectwork_changelist"))
    assert "Deleted with its author" in changelist.content.decode()


def test_a_rolled_back_erasure_keeps_the_report(ended_cohort, capture):
    leaver = MemberFactory()
    work = ProjectWorkFactory(participant=take_part(ended_cohort, leaver))
    storage, name = work.file.storage, work.file.name

    with capture(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        personal_data.erase_account(leaver)
        raise RuntimeError("something later failed")

    assert storage.exists(name)
    work.refresh_from_db()
    assert work.title == "Workforce strategies in a merged council"


def test_alumni_section_is_its_own_and_cohorts_is_registered_by_cohorts():
    from alumni import personal_data as alumni_personal_data
    from cohorts.personal_data import erase_cohorts, export_cohorts

    sections = {s.name: s for s in personal_data.sections()}
    assert sections["cohorts"].exporter is export_cohorts
    assert sections["cohorts"].eraser is erase_cohorts
    assert not hasattr(alumni_personal_data, "export_cohorts")
    assert sections["alumni"].exporter is alumni_personal_data.export_alumni


# Concurrency (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_erasing_offer_holders_racing_promotions_keeps_places_in_order():
    """Two members holding offers are erased while the waiting list is promoted and an
    expiry run happens, on real threads: never more places than capacity, and the freed
    places go to the first two people waiting, in order."""
    from tests.concurrency import run_at_once

    cohort = CohortFactory(capacity=3)
    leavers = [OfferedApplicationFactory(cohort=cohort).applicant for _ in range(2)]
    stayer = OfferedApplicationFactory(cohort=cohort)
    start = timezone.now() - datetime.timedelta(hours=1)
    waiting = [
        WaitingApplicationFactory(
            cohort=cohort, waiting_since=start + datetime.timedelta(minutes=i)
        )
        for i in range(5)
    ]

    _, errors = run_at_once(
        [lambda u=u: personal_data.erase_account(u) for u in leavers]
        + [lambda: services.cohort_fill_places(cohort=cohort)] * 3
        + [services.offers_expire]
    )

    assert errors == []
    assert cohort.places_taken() == 3
    statuses = dict(Application.objects.filter(cohort=cohort).values_list("applicant_id", "status"))
    assert [statuses[u.pk] for u in leavers] == ["offer_declined", "offer_declined"]
    assert statuses[stayer.applicant_id] == "offered"
    assert [statuses[a.applicant_id] for a in waiting] == [
        "offered",
        "offered",
        "waiting",
        "waiting",
        "waiting",
    ]
