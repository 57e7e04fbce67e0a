"""Factories for the career resource hub."""

import factory
from factory.django import DjangoModelFactory

from resources.models import (
    CareerConversation,
    Competency,
    CompetencyIndicator,
    CompetencyRating,
    ConversationShare,
    DevelopmentOpportunity,
    Framework,
    PathwayLevel,
    PathwayRole,
    PathwayStep,
    ProgrammeSelectionFramework,
    Rating,
    SelfAssessment,
    WheelItem,
    WheelItemRating,
    WheelRating,
)
from tests.factories import MemberFactory


class PathwayLevelFactory(DjangoModelFactory):
    class Meta:
        model = PathwayLevel
        django_get_or_create = ("level",)

    level = 1
    summary = "Entry and operational roles."


class PathwayStepFactory(DjangoModelFactory):
    class Meta:
        model = PathwayStep

    level = factory.SubFactory(PathwayLevelFactory)
    order = factory.Sequence(lambda n: n + 1)
    salary_bands = factory.Sequence(lambda n: f"Band {n}")


class PathwayRoleFactory(DjangoModelFactory):
    class Meta:
        model = PathwayRole

    step = factory.SubFactory(PathwayStepFactory)
    title = factory.Sequence(lambda n: f"Role {n}")


class DevelopmentOpportunityFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentOpportunity

    pathway_level = factory.SubFactory(PathwayLevelFactory)
    kind = DevelopmentOpportunity.Kind.NATIONAL
    title = factory.Sequence(lambda n: f"Leadership programme {n}")


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")
    kind = Framework.Kind.CORE
    summary = "Competencies for every HR and OD role."


class ProgrammeSelectionFrameworkFactory(DjangoModelFactory):
    """The framework a programme's applicants are selected against."""

    class Meta:
        model = ProgrammeSelectionFramework

    programme = factory.SubFactory("tests.programmes.factories.ProgrammeFactory")
    framework = factory.SubFactory(FrameworkFactory)


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Competency {n}")
    order = factory.Sequence(int)


class CompetencyIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyIndicator

    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    text = "Does the basics well\nAsks for help"


class WheelItemFactory(DjangoModelFactory):
    class Meta:
        model = WheelItem

    name = factory.Sequence(lambda n: f"Wheel item {n}")
    order = factory.Sequence(int)


class CareerConversationFactory(DjangoModelFactory):
    class Meta:
        model = CareerConversation

    member = factory.SubFactory(MemberFactory)
    title = "My career conversation"
    ambition = CareerConversation.Ambition.STEP_UP
    aspirations = "To become an HR Business Partner within two years."
    strengths = "Employee relations casework; building trust with managers."
    development_needs = "Workforce data and presenting to senior leaders."
    support_wanted = "A secondment into the Business Partner team."


class SelfAssessmentFactory(DjangoModelFactory):
    """An assessment row without ratings: add them with the rating factories (or take one
    through ``services.self_assessment_complete``, which rates everything at once)."""

    class Meta:
        model = SelfAssessment

    member = factory.SubFactory(MemberFactory)
    framework = factory.SubFactory(FrameworkFactory)
    reflection = "Stronger on casework than on workforce data."


class CompetencyRatingFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyRating

    assessment = factory.SubFactory(SelfAssessmentFactory)
    # A competency of the assessment's own framework.
    competency = factory.SubFactory(
        CompetencyFactory, framework=factory.SelfAttribute("..assessment.framework")
    )
    rating = Rating.ESTABLISHED


class WheelItemRatingFactory(DjangoModelFactory):
    class Meta:
        model = WheelItemRating

    assessment = factory.SubFactory(SelfAssessmentFactory)
    wheel_item = factory.SubFactory(WheelItemFactory)
    rating = WheelRating.PLANNING


class ConversationShareFactory(DjangoModelFactory):
    """A share record only (no email): ``services`` queue the email when a member shares."""

    class Meta:
        model = ConversationShare

    conversation = factory.SubFactory(CareerConversationFactory)
    manager_name = "Sam Patel"
    manager_email = factory.Sequence(lambda n: f"line.manager{n}@example.com")
    message = "Ahead of our one-to-one next week."
    # The version shared: the conversation as it stands.
    conversation_updated_at = factory.SelfAttribute("conversation.updated_at")


def framework_with_competencies(count=3, levels=(1, 2, 3, 4), **kwargs) -> Framework:
    framework = FrameworkFactory(**kwargs)
    for _ in range(count):
        competency = CompetencyFactory(framework=framework)
        for level in levels:
            CompetencyIndicatorFactory(competency=competency, level=level)
    return framework


def full_ratings(framework, value=3, wheel_value=2):
    """Rating dicts covering every competency of ``framework`` and every active wheel item."""
    return (
        {c.pk: value for c in framework.competencies.all()},
        {w.pk: wheel_value for w in WheelItem.objects.filter(is_active=True)},
    )


class HubArticleFactory(DjangoModelFactory):
    class Meta:
        model = "resources.HubArticle"

    section = "inclusion_journey"
    title = factory.Sequence(lambda n: f"A journey to inclusion {n}")
    slug = factory.Sequence(lambda n: f"a-journey-to-inclusion-{n}")
    author_name = "Paul Taylor Pitt"
    summary = "What being an ally means in practice."
