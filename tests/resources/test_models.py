import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resources.models import (
    CompetencyIndicator,
    DevelopmentOpportunity,
)
from tests.programmes.factories import ProgrammeFactory

from .factories import (
    CompetencyFactory,
    CompetencyIndicatorFactory,
    CompetencyRatingFactory,
    ConversationShareFactory,
    FrameworkFactory,
    PathwayLevelFactory,
    SelfAssessmentFactory,
    WheelItemRatingFactory,
)

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_ratings_are_on_the_one_to_four_scale_in_the_database(member):
    assessment = SelfAssessmentFactory(member=member)
    for bad in (0, 5):
        _violates(lambda bad=bad: CompetencyRatingFactory(assessment=assessment, rating=bad))
        _violates(lambda bad=bad: WheelItemRatingFactory(assessment=assessment, rating=bad))
    rating = CompetencyRatingFactory(assessment=assessment, rating=4)
    _violates(
        lambda: CompetencyRatingFactory(
            assessment=assessment, competency=rating.competency, rating=2
        )
    )
    wheel = WheelItemRatingFactory(assessment=assessment)
    _violates(lambda: WheelItemRatingFactory(assessment=assessment, wheel_item=wheel.wheel_item))


@pytest.mark.parametrize(
    "factory",
    [
        SelfAssessmentFactory,
        CompetencyRatingFactory,
        WheelItemRatingFactory,
        ConversationShareFactory,
    ],
)
def test_factories_make_valid_rows(factory):
    row = factory()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_competency_rating_factory_rates_a_competency_of_the_assessed_framework():
    rating = CompetencyRatingFactory()
    assert rating.competency.framework == rating.assessment.framework


def test_a_version_is_shared_with_the_same_manager_once():
    share = ConversationShareFactory(manager_email="sam.patel@example.com")
    _violates(
        lambda: ConversationShareFactory(
            conversation=share.conversation,
            manager_email="sam.patel@example.com",
            conversation_updated_at=share.conversation_updated_at,
        )
    )
    # Another manager, or the same one after an edit, is a new share.
    ConversationShareFactory(conversation=share.conversation)


def test_one_indicator_per_competency_and_level():
    indicator = CompetencyIndicatorFactory(level=2)
    duplicate = CompetencyIndicator(competency=indicator.competency, level=2, text="Again")
    with pytest.raises(ValidationError, match="already has indicators at that level"):
        duplicate.full_clean()
    _violates(lambda: CompetencyIndicatorFactory(competency=indicator.competency, level=5))


def test_development_opportunity_rules():
    level = PathwayLevelFactory(level=2)
    cipd = DevelopmentOpportunity(pathway_level=level, kind="cipd")
    with pytest.raises(ValidationError, match="Choose the CIPD membership grade"):
        cipd.full_clean()
    national = DevelopmentOpportunity(pathway_level=level, kind="national", title="")
    with pytest.raises(ValidationError, match="Give the programme's name"):
        national.full_clean()
    linked = DevelopmentOpportunity(
        pathway_level=level, kind="national", title="Nye Bevan", programme=ProgrammeFactory()
    )
    with pytest.raises(ValidationError, match="Only an academy programme"):
        linked.full_clean()
    grade = DevelopmentOpportunity.objects.create(
        pathway_level=level, kind="cipd", cipd_grade="associate"
    )
    assert grade.display_title == "Associate member (Assoc CIPD)"


def test_competency_names_are_unique_within_a_framework():
    competency = CompetencyFactory(name="Using data")
    CompetencyFactory(name="Using data", framework=FrameworkFactory())
    _violates(lambda: CompetencyFactory(name="Using data", framework=competency.framework))
