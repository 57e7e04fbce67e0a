import pytest
from django.core import mail

from resources.models import CompetencyRating, ConversationShare, SelfAssessment, WheelItemRating
from resources.services import (
    ResourcesError,
    career_conversation_save,
    career_conversation_share,
    self_assessment_complete,
)
from talenthub.core.models import OutboundEmail
from talenthub.core.tasks import send_outbound_email
from tests.factories import MemberFactory
from tests.helpers import raises_code

from .factories import (
    CareerConversationFactory,
    CompetencyFactory,
    WheelItemFactory,
    framework_with_competencies,
    full_ratings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    WheelItemFactory(name="Coaching")
    WheelItemFactory(name="Mentoring")
    return framework_with_competencies(count=3)


# --- Self-assessment ---------------------------------------------------------------------


def test_complete_records_every_rating(member, framework):
    competencies, wheel = full_ratings(framework, value=3, wheel_value=4)
    assessment = self_assessment_complete(
        member=member,
        framework=framework,
        competency_ratings=competencies,
        wheel_ratings=wheel,
        reflection="  Work on data.  ",
    )
    assert assessment.member == member
    assert assessment.reflection == "Work on data."
    assert sorted(r.rating for r in assessment.competency_ratings.all()) == [3, 3, 3]
    assert [r.rating for r in assessment.wheel_ratings.all()] == [4, 4]


def test_each_completion_is_kept(member, framework):
    for value in (1, 2, 4):
        competencies, wheel = full_ratings(framework, value=value)
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )
    assert SelfAssessment.objects.filter(member=member).count() == 3
    assert CompetencyRating.objects.filter(assessment__member=member).count() == 9
    assert sorted({r.rating for r in CompetencyRating.objects.all()}) == [1, 2, 4]


def test_missing_competency_is_named(member, framework):
    competencies, wheel = full_ratings(framework)
    missing = framework.competencies.all()[1]
    del competencies[missing.pk]
    with raises_code(ResourcesError, "ratings_missing") as error:
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )
    # Naming what is missing is the point of the message.
    assert error.value.message == f"Rate every competency. Missing: {missing.name}."
    assert not SelfAssessment.objects.exists()


def test_missing_wheel_items_are_named(member, framework):
    competencies, _ = full_ratings(framework)
    with raises_code(ResourcesError, "ratings_missing", match="Coaching and Mentoring"):
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings={}
        )


@pytest.mark.parametrize("bad", [0, 5, -1, "three", 2.5, None])
def test_rating_outside_the_scale_is_refused(member, framework, bad):
    competencies, wheel = full_ratings(framework)
    first = framework.competencies.all()[0]
    competencies[first.pk] = bad
    code = "ratings_missing" if bad is None else "rating_out_of_range"
    with raises_code(ResourcesError, code, match=first.name if bad is not None else None):
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )
    assert not CompetencyRating.objects.exists()


def test_rating_a_competency_of_another_framework_is_refused(member, framework):
    competencies, wheel = full_ratings(framework)
    competencies[CompetencyFactory().pk] = 3
    with raises_code(ResourcesError, "unknown_items"):
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )


def test_inactive_wheel_items_are_not_asked(member, framework):
    WheelItemFactory(name="Retired spoke", is_active=False)
    competencies, wheel = full_ratings(framework)
    assessment = self_assessment_complete(
        member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
    )
    assert "Retired spoke" not in [str(r.wheel_item) for r in assessment.wheel_ratings.all()]
    assert WheelItemRating.objects.count() == 2


def test_unpublished_or_empty_frameworks_cannot_be_assessed(member, framework):
    competencies, wheel = full_ratings(framework)
    framework.is_published = False
    framework.save()
    with raises_code(ResourcesError, "framework_not_open"):
        self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )
    empty = framework_with_competencies(count=0)
    with raises_code(ResourcesError, "framework_empty"):
        self_assessment_complete(
            member=member, framework=empty, competency_ratings={}, wheel_ratings=wheel
        )


