"""The compact section: roles, groups, meetings, surveys, bulletins, actions."""

import datetime
import json

import pytest
from django.utils import timezone

from compact import selectors
from compact.models import (
    Action,
    Attendance,
    BulletinSubscription,
    CharterSignatory,
    CompactRole,
    GroupMembership,
    ProgressUpdate,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)
from talenthub.core import personal_data
from tests.compact.factories import (
    ActionFactory,
    AttendanceFactory,
    CharterFactory,
    CompactFactory,
    DocumentFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    QuestionFactory,
    RoleFactory,
    SignatoryFactory,
    SurveyFactory,
)
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def reply(survey, person, **answers):
    invitation = SurveyInvitation.objects.create(
        survey=survey, person=person, responded_on=datetime.date(2008, 6, 1)
    )
    for question in survey.questions.order_by("order"):
        SurveyAnswer.objects.create(
            invitation=invitation, question=question, **answers[question.kind]
        )
    return invitation


@pytest.fixture
def world():
    """Two people in one compact: ``me`` (to be erased) and ``other``, with every kind of
    compact record, and numbers the reports compute from them."""
    me = MemberFactory(full_name="Alex Morgan")
    other = MemberFactory(full_name="Jordan Baker")
    compact = CompactFactory()
    derby, council = (
        OrganisationFactory(name="Derby NHS"),
        OrganisationFactory(name="Erewash Borough"),
    )
    # Members from the start of the year: the January meetings count for them.
    charter = CharterFactory(
        compact=compact, starts_on=datetime.date(timezone.localdate().year, 1, 1)
    )
    signature = SignatoryFactory(
        charter=charter,
        organisation=derby,
        senior_representative=other,
        deputy=me,
        signatory_name="Alex Morgan, Director of HR",
    )
    SignatoryFactory(charter=charter, organisation=council, senior_representative=other)
    group = GroupFactory(compact=compact)
    MembershipFactory(group=group, person=me, organisation=derby)
    MembershipFactory(group=group, person=other, organisation=council)
    year = timezone.localdate().year
    held = [
        MeetingFactory(group=group, starts_at=timezone.now().replace(month=1, day=15 + i))
        for i in range(3)
    ]
    AttendanceFactory(meeting=held[0], person=me, organisation=derby)
    AttendanceFactory(meeting=held[1], person=me, organisation=derby, status="apologies")
    AttendanceFactory(meeting=held[0], person=other, organisation=council)
    AttendanceFactory(meeting=held[2], person=other, organisation=council)
    RoleFactory(compact=compact, user=me, role=CompactRole.Role.STEERING)
    RoleFactory(compact=compact, user=other, role=CompactRole.Role.SECRETARIAT)
    BulletinSubscription.objects.create(compact=compact, user=me)
    BulletinSubscription.objects.create(compact=compact, user=other)
    action = ActionFactory(
        plan__compact=compact,
        lead_person=me,
        lead_organisation=derby,
        lead_note="Alex Morgan with the Sub-Group",
    )
    ProgressUpdate.objects.create(
        action=action,
        author=me,
        on=datetime.date(2008, 5, 1),
        status="on_track",
        percent_complete=40,
        note="Alex Morgan met the trusts and agreed a plan",
    )
    survey = SurveyFactory(compact=compact, group=group, sent_on=datetime.date(2008, 5, 1))
    QuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT, text="What worked?")
    QuestionFactory(survey=survey, kind=SurveyQuestion.Kind.YES_NO, text="Continue?")
    QuestionFactory(survey=survey, kind=SurveyQuestion.Kind.SCALE, text="How useful?")
    reply(
        survey,
        me,
        text={"text": "My trust gained two apprentices"},
        yes_no={"yes": True},
        scale={"scale": 4},
    )
    reply(
        survey,
        other,
        text={"text": "Joint training worked"},
        yes_no={"yes": False},
        scale={"scale": 2},
    )
    SurveyInvitation.objects.create(survey=survey, person=MemberFactory())
    document = DocumentFactory(compact=compact, uploaded_by=me)
    return locals()


