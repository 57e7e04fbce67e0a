import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resources.models import (
    CompetencyIndicator,
    CompetencyRating,
    DevelopmentOpportunity,
    SelfAssessment,
    WheelItemRating,
)
from tests.factories import ProgrammeFactory

from .factories import (
    CompetencyFactory,
    CompetencyIndicatorFactory,
    FrameworkFactory,
    PathwayLevelFactory,
    WheelItemFactory,
)

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_ratings_are_on_the_one_to_four_scale_in_the_database(member):
    competency = CompetencyFactory()
    assessment = SelfAssessment.objects.create(member=member, framework=competency.framework)
    for bad in (0, 5):
        _violates(
            lambda bad=bad: CompetencyRating.objects.create(
                assessment=assessment, competency=competency, rating=bad
            )
        )
        _violates(
            lambda bad=bad: WheelItemRating.objects.create(
                assessment=assessment, wheel_item=WheelItemFactory(), rating=bad
            )
        )
    CompetencyRating.objects.create(assessment=assessment, competency=competency, rating=4)
    _violates(
        lambda: CompetencyRating.objects.create(
            assessment=assessment, competency=competency, rating=2
        )
    )


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
