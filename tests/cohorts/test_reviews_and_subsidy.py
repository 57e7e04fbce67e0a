"""Reviewers' scores and comments on project reports (issue 18, item 7; seed 000: heads
of HR challenge the reports at the celebration event), and subsidy eligibility (the LGA
funds Inspire OD places for local government HR staff)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Application, ProjectReview
from programmes.exceptions import ProgrammeError
from programmes.models import SubsidySchemeSector
from programmes.services import subsidy_place_allocate
from talenthub.core.choices import Sector
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortReviewerFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    ReviewCriterionFactory,
)
from tests.factories import MemberFactory, OrganisationFactory
from tests.helpers import raises_code
from tests.programmes.factories import SubsidySchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def celebration(provider):
    """A cohort with three reports, two criteria and two named reviewers."""
    cohort = CohortFactory(provider=provider)
    criteria = [ReviewCriterionFactory(version=cohort.version) for _ in range(2)]
    works = [ProjectWorkFactory(participant=ParticipantFactory(cohort=cohort)) for _ in range(3)]
    reviewers = [CohortReviewerFactory(cohort=cohort).user for _ in range(2)]
    return cohort, criteria, works, reviewers


def test_a_reviewer_scores_and_comments_and_may_revise(celebration):
    _cohort, criteria, works, (reviewer, _other) = celebration
    scores = {criteria[0].pk: 4, criteria[1].pk: 2}
    review = services.project_review_save(
        project_work=works[0],
        reviewer=reviewer,
        comment="Challenge the sample size.",
        scores=scores,
    )
    revised = services.project_review_save(
        project_work=works[0],
        reviewer=reviewer,
        comment="Now convinced.",
        scores={criteria[0].pk: 5, criteria[1].pk: 3},
    )
    assert revised.pk == review.pk
    assert ProjectReview.objects.count() == 1
    assert sorted(s.score for s in revised.scores.all()) == [3, 5]


def test_only_named_reviewers_score_every_criterion(celebration, manager):
    cohort, criteria, works, (reviewer, _other) = celebration
    all_scores = {c.pk: 3 for c in criteria}
    with raises_code(CohortError, "not_cohort_reviewer"):
        services.project_review_save(
            project_work=works[0], reviewer=manager, comment="Fine.", scores=all_scores
        )
    # A reviewer of another cohort is not a reviewer of this one.
    stranger = CohortReviewerFactory().user
    with raises_code(CohortError, "not_cohort_reviewer"):
        services.project_review_save(
            project_work=works[0], reviewer=stranger, comment="Fine.", scores=all_scores
        )
    with raises_code(CohortError, "review_scores_incomplete"):
        services.project_review_save(
            project_work=works[0], reviewer=reviewer, comment="Fine.", scores={criteria[0].pk: 3}
        )
    foreign = ReviewCriterionFactory()
    with raises_code(CohortError, "review_unknown_criterion"):
        services.project_review_save(
            project_work=works[0],
            reviewer=reviewer,
            comment="Fine.",
            scores={**all_scores, foreign.pk: 3},
        )
    with raises_code(CohortError, "review_comment_required"):
        services.project_review_save(
            project_work=works[0], reviewer=reviewer, comment="  ", scores=all_scores
        )
    assert not ProjectReview.objects.exists()


def test_reviewers_see_their_own_reviews_and_the_manager_sees_all(
    client, celebration, manager, django_assert_max_num_queries
):
    cohort, criteria, works, (first, second) = celebration
    for reviewer, comment in ((first, "priv-first-comment"), (second, "priv-second-comment")):
        for work in works:
            services.project_review_save(
                project_work=work,
                reviewer=reviewer,
                comment=comment,
                scores={c.pk: 4 for c in criteria},
            )
    url = reverse("cohorts:project_reports", args=[cohort.slug])

    client.force_login(first)
    page = client.get(url).content.decode()
    assert "priv-first-comment" in page and "priv-second-comment" not in page

    client.force_login(manager)
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "priv-first-comment" in page and "priv-second-comment" in page


def test_the_review_page_is_for_the_cohorts_reviewers_only(client, celebration, manager):
    cohort, criteria, works, (reviewer, _other) = celebration
    url = reverse("cohorts:project_review", args=[cohort.slug, works[0].pk])
    assert client.get(url).status_code == 302
    client.force_login(manager)  # the manager reads reviews, does not write them
    assert client.get(url).status_code == 404
    client.force_login(CohortReviewerFactory().user)  # another cohort's reviewer
    assert client.get(url).status_code == 404
    other_work = ProjectWorkFactory()  # a report of another cohort, by pk
    client.force_login(reviewer)
    assert (
        client.get(reverse("cohorts:project_review", args=[cohort.slug, other_work.pk])).status_code
        == 404
    )
    assert client.get(url).status_code == 200
    refused = client.post(url, {f"criterion_{criteria[0].pk}": "4", "comment": "Hm"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    done = client.post(
        url,
        {f"criterion_{criteria[0].pk}": "4", f"criterion_{criteria[1].pk}": "5", "comment": "Good"},
    )
    assert done.status_code == 302
    assert ProjectReview.objects.get().comment == "Good"


# Subsidy eligibility -----------------------------------------------------------------


@pytest.fixture
def lga_scheme():
    scheme = SubsidySchemeFactory(name="LGA Inspire OD places", total_places=100)
    SubsidySchemeSector.objects.create(scheme=scheme, sector=Sector.LOCAL_GOVERNMENT)
    return scheme


def _person_in(sector):
    return MemberFactory(profile__organisation=OrganisationFactory(sector=sector))


def test_the_scheme_funds_only_its_eligible_sectors(lga_scheme):
    cohort = CohortFactory(subsidy_scheme=None)
    lga_scheme.programmes.add(cohort.version.programme)
    nhs = _person_in(Sector.HEALTH_AND_BLOOD)
    with raises_code(ProgrammeError, "subsidy_not_eligible") as refused:
        subsidy_place_allocate(scheme=lga_scheme, programme=cohort.version.programme, recipient=nhs)
    assert "Local Government" in refused.value.message
    council = _person_in(Sector.LOCAL_GOVERNMENT)
    allocation = subsidy_place_allocate(
        scheme=lga_scheme, programme=cohort.version.programme, recipient=council
    )
    assert allocation.recipient == council


def _offered(cohort, person):
    return ApplicationFactory(
        cohort=cohort,
        applicant=person,
        status=Application.Status.OFFERED,
        submitted_at=timezone.now(),
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def test_an_ineligible_enrolee_takes_no_subsidised_place_and_is_told_why(client, lga_scheme):
    """Before this change, any enrolee used one of the LGA's places."""
    cohort = CohortFactory(subsidy_scheme=None)
    lga_scheme.programmes.add(cohort.version.programme)
    cohort.subsidy_scheme = lga_scheme
    cohort.save()
    nhs = _person_in(Sector.HEALTH_AND_BLOOD)
    council = _person_in(Sector.LOCAL_GOVERNMENT)
    nhs_application = _offered(cohort, nhs)
    council_application = _offered(cohort, council)

    client.force_login(nhs)
    page = client.get(nhs_application.get_absolute_url()).content.decode()
    assert "Your place is not funded" in page

    unfunded = services.offer_accept(application=nhs_application, user=nhs)
    funded = services.offer_accept(application=council_application, user=council)
    assert unfunded.subsidy_allocation is None
    assert funded.subsidy_allocation is not None
    assert lga_scheme.allocations.count() == 1

    client.force_login(council)
    page = client.get(council_application.get_absolute_url()).content.decode()
    assert "Your place is funded by LGA Inspire OD places." in page
    # The enrolment emails say so too.
    emails = {
        e.recipient_id: e.body_text
        for e in OutboundEmail.objects.filter(key__startswith="cohort.enrolled:")
    }
    assert "Your place is funded by LGA Inspire OD places." in emails[council.pk]
    assert "Your place is not funded" in emails[nhs.pk]
