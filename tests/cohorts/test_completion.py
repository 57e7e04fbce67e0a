"""Completion by rule (issue 18, item 4): the version's rule decides, a manager may
override with a recorded reason, and the certificate dates from completion with the CPD
hours earned. Session kinds (item 7): no project work for a workshop unless its version
asks for it."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cohorts import services
from cohorts.certificates import certificate_html
from cohorts.exceptions import CohortError
from cohorts.models import Attendance, Participant
from programmes.models import Programme
from talenthub.core.models import AuditLog
from tests.cohorts.factories import (
    AttendanceFactory,
    CohortFactory,
    FeedbackFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    SessionFactory,
    pdf_bytes,
    upload,
)
from tests.helpers import raises_code
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _aspire_2027(**rule):
    """A cohort running March–October 2027 with five sessions of 09:30–16:30."""
    version = ProgrammeVersionFactory(
        completion_min_sessions=rule.get("min_sessions"),
        completion_requires_project_work=rule.get("project_work", False),
        completion_requires_feedback=rule.get("feedback", False),
        completion_requires_cohort_ended=rule.get("ended", True),
    )
    cohort = CohortFactory(
        version=version,
        applications_open_at=datetime.datetime(2026, 10, 1, tzinfo=UTC),
        applications_close_at=datetime.datetime(2027, 1, 31, tzinfo=UTC),
        starts_on=datetime.date(2027, 3, 4),
        ends_on=datetime.date(2027, 10, 28),
    )
    sessions = [
        SessionFactory(
            cohort=cohort,
            date=datetime.date(2027, 3 + i, 4),
            starts_at=datetime.time(9, 30),
            ends_at=datetime.time(16, 30),
        )
        for i in range(5)
    ]
    return cohort, sessions


@time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=UTC))
def test_a_participant_of_a_2027_cohort_cannot_be_completed_in_december_2026(manager):
    """The bug in the issue: marked completed on 4 December 2026, with a certificate
    dated that day, for a cohort running March–October 2027. Before this change the
    service completed them (this test failed on it)."""
    cohort, _sessions = _aspire_2027()
    participant = ParticipantFactory(cohort=cohort)
    with raises_code(CohortError, "completion_rule_not_met") as refused:
        services.participant_mark_completed(participant=participant, actor=manager)
    assert refused.value.reasons == ["The cohort runs until 28 October 2027."]
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ENROLLED
    assert participant.completed_at is None
    # Not even an override completes someone before their cohort starts.
    with raises_code(CohortError, "cohort_not_started"):
        services.participant_mark_completed(
            participant=participant, actor=manager, override_reason="Agreed early"
        )


def test_completion_refused_then_allowed_and_the_certificate_dates_from_it(manager):
    cohort, sessions = _aspire_2027(min_sessions=4, project_work=True, feedback=True)
    participant = ParticipantFactory(cohort=cohort)
    for session in sessions[:3]:
        AttendanceFactory(session=session, participant=participant)
    AttendanceFactory(session=sessions[3], participant=participant, status="absent")

    with time_machine.travel(datetime.datetime(2027, 10, 29, 9, tzinfo=UTC)):
        with raises_code(CohortError, "completion_rule_not_met") as refused:
            services.participant_mark_completed(participant=participant, actor=manager)
        assert refused.value.reasons == [
            "3 sessions attended of the 4 required.",
            "Project work not yet submitted.",
            "Feedback not yet given.",
        ]
    AttendanceFactory(session=sessions[4], participant=participant)
    ProjectWorkFactory(participant=participant)
    FeedbackFactory(participant=participant)

    with time_machine.travel(datetime.datetime(2027, 11, 2, 9, tzinfo=UTC)):
        done = services.participant_mark_completed(participant=participant, actor=manager)
    assert done.status == Participant.Status.COMPLETED
    assert done.completed_at.date() == datetime.date(2027, 11, 2)
    assert done.completion_override_reason == ""
    assert AuditLog.objects.filter(
        action="cohorts.participant_completed", object_id=str(done.pk)
    ).exists()
    # Four sessions attended, seven hours each (09:30–16:30).
    html = certificate_html(done, verify_url="https://example.test/v")
    assert "Completed on 2 November 2027" in html
    assert "28 CPD hours" in html


def test_a_manager_overrides_the_rule_with_a_recorded_reason(manager):
    cohort, _sessions = _aspire_2027(min_sessions=5)
    participant = ParticipantFactory(cohort=cohort)
    with time_machine.travel(datetime.datetime(2027, 11, 1, 9, tzinfo=UTC)):
        with raises_code(CohortError, "completion_rule_not_met"):
            services.participant_mark_completed(
                participant=participant, actor=manager, override_reason="   "
            )
        done = services.participant_mark_completed(
            participant=participant,
            actor=manager,
            override_reason="Attended the equivalent sessions with the EMC cohort",
        )
    assert done.status == Participant.Status.COMPLETED
    assert done.completion_override_reason.startswith("Attended the equivalent")
    entry = AuditLog.objects.get(
        action="cohorts.participant_completed_by_override", object_id=str(done.pk)
    )
    assert entry.reason.startswith("Attended the equivalent")
    assert entry.data["unmet"] == ["0 sessions attended of the 5 required."]


def test_a_withdrawn_participant_never_completes(manager):
    cohort, _sessions = _aspire_2027(ended=False)
    participant = ParticipantFactory(cohort=cohort, status=Participant.Status.WITHDRAWN)
    with raises_code(CohortError, "participant_withdrawn"):
        services.participant_mark_completed(
            participant=participant, actor=manager, override_reason="Please"
        )


def test_session_cpd_hours_are_as_set_or_the_sessions_length():
    session = SessionFactory(starts_at=datetime.time(9, 30), ends_at=datetime.time(12, 50))
    assert session.cpd_hours_awarded == Decimal("3")  # whole half hours
    session.cpd_hours = Decimal("2.5")
    assert session.cpd_hours_awarded == Decimal("2.5")


# Session kinds and cohort features ------------------------------------------------------


def _workshop_participant(project_work=None):
    programme = ProgrammeFactory(kind=Programme.Kind.WORKSHOP, title="Inspire OD")
    version = ProgrammeVersionFactory(programme=programme, project_work=project_work)
    return ParticipantFactory(cohort=CohortFactory(version=version))


def test_a_workshop_has_no_project_work_unless_its_version_asks_for_it(client):
    participant = _workshop_participant()
    with raises_code(CohortError, "project_work_not_offered"):
        services.project_work_submit(
            participant=participant,
            title="A report",
            summary="Summary",
            profession_map_area="change",
            upload=upload("report.pdf", pdf_bytes(), "application/pdf"),
        )
    client.force_login(participant.user)
    slug = participant.cohort.slug
    page = client.get(reverse("cohorts:participant_home", args=[slug]))
    assert page.status_code == 200
    assert "Submit your project work" not in page.content.decode()
    assert client.get(reverse("cohorts:project_work", args=[slug])).status_code == 404

    asked = _workshop_participant(project_work=True)
    services.project_work_submit(
        participant=asked,
        title="A report",
        summary="Summary",
        profession_map_area="change",
        upload=upload("report.pdf", pdf_bytes(), "application/pdf"),
    )
    client.force_login(asked.user)
    page = client.get(reverse("cohorts:participant_home", args=[asked.cohort.slug]))
    assert "Replace your project work" in page.content.decode()


def test_a_version_cannot_require_project_work_it_does_not_have():
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    programme = ProgrammeFactory(kind=Programme.Kind.WORKSHOP)
    version = ProgrammeVersionFactory.build(
        programme=programme, completion_requires_project_work=True
    )
    with pytest.raises(ValidationError) as refused:
        version.clean()
    assert refused.value.error_dict["completion_requires_project_work"][0].code == (
        "no_project_work_to_require"
    )


# The managers' completion page -------------------------------------------------------------


def test_completion_page_refuses_then_completes_and_is_scoped(
    client, manager, provider, django_assert_max_num_queries
):
    cohort, sessions = _aspire_2027(min_sessions=1)
    cohort.provider = provider
    cohort.save()
    people = [ParticipantFactory(cohort=cohort) for _ in range(8)]
    for person in people:
        AttendanceFactory(session=sessions[0], participant=person)
    late = ParticipantFactory(cohort=cohort)
    url = reverse("cohorts:completion", args=[cohort.slug])

    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(ParticipantFactory().user)
    assert client.get(url).status_code == 403  # a member
    other = CohortFactory()  # another provider's cohort
    client.force_login(manager)
    assert client.get(reverse("cohorts:completion", args=[other.slug])).status_code == 404

    with time_machine.travel(datetime.datetime(2027, 10, 29, 9, tzinfo=UTC)):
        client.force_login(manager)  # a session from December 2026 has expired
        with django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "0 sessions attended of the 1 required." in body

        refused = client.post(url, {f"p{late.pk}-participant": late.pk})
        assert refused.status_code == 200
        assert "There is a problem" in refused.content.decode()
        late.refresh_from_db()
        assert late.status == Participant.Status.ENROLLED

        done = client.post(
            url,
            {f"p{late.pk}-participant": late.pk, f"p{late.pk}-override_reason": "Joined late"},
        )
        assert done.status_code == 302
        late.refresh_from_db()
        assert late.status == Participant.Status.COMPLETED

        client.post(url, {f"p{people[0].pk}-participant": people[0].pk})
        people[0].refresh_from_db()
        assert people[0].status == Participant.Status.COMPLETED
    # Attendance is what the rule counted.
    assert Attendance.objects.filter(participant=people[0], status="present").count() == 1