# --- Career conversations ----------------------------------------------------------------

ANSWERS = {
    "title": "Spring career conversation",
    "ambition": "step_up",
    "aspirations": "Become an HR Business Partner.",
    "strengths": "Casework.",
    "development_needs": "Data.",
    "support_wanted": "A secondment.",
}


def test_conversation_is_created_and_edited_by_its_owner(member):
    coaching = WheelItemFactory(name="Coaching")
    conversation = career_conversation_save(member=member, wheel_items=[coaching], **ANSWERS)
    assert conversation.member == member
    assert list(conversation.wheel_items.all()) == [coaching]
    updated = career_conversation_save(
        member=member,
        conversation=conversation,
        wheel_items=[],
        **{**ANSWERS, "strengths": "  Casework and coaching.  "},
    )
    assert updated.pk == conversation.pk
    assert updated.strengths == "Casework and coaching."
    assert not updated.wheel_items.exists()


def test_conversation_requires_the_guided_answers(member):
    with raises_code(ResourcesError, "blank") as error:
        career_conversation_save(member=member, **{**ANSWERS, "aspirations": "  "})
    assert "aspirations" in error.value.field_errors


def test_someone_else_cannot_edit_a_conversation(member):
    conversation = CareerConversationFactory()
    with raises_code(ResourcesError, "not_yours"):
        career_conversation_save(member=member, conversation=conversation, **ANSWERS)


def _share(conversation, email="line.manager@example.org", **kwargs):
    return career_conversation_share(
        member=conversation.member, conversation=conversation, manager_email=email, **kwargs
    )


def test_share_emails_the_manager_once(django_capture_on_commit_callbacks):
    conversation = CareerConversationFactory(member__full_name="Priya Shah")
    with django_capture_on_commit_callbacks(execute=True):
        share = _share(conversation, email=" Line.Manager@Example.org ", manager_name="Sam")
    assert share.manager_email == "line.manager@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["line.manager@example.org"]
    assert "Priya Shah has shared their career conversation preparation" in message.subject
    assert "Dear Sam," in message.body
    assert conversation.aspirations in message.body
    assert OutboundEmail.objects.get().key == f"resources.conversation_shared:{share.pk}"

    # The same version shared again (a double-clicked button) is the same share, no email.
    with django_capture_on_commit_callbacks(execute=True):
        again = _share(conversation)
    assert again.pk == share.pk
    assert len(mail.outbox) == 1

    # The send task running twice sends once.
    email = OutboundEmail.objects.get()
    send_outbound_email.delay(email.pk)
    send_outbound_email.delay(email.pk)
    assert len(mail.outbox) == 1


def test_sharing_an_edited_version_is_a_new_share(django_capture_on_commit_callbacks):
    conversation = CareerConversationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _share(conversation)
    conversation = career_conversation_save(
        member=conversation.member,
        conversation=conversation,
        **{**ANSWERS, "aspirations": "Head of OD."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = _share(conversation)
    assert second.pk != first.pk
    assert len(mail.outbox) == 2
    assert "Head of OD." in mail.outbox[1].body
    assert ConversationShare.objects.filter(conversation=conversation).count() == 2


def test_share_refuses_bad_addresses_and_other_people():
    conversation = CareerConversationFactory()
    with raises_code(ResourcesError, "invalid") as error:
        _share(conversation, email="not-an-email")
    assert list(error.value.field_errors) == ["manager_email"]
    with raises_code(ResourcesError, "own_email"):
        _share(conversation, email=conversation.member.email.upper())
    with raises_code(ResourcesError, "not_yours"):
        career_conversation_share(
            member=MemberFactory(), conversation=conversation, manager_email="m@example.org"
        )
    assert not ConversationShare.objects.exists()
    assert not OutboundEmail.objects.exists()