def report(compact, year):
    return [
        (r.organisation.name, r.meetings_held, r.attended, r.apologies)
        for r in selectors.attendance_report(compact=compact, year=year)
    ]


def results(compact, survey):
    counted = selectors.survey_get(compact=compact, pk=survey.pk)
    questions = {q.kind: q for q in counted.questions.all()}
    return (
        counted.sent_count,
        counted.reply_count,
        counted.usable_count,
        questions["yes_no"].yes_count,
        questions["yes_no"].no_count,
        questions["scale"].scale_mean,
    )


def test_export_contains_the_member_records_only(world):
    me = world["me"]
    section = json.loads(json.dumps(personal_data.export_personal_data(me)))["sections"]["compact"]
    assert [r["role"] for r in section["roles"]] == ["steering"]
    assert section["group_memberships"][0]["organisation"] == "Derby NHS"
    assert sorted(a["status"] for a in section["meeting_attendance"]) == ["apologies", "present"]
    invitation = section["survey_invitations"][0]
    assert {a["text"] for a in invitation["answers"]} >= {"My trust gained two apprentices"}
    assert {a["scale"] for a in invitation["answers"]} >= {4}
    assert len(section["bulletin_subscriptions"]) == 1
    assert section["progress_updates"][0]["percent_complete"] == 40
    assert section["actions_led"][0]["lead_organisation"] == "Derby NHS"
    assert section["charter_signatures"][0]["as"] == ["deputy"]
    text = json.dumps(section)
    assert "Joint training worked" not in text and "Jordan Baker" not in text
    assert "secretariat" not in text and "Erewash" not in text


def test_erasure_keeps_reports_and_removes_identity(world):
    me, other, compact, survey = world["me"], world["other"], world["compact"], world["survey"]
    year = world["year"]
    report_before = report(compact, year)
    results_before = results(compact, survey)
    attendance_before = Attendance.objects.count()
    assert report_before == [("Derby NHS", 3, 1, 1), ("Erewash Borough", 3, 2, 0)]

    personal_data.erase_account(me)

    # Aggregates: attendance report and survey response rates and results unchanged.
    assert report(compact, year) == report_before
    assert results(compact, survey) == results_before
    assert Attendance.objects.count() == attendance_before
    assert SurveyInvitation.objects.filter(person=me, responded_on__isnull=False).count() == 1
    # Their words and their name as text are gone.
    texts = set(SurveyAnswer.objects.filter(invitation__person=me).values_list("text", flat=True))
    assert texts == {""}
    assert "Joint training worked" in SurveyAnswer.objects.values_list("text", flat=True)
    update = ProgressUpdate.objects.get(author=me)
    assert "Alex Morgan" not in update.note and update.percent_complete == 40
    action = Action.objects.get(pk=world["action"].pk)
    assert action.lead_person is None and action.lead_organisation == world["derby"]
    assert "Alex Morgan" not in action.lead_note
    signature = CharterSignatory.objects.get(pk=world["signature"].pk)
    assert signature.deputy is None and signature.senior_representative == other
    assert signature.signatory_name == "(erased), Director of HR"
    world["document"].refresh_from_db()
    assert world["document"].uploaded_by is None
    # Roles and subscriptions go; the membership ends; the other person keeps theirs.
    assert not CompactRole.objects.filter(user=me).exists()
    assert not BulletinSubscription.objects.filter(user=me).exists()
    assert CompactRole.objects.filter(user=other).count() == 1
    assert BulletinSubscription.objects.filter(user=other).count() == 1
    mine = GroupMembership.objects.get(person=me)
    assert mine.ends_on == timezone.localdate()
    assert GroupMembership.objects.get(person=other).ends_on is None
    # Nothing in the compact export still names them.
    exported = json.dumps(
        personal_data.export_personal_data(me)["sections"]["compact"], default=str
    )
    assert "Alex Morgan" not in exported
