"""Selection against the programme's competency framework (resources): applicants rate
themselves, managers score."""

import pytest
from django.urls import reverse

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Application, CompetencyScore
from talenthub.core.models import AuditLog
from tests.cohorts.factories import ApplicationFactory
from tests.factories import MemberFactory
from tests.helpers import raises_code
from tests.resources.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProgrammeSelectionFrameworkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def competencies(cohort):
    framework = FrameworkFactory(name="Aspirant Business Partner", kind="business_partner")
    ProgrammeSelectionFrameworkFactory(programme=cohort.programme, framework=framework)
    return [
        CompetencyFactory(framework=framework, name=name, order=order)
        for order, name in enumerate(["Business acumen", "Influencing", "Digital"])
    ]


def test_applicant_rates_themselves_and_must_rate_all_to_submit(cohort, member, competencies):
    first, second, third = competencies
    draft = services.application_save_draft(
        cohort=cohort, applicant=member, answers={}, self_ratings={first.pk: 3, second.pk: None}
    )
    with raises_code(CohortError, "self_ratings_missing"):
        services.application_submit(application=draft)
    services.application_save_draft(
        cohort=cohort,
        applicant=member,
        answers={},
        self_ratings={second.pk: 2, third.pk: 4, CompetencyFactory().pk: 1},
    )
    services.application_submit(application=draft)
    ratings = dict(draft.competency_scores.values_list("competency__name", "self_rating"))
    assert ratings == {"Business acumen": 3, "Influencing": 2, "Digital": 4}
    with raises_code(CohortError, "rating_out_of_range"):
        services.application_save_draft(
            cohort=cohort, applicant=MemberFactory(), answers={}, self_ratings={first.pk: 9}
        )


def test_no_framework_means_no_ratings(cohort, member):
    draft = services.application_save_draft(cohort=cohort, applicant=member, answers={})
    assert services.application_submit(application=draft).status == "submitted"


def test_manager_scores_against_the_framework(cohort, manager, competencies):
    application = ApplicationFactory(cohort=cohort)
    services.application_score_competencies(
        application=application, actor=manager, scores={competencies[0].pk: 4}
    )
    score = CompetencyScore.objects.get()
    assert (score.manager_score, score.scored_by) == (4, manager)
    with raises_code(CohortError, "score_out_of_range"):
        services.application_score_competencies(
            application=application, actor=manager, scores={competencies[0].pk: 5}
        )
    with raises_code(CohortError, "competency_not_in_framework"):
        services.application_score_competencies(
            application=application, actor=manager, scores={CompetencyFactory().pk: 2}
        )
    assert AuditLog.objects.filter(action="cohorts.competencies_scored").count() == 1


def test_apply_page_asks_for_self_ratings(client, member, cohort, competencies):
    client.force_login(member)
    url = reverse("cohorts:apply", args=[cohort.slug])
    html = client.get(url).content.decode()
    assert "Rate yourself: Influencing" in html
    response = client.post(url, {"submit": "1", f"competency_{competencies[0].pk}": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    # Each missing rating names its competency, so the summary's links differ.
    for competency in competencies[1:]:
        assert f"Rate yourself on {competency.name} before you submit" in html
    data = {f"competency_{c.pk}": "3" for c in competencies}
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == "submitted"
    assert "How you rated yourself" in client.get(application.get_absolute_url()).content.decode()


def test_manager_scores_in_the_admin(client, manager, cohort, competencies):
    """Scores have their own page (one service call), never the decision form's save."""
    application = ApplicationFactory(cohort=cohort)
    for c in competencies:
        CompetencyScore.objects.create(application=application, competency=c, self_rating=3)
    client.force_login(manager)
    change = client.get(reverse("admin:cohorts_application_change", args=[application.pk]))
    url = reverse("admin:cohorts_application_scores", args=[application.pk])
    assert url in change.content.decode()
    # The decision form carries no score fields any more.
    assert "competency_scores-0-manager_score" not in change.content.decode()
    page = client.get(url).content.decode()
    assert "Influencing" in page and "self-rating" in page
    fields = {c.name: f"competency_{c.pk}" for c in competencies}
    unchanged = client.post(url, {fields["Digital"]: ""})
    assert unchanged.status_code == 200
    assert "nothing_changed" in unchanged.context["form"].errors.as_json()
    response = client.post(url, {fields["Business acumen"]: "4"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert dict(CompetencyScore.objects.values_list("competency__name", "manager_score")) == {
        "Business acumen": 4,
        "Influencing": None,
        "Digital": None,
    }
    assert AuditLog.objects.filter(action="cohorts.competencies_scored").count() == 1
    out_of_range = client.post(url, {fields["Digital"]: "7"})
    assert out_of_range.status_code == 200
    assert CompetencyScore.objects.get(competency__name="Digital").manager_score is None


def test_scores_page_is_closed_once_decided(client, manager, cohort, competencies):
    application = ApplicationFactory(cohort=cohort, status="withdrawn")
    client.force_login(manager)
    url = reverse("admin:cohorts_application_scores", args=[application.pk])
    response = client.post(url, {f"competency_{competencies[0].pk}": "2"})
    assert response.status_code == 302
    assert not CompetencyScore.objects.filter(manager_score__isnull=False).exists()
