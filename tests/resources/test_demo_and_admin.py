import pytest
from django.core.management import call_command
from django.urls import reverse

from resources import demo
from resources.models import (
    Competency,
    CompetencyIndicator,
    DevelopmentOpportunity,
    Framework,
    PathwayRole,
    PathwayStep,
    SelfAssessment,
    WheelItem,
)
from talenthub.core.models import FunctionalArea

from .factories import (
    CareerConversationFactory,
    PathwayLevelFactory,
    framework_with_competencies,
    full_ratings,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_stack")]


def _counts():
    return [
        m.objects.count()
        for m in (
            PathwayStep,
            PathwayRole,
            DevelopmentOpportunity,
            Framework,
            Competency,
            CompetencyIndicator,
            WheelItem,
        )
    ]


def test_demo_loads_twice_without_duplicates_and_describes_every_area():
    call_command("load_demo")
    counts = _counts()
    call_command("load_demo")
    assert _counts() == counts
    assert counts[0] == 9 and counts[3] == 3 and counts[6] >= 8
    assert not FunctionalArea.objects.filter(description="").exists()
    assert FunctionalArea.objects.count() == 10
    assert PathwayRole.objects.filter(title="HR Apprentice", step__salary_bands="Band 2–3").exists()
    assert PathwayRole.objects.filter(title="Chief People Officer", step__level__level=4).exists()
    # Every competency has an indicator at each of the four levels.
    assert CompetencyIndicator.objects.count() == Competency.objects.count() * 4
    assert set(Framework.objects.values_list("kind", flat=True)) == {
        "core",
        "business_partner",
        "deputy_director",
    }


def test_first_demo_load_links_academy_programmes_and_selection_frameworks():
    """The programmes demo runs before this one, so one load links everything."""
    from programmes.models import Programme

    call_command("load_demo")
    linked = DevelopmentOpportunity.objects.filter(programme__isnull=False)
    assert linked.exists()
    assert all(o.kind == "academy" for o in linked)
    assert demo.link_programmes() == 0
    frameworks = dict(
        Programme.objects.filter(selection_framework_link__isnull=False).values_list(
            "slug", "selection_framework_link__framework__kind"
        )
    )
    assert frameworks["aspirant-business-partner-talent-pool"] == "business_partner"
    assert frameworks["aspirant-deputy-director-talent-pool"] == "deputy_director"


def test_academy_programmes_are_linked_once_the_catalogue_has_them():
    call_command("load_demo")
    DevelopmentOpportunity.objects.update(programme=None)
    from programmes.models import Programme

    aspire = Programme.objects.get(slug="aspire-strategic-hr-and-od-business-partner-programme")
    assert demo.link_programmes() >= 1
    assert DevelopmentOpportunity.objects.filter(programme=aspire).exists()
    assert demo.link_programmes() == 0


def test_admin_pages_open(admin_client, member):
    from resources.services import self_assessment_complete

    call_command("load_demo")
    framework = framework_with_competencies(count=2)
    competencies, wheel = full_ratings(framework)
    assessment = self_assessment_complete(
        member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
    )
    conversation = CareerConversationFactory(member=member)
    for model in (
        "pathwaylevel",
        "pathwaystep",
        "developmentopportunity",
        "framework",
        "competency",
        "wheelitem",
        "selfassessment",
        "careerconversation",
        "conversationshare",
    ):
        assert admin_client.get(reverse(f"admin:resources_{model}_changelist")).status_code == 200
    for model, obj in (
        ("pathwaystep", PathwayStep.objects.first()),
        ("pathwaylevel", PathwayStep.objects.first().level),
        ("framework", framework),
        ("competency", framework.competencies.first()),
        ("selfassessment", assessment),
        ("careerconversation", conversation),
    ):
        assert (
            admin_client.get(reverse(f"admin:resources_{model}_change", args=[obj.pk])).status_code
            == 200
        )
    # Members' records are read-only in the admin.
    assert admin_client.get(reverse("admin:resources_selfassessment_add")).status_code == 403
    assert SelfAssessment.objects.count() == 1


def _changelist(admin_client, model, params):
    response = admin_client.get(reverse(f"admin:resources_{model}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_pathway_levels_are_searched_by_role_and_filtered_by_opportunity(admin_client):
    from .factories import DevelopmentOpportunityFactory, PathwayRoleFactory

    top = PathwayLevelFactory(level=4)
    PathwayRoleFactory(step__level=top, title="Chief People Officer")
    PathwayRoleFactory(step__level=top, title="Director of Workforce")
    entry = PathwayLevelFactory(level=1)
    PathwayRoleFactory(step__level=entry, title="HR Apprentice")
    DevelopmentOpportunityFactory(
        pathway_level=entry, kind="cipd", title="", cipd_grade="associate"
    )
    DevelopmentOpportunityFactory(pathway_level=top, kind="national", title="Nye Bevan")
    DevelopmentOpportunityFactory(pathway_level=top, kind="national", title="Top Leaders")

    assert _changelist(admin_client, "pathwaylevel", {"q": "Chief People"}) == [top]
    assert _changelist(admin_client, "pathwaylevel", {"q": "Nye Bevan"}) == [top]
    # A level with two matching opportunities is listed once, with its true counts.
    national = _changelist(admin_client, "pathwaylevel", {"opportunities__kind": "national"})
    assert national == [top]
    assert national[0].opportunity_total == 2
    assert national[0].step_total == 2
    cipd = {"opportunities__cipd_grade": "associate"}
    assert _changelist(admin_client, "pathwaylevel", cipd) == [entry]


def test_conversation_shares_are_filtered_by_ambition(admin_client):
    from resources.models import CareerConversation

    from .factories import ConversationShareFactory

    step_up = ConversationShareFactory(conversation__ambition=CareerConversation.Ambition.STEP_UP)
    ConversationShareFactory(conversation__ambition=CareerConversation.Ambition.GROW)
    params = {"conversation__ambition": "step_up"}
    assert _changelist(admin_client, "conversationshare", params) == [step_up]
