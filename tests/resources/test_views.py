import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import CareerConversation, ConversationShare, SelfAssessment, WheelItem
from resources.services import self_assessment_complete
from tests.factories import FunctionalAreaFactory, MemberFactory
from tests.programmes.factories import ProgrammeFactory

from .factories import (
    CareerConversationFactory,
    ConversationShareFactory,
    DevelopmentOpportunityFactory,
    PathwayLevelFactory,
    PathwayRoleFactory,
    PathwayStepFactory,
    WheelItemFactory,
    framework_with_competencies,
    full_ratings,
)

pytestmark = pytest.mark.django_db


def _html(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html


def _assess(member, framework, value=3):
    competencies, wheel = full_ratings(framework, value=value, wheel_value=value)
    return self_assessment_complete(
        member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def framework():
    WheelItemFactory(name="Coaching")
    WheelItemFactory(name="Secondment")
    return framework_with_competencies(count=3, name="Core competency framework", slug="core")


# --- Public pages ------------------------------------------------------------------------


def test_index_introduces_every_section(client):
    html = _html(client.get(reverse("resources:index")))
    for section in (
        "Functional areas",
        "Career pathway",
        "Competency frameworks",
        "Self-assessment and the development wheel",
        "Prepare for a career conversation",
    ):
        assert section in html


def test_functional_areas_list_and_description(client):
    area = FunctionalAreaFactory(
        name="Organisational Development",
        slug="organisational-development",
        summary="Culture and change.",
        description="OD practitioners help organisations work better.\n\nSecond paragraph.",
    )
    html = _html(client.get(reverse("resources:area_list")))
    assert 'href="/resources/functional-areas/organisational-development/"' in html
    html = _html(client.get(reverse("resources:area_detail", args=[area.slug])))
    assert "<p>OD practitioners help organisations work better.</p>" in html
    assert client.get(reverse("resources:area_detail", args=["nope"])).status_code == 404


def test_pathway_reads_as_a_table_with_links_to_published_programmes(client):
    level = PathwayLevelFactory(level=3)
    PathwayRoleFactory(step=PathwayStepFactory(level=level, salary_bands="Band 7"), title="HRBP")
    published = ProgrammeFactory(title="Aspire", slug="aspire")
    draft = ProgrammeFactory(title="Secret", slug="secret", status="draft")
    DevelopmentOpportunityFactory(
        pathway_level=level, kind="academy", title="Aspire", programme=published
    )
    DevelopmentOpportunityFactory(
        pathway_level=level, kind="academy", title="Secret", programme=draft
    )
    DevelopmentOpportunityFactory(
        pathway_level=level, kind="cipd", title="", cipd_grade="associate"
    )
    html = _html(client.get(reverse("resources:pathway")))
    assert '<th scope="rowgroup"' in html
    assert "Band 7" in html and "HRBP" in html
    assert f'href="{published.get_absolute_url()}"' in html
    assert draft.get_absolute_url() not in html
    assert "Associate member (Assoc CIPD)" in html
    assert 'style="' not in html  # the CSP forbids inline styles


def test_framework_pages(client, framework):
    html = _html(client.get(reverse("resources:framework_list")))
    assert "Core competency framework" in html
    html = _html(client.get(framework.get_absolute_url()))
    assert html.count('<th scope="row"') == 3
    assert "Does the basics well" in html
    framework.is_published = False
    framework.save()
    assert client.get(framework.get_absolute_url()).status_code == 404
    assert (
        "Core competency framework"
        not in client.get(reverse("resources:framework_list")).content.decode()
    )


# --- Private pages: anonymous, someone else, the owner -----------------------------------


def test_private_pages_ask_anonymous_visitors_to_sign_in(client, member, framework):
    assessment = _assess(member, framework)
    conversation = CareerConversationFactory(member=member)
    for url in (
        reverse("resources:assessment_list"),
        reverse("resources:assessment_create", args=[framework.slug]),
        assessment.get_absolute_url(),
        reverse("resources:conversation_list"),
        reverse("resources:conversation_create"),
        conversation.get_absolute_url(),
        reverse("resources:conversation_update", args=[conversation.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(
        reverse("resources:conversation_share", args=[conversation.pk]),
        {"manager_email": "m@example.org"},
    )
    assert response.status_code == 302
    assert not ConversationShare.objects.exists()


def test_someone_elses_records_are_not_found(client, member, framework):
    assessment = _assess(member, framework)
    conversation = CareerConversationFactory(member=member)
    client.force_login(MemberFactory())
    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("resources:conversation_update", args=[conversation.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("resources:conversation_update", args=[conversation.pk]),
        {"title": "Hijacked", "ambition": "grow"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("resources:conversation_share", args=[conversation.pk]),
        {"manager_email": "m@example.org"},
    )
    assert response.status_code == 404
    assert not ConversationShare.objects.exists()
    conversation.refresh_from_db()
    assert conversation.title == "My career conversation"
    # Their lists do not mention the other member's records.
    assert (
        "Core competency framework: your ratings"
        not in client.get(reverse("resources:assessment_list")).content.decode()
    )
    assert (
        conversation.get_absolute_url()
        not in client.get(reverse("resources:conversation_list")).content.decode()
    )


# --- Self-assessment ---------------------------------------------------------------------


def test_completing_a_self_assessment_and_comparing_with_the_previous(client, member, framework):
    client.force_login(member)
    url = reverse("resources:assessment_create", args=[framework.slug])
    html = _html(client.get(url))
    assert html.count('type="radio"') == (3 + 2) * 4
    assert "What Competency" in html  # each competency's indicators, in a details element

    first = _assess(member, framework, value=2)
    data = {f"competency_{c.pk}": "4" for c in framework.competencies.all()}
    for rating in first.wheel_ratings.all():
        data[f"wheel_{rating.wheel_item_id}"] = "3"
    response = client.post(url, data)
    latest = SelfAssessment.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == latest.get_absolute_url()

    html = _html(client.get(latest.get_absolute_url()))
    assert html.count("<svg") == 2
    assert 'role="img"' in html and '<title id="competency-chart-title">' in html
    assert "Compared with your previous self-assessment" in html
    assert html.count('<td class="govuk-table__cell govuk-table__cell--numeric">+2</td>') == 3
    assert "4 – A strength" in html

    html = _html(client.get(reverse("resources:assessment_list")))
    assert html.count(latest.get_absolute_url()) == 1
    assert html.count(first.get_absolute_url()) == 1


def test_self_assessment_form_says_what_is_missing_or_out_of_scale(client, member, framework):
    client.force_login(member)
    url = reverse("resources:assessment_create", args=[framework.slug])
    competencies = list(framework.competencies.all())
    data = {f"competency_{competencies[0].pk}": "7"}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"Select a rating for {competencies[0].name} from 1 to 4" in html
    assert f"Select a rating for {competencies[1].name}" in html
    assert "Select a rating for Coaching" in html
    assert f'href="#id_competency_{competencies[1].pk}_0"' in html
    assert response.context["form"].errors
    assert "<title>Error:" in html
    assert not SelfAssessment.objects.exists()


def test_unknown_framework_is_not_found(client, member):
    client.force_login(member)
    assert client.get(reverse("resources:assessment_create", args=["nope"])).status_code == 404


# --- Career conversations ----------------------------------------------------------------

ANSWERS = {
    "title": "Spring career conversation",
    "ambition": "step_up",
    "aspirations": "Become an HR Business Partner.",
    "target_level": "3",
    "strengths": "Casework.",
    "development_needs": "Data.",
    "support_wanted": "A secondment.",
}


def test_preparing_editing_and_sharing_a_conversation(
    client, member, django_capture_on_commit_callbacks
):
    coaching = WheelItemFactory(name="Coaching")
    client.force_login(member)
    html = _html(client.get(reverse("resources:conversation_create")))
    assert "My career aspirations" in html

    response = client.post(
        reverse("resources:conversation_create"), {**ANSWERS, "wheel_items": [coaching.pk]}
    )
    conversation = CareerConversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.member == member

    html = _html(client.get(conversation.get_absolute_url()))
    assert "Become an HR Business Partner." in html
    assert "data-print hidden" in html  # the print button is progressive enhancement
    assert "use your browser's print command" in html
    assert "th-no-print" in html

    edit = reverse("resources:conversation_update", args=[conversation.pk])
    assert "Casework." in _html(client.get(edit))
    client.post(edit, {**ANSWERS, "strengths": "Casework and coaching."})
    conversation.refresh_from_db()
    assert conversation.strengths == "Casework and coaching."
    assert not conversation.wheel_items.exists()

    share = reverse("resources:conversation_share", args=[conversation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(share, {"manager_email": "sam@example.org", "manager_name": "Sam"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Casework and coaching." in mail.outbox[0].body
    html = _html(client.get(conversation.get_absolute_url()))
    assert "emailed to sam@example.org" in html
    assert "Emailed to Sam (sam@example.org)" in html
    assert client.get(share).status_code == 302


def test_conversation_and_share_validation_messages(client, member):
    client.force_login(member)
    response = client.post(reverse("resources:conversation_create"), {"title": "Mine"})
    html = response.content.decode()
    assert "Enter your career aspirations" in html
    assert "Select what you want from the next year or two" in html
    assert not CareerConversation.objects.exists()

    conversation = CareerConversationFactory(member=member)
    share = reverse("resources:conversation_share", args=[conversation.pk])
    html = client.post(share, {"manager_email": "nope"}).content.decode()
    assert "Enter an email address in the correct format" in html
    assert html.count("<h1") == 1
    html = client.post(share, {"manager_email": member.email}).content.decode()
    assert "not your own" in html
    assert not ConversationShare.objects.exists()


# --- Query counts stay constant as the rows grow -----------------------------------------


def test_hub_pages_query_counts_do_not_grow(client, member, django_assert_max_num_queries):
    client.force_login(member)

    def build(n):
        FunctionalAreaFactory.create_batch(n)
        levels = [PathwayLevelFactory(level=level) for level in (1, 2, 3, 4)]
        for level in levels:
            for _ in range(n):
                step = PathwayStepFactory(level=level)
                PathwayRoleFactory.create_batch(3, step=step)
                DevelopmentOpportunityFactory(pathway_level=level)
                DevelopmentOpportunityFactory(
                    pathway_level=level, kind="academy", programme=ProgrammeFactory()
                )
        for _ in range(n):
            WheelItemFactory()
        framework = framework_with_competencies(count=n * 3)
        for value in (1, 2, 3, 4)[: max(2, n)]:
            _assess(member, framework, value=value)
        wheel_items = list(WheelItem.objects.all())
        for _ in range(n):
            conversation = CareerConversationFactory(member=member)
            conversation.wheel_items.set(wheel_items)
            ConversationShareFactory.create_batch(n, conversation=conversation)
        return framework

    def urls(framework):
        conversation = CareerConversation.objects.filter(member=member).latest("pk")
        return [
            reverse("resources:index"),
            reverse("resources:area_list"),
            reverse("resources:area_detail", args=[FunctionalAreaFactory().slug]),
            reverse("resources:pathway"),
            reverse("resources:framework_list"),
            framework.get_absolute_url(),
            reverse("resources:assessment_create", args=[framework.slug]),
            reverse("resources:assessment_list"),
            SelfAssessment.objects.filter(framework=framework).latest("pk").get_absolute_url(),
            reverse("resources:conversation_list"),
            reverse("resources:conversation_create"),
            conversation.get_absolute_url(),
            reverse("resources:conversation_update", args=[conversation.pk]),
        ]

    baseline = [_queries(client, url) for url in urls(build(1))]
    big_urls = urls(build(6))
    for url, expected in zip(big_urls, baseline, strict=True):
        with django_assert_max_num_queries(expected):
            assert client.get(url).status_code == 200, url
