"""The resources section: self-assessments, career conversations and shares."""

import json

import pytest

from resources import services
from resources.models import (
    CareerConversation,
    CompetencyRating,
    ConversationShare,
    SelfAssessment,
    WheelItemRating,
)
from talenthub.core import personal_data
from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory
from tests.resources.factories import (
    WheelItemFactory,
    framework_with_competencies,
    full_ratings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    WheelItemFactory(name="Secondment")
    return framework_with_competencies(name="CIPD Profession Map", is_published=True)


def prepare(member, framework, *, aspirations, manager_email):
    competencies, wheel = full_ratings(framework, value=3)
    services.self_assessment_complete(
        member=member,
        framework=framework,
        competency_ratings=competencies,
        wheel_ratings=wheel,
        reflection=f"Reflection of {member.full_name}",
    )
    conversation = services.career_conversation_save(
        member=member,
        ambition=CareerConversation.Ambition.STEP_UP,
        aspirations=aspirations,
        strengths="Casework",
        development_needs="Data",
        support_wanted="Time",
    )
    share = services.career_conversation_share(
        member=member,
        conversation=conversation,
        manager_email=manager_email,
        manager_name="Priya Shah",
        message="Ahead of Thursday",
    )
    return share


def test_export_contains_assessments_conversations_and_shares(framework):
    me, other = MemberFactory(), MemberFactory()
    prepare(me, framework, aspirations="HR Business Partner", manager_email="priya@nhs.example")
    prepare(other, framework, aspirations="Head of OD", manager_email="sam@council.example")

    section = json.loads(json.dumps(personal_data.export_personal_data(me)))["sections"][
        "resources"
    ]

    assessment = section["self_assessments"][0]
    assert assessment["framework"] == "CIPD Profession Map"
    assert {r["rating"] for r in assessment["competency_ratings"]} == {3}
    assert len(assessment["competency_ratings"]) == 3
    assert assessment["development_wheel_ratings"][0]["item"] == "Secondment"
    conversation = section["career_conversations"][0]
    assert conversation["aspirations"] == "HR Business Partner"
    assert conversation["shared_with"][0]["manager_email"] == "priya@nhs.example"
    text = json.dumps(section)
    assert "Head of OD" not in text and "sam@council.example" not in text
    assert other.full_name not in text


def test_erasure_deletes_private_records_and_the_copies_of_share_emails(framework):
    me, other = MemberFactory(), MemberFactory()
    mine = prepare(me, framework, aspirations="HR Business Partner", manager_email="p@nhs.example")
    theirs = prepare(other, framework, aspirations="Head of OD", manager_email="s@council.example")
    assert OutboundEmail.objects.get(key=mine.email_key).status == OutboundEmail.Status.PENDING

    personal_data.erase_account(me)

    assert not SelfAssessment.objects.filter(member=me).exists()
    assert not CareerConversation.objects.filter(member=me).exists()
    assert not ConversationShare.objects.filter(manager_email="p@nhs.example").exists()
    assert not CompetencyRating.objects.filter(assessment__member=me).exists()
    assert not WheelItemRating.objects.filter(assessment__member=me).exists()
    email = OutboundEmail.objects.get(key=mine.email_key)
    assert (email.to, email.subject, email.body_text) == ("erased@invalid.invalid", "(erased)", "")
    assert email.status == OutboundEmail.Status.FAILED  # never sent after deletion
    assert "HR Business Partner" not in json.dumps(
        list(OutboundEmail.objects.values("to", "subject", "body_text"))
    )
    # The other member's records and email are untouched.
    assert SelfAssessment.objects.filter(member=other).count() == 1
    assert ConversationShare.objects.filter(pk=theirs.pk).exists()
    other_email = OutboundEmail.objects.get(key=theirs.email_key)
    assert other_email.to == "s@council.example" and "Head of OD" in other_email.body_text
    assert personal_data.export_personal_data(me)["sections"]["resources"] == {
        "self_assessments": [],
        "career_conversations": [],
    }
