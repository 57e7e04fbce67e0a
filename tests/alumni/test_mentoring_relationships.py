"""Mentoring (issue 19, item 2): capacity in listings and requests, suggested mentors,
the relationship page (goals, frequency, session log, closing reviews), programme
figures for managers, and the mentee told when their mentor deletes the account."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from alumni import selectors, selectors_mentoring, services, services_mentoring
from alumni.exceptions import AlumniError
from alumni.models import MentoringRequest
from talenthub.core.choices import Region
from talenthub.core.models import OutboundEmail
from tests.alumni.factories import (
    AlumniProfileFactory,
    MentoringOfferFactory,
    MentoringRequestFactory,
    MentoringSessionFactory,
    make_alumnus,
)
from tests.factories import FunctionalAreaFactory, ManagerFactory, MemberFactory, ProviderFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db
ACCEPTED = MentoringRequest.Status.ACCEPTED


@pytest.fixture
def full_offer():
    """A mentor with capacity 1 and one accepted mentee, profile visible to members."""
    profile = AlumniProfileFactory(user=make_alumnus(full_name="Fay Full"))
    offer = MentoringOfferFactory(mentor=profile.user, capacity=1)
    MentoringRequestFactory(offer=offer, status=ACCEPTED)
    return offer


def test_a_mentor_at_capacity_is_not_listed_open_and_refuses_requests(client, full_offer, member):
    open_profile = AlumniProfileFactory(user=make_alumnus(full_name="Olu Open"))
    MentoringOfferFactory(mentor=open_profile.user, capacity=2)
    listed = {p.user.full_name: p.open_to_mentoring for p in selectors.directory_profiles(member)}
    assert listed == {"Fay Full": False, "Olu Open": True}
    client.force_login(member)
    page = client.get(reverse("alumni:index"), {"open_to_mentoring": "on"}).content.decode()
    assert "Olu Open" in page and "Fay Full" not in page
    detail = client.get(reverse("alumni:profile", args=[full_offer.mentor.alumni_profile.pk]))
    assert detail.context.get("request_form") is None
    assert "as many people as they can" in detail.content.decode()
    with raises_code(AlumniError, "mentor_full"):
        services.mentoring_request_create(offer=full_offer, mentee=member, message="Please")
    # An old page posted anyway: refused with the form error, nothing created.
    response = client.post(
        reverse("alumni:profile", args=[full_offer.mentor.alumni_profile.pk]),
        {"message": "Please"},
    )
    assert response.status_code == 200
    assert not MentoringRequest.objects.filter(mentee=member).exists()


def test_suggested_mentors_rank_by_area_level_region_and_request(client):
    area = FunctionalAreaFactory(name="Organisational development")
    mentee = MemberFactory(profile__career_level=2, profile__region=Region.EAST_MIDLANDS)
    mentee.profile.functional_areas.add(area)

    def mentor(name, topics, **profile_fields):
        profile = AlumniProfileFactory(user=make_alumnus(full_name=name), **profile_fields)
        MentoringOfferFactory(mentor=profile.user, topics=topics)
        return profile

    area_match = mentor("Ann Area", "Careers", career_level=4, region=Region.LONDON)
    area_match.functional_areas.add(area)
    mentor("Reg Region", "Careers", career_level=2, region=Region.EAST_MIDLANDS)
    mentor("Tia Topic", "Workforce planning", career_level=2, region=Region.LONDON)
    mentor("Nil Nothing", "Careers", career_level=1, region=Region.LONDON)
    hidden = mentor("Hid Den", "Workforce planning", visibility="hidden", career_level=4)
    hidden.functional_areas.add(area)
    suggestions = selectors_mentoring.suggested_mentors(mentee, "workforce planning")
    names = [s.profile.user.full_name for s in suggestions]
    # Two words asked for (6), a shared area and a higher level (5), the region (1).
    assert names == ["Tia Topic", "Ann Area", "Reg Region"]
    client.force_login(mentee)
    page = client.get(reverse("alumni:mentoring_suggestions"), {"looking_for": "workforce"})
    assert page.status_code == 200 and "Hid Den" not in page.content.decode()


@pytest.fixture
def pair():
    relationship = MentoringRequestFactory(
        status=ACCEPTED, offer__mentor=make_alumnus(full_name="Mo Mentor"),
        mentee=MemberFactory(full_name="Mae Mentee"),
    )  # fmt: skip
    return relationship, relationship.offer.mentor, relationship.mentee


def test_relationship_page_goals_sessions_review(client, pair, django_assert_max_num_queries):
    relationship, mentor, mentee = pair
    url = reverse("alumni:relationship", args=[relationship.pk])
    client.force_login(mentee)
    response = client.post(
        url, {"form": "agreement", "goals": "Get ready for head of HR", "frequency": "monthly"}
    )
    assert response.status_code == 302
    client.force_login(mentor)
    client.post(url, {"form": "session", "held_on": "2026-01-10", "notes": "CV review"})
    future = client.post(url, {"form": "session", "held_on": "2099-01-10", "notes": ""})
    assert future.status_code == 200 and "govuk-error-summary" in future.content.decode()
    for day in range(1, 11):
        MentoringSessionFactory(relationship=relationship, held_on=datetime.date(2025, 1, day))
    with django_assert_max_num_queries(10):
        page = client.get(url)
    text = page.content.decode()
    assert "Get ready for head of HR" in text and "Every month" in text and "CV review" in text
    with raises_code(AlumniError, "mentoring_not_ended"):
        services_mentoring.mentoring_review_save(relationship=relationship, by=mentor, review="x")
    services.mentoring_request_end(request=relationship, by=mentee)
    client.post(url, {"form": "review", "review": "Mae is ready."})
    client.force_login(mentee)
    client.post(url, {"form": "review", "review": "Mo was a great help."})
    relationship.refresh_from_db()
    assert relationship.mentor_review == "Mae is ready."
    assert relationship.mentee_review == "Mo was a great help."
    with raises_code(AlumniError, "mentoring_not_active"):
        services_mentoring.mentoring_session_log(
            relationship=relationship, by=mentee, held_on=datetime.date(2026, 2, 1)
        )


def test_another_pairs_relationship_is_404(client, pair, member):
    relationship, _mentor, _mentee = pair
    url = reverse("alumni:relationship", args=[relationship.pk])
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "agreement", "goals": "Mine now"}).status_code == 404
    relationship.refresh_from_db()
    assert relationship.goals == ""
    with raises_code(AlumniError, "not_party"):
        services_mentoring.mentoring_agreement_save(
            relationship=relationship, by=member, goals="x", frequency=""
        )


def test_programme_figures_for_managers(client, member):
    provider = ProviderFactory()
    manager = ManagerFactory(profile__organisation=provider)
    from tests.cohorts.factories import EndedCohortFactory

    cohort = EndedCohortFactory(provider=provider)
    offer = MentoringOfferFactory(mentor=make_alumnus(cohort=cohort), capacity=3)
    MentoringRequestFactory(offer=offer, status=ACCEPTED, responded_at="2026-01-01T10:00Z")
    MentoringRequestFactory(offer=offer, status="declined", responded_at="2026-01-01T10:00Z")
    MentoringRequestFactory(offer=offer, status="ended", responded_at="2026-01-01T10:00Z")
    MentoringRequestFactory(offer=offer)  # not answered yet
    MentoringRequestFactory()  # another provider's alumnus: not counted
    figures = selectors_mentoring.mentoring_figures(manager)
    assert (figures.mentors, figures.requests, figures.answered) == (1, 4, 3)
    assert (figures.active_pairs, figures.acceptance_rate) == (1, 67)
    url = reverse("alumni:mentoring_figures")
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert "67%" in client.get(url).content.decode()


def test_mentee_told_when_the_mentor_deletes_the_account(client, pair, capture):
    relationship, mentor, mentee = pair
    waiting = MentoringRequestFactory(offer=relationship.offer, mentee=MemberFactory())
    mentor.set_password("correct horse")
    mentor.save()
    client.force_login(mentor)
    response = capture(client.post, reverse("account_delete"), {"password": "correct horse"})
    assert response.status_code == 302
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert f"alumni.mentoring.mentor_left:{relationship.pk}" in keys
    assert f"alumni.mentoring.mentor_left:{waiting.pk}" in keys
    sent = [m for m in mail.outbox if m.to == [mentee.email]]
    assert sent and "Mo Mentor" in sent[0].subject
    assert not MentoringRequest.objects.filter(pk=relationship.pk).exists()


def test_suggestions_and_figures_query_counts(client, django_assert_max_num_queries):
    area = FunctionalAreaFactory()
    mentee = MemberFactory(profile__career_level=2, profile__region=Region.WEST_MIDLANDS)
    mentee.profile.functional_areas.add(area)
    for i in range(12):
        profile = AlumniProfileFactory(user=make_alumnus(full_name=f"Mentor {i:02}"))
        profile.functional_areas.add(area)
        MentoringRequestFactory(offer=MentoringOfferFactory(mentor=profile.user), status=ACCEPTED)
    client.force_login(mentee)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("alumni:mentoring_suggestions"), {"looking_for": "strategy"})
    assert len(page.context["suggestions"]) == selectors_mentoring.SUGGESTIONS
    manager = ManagerFactory()
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("alumni:mentoring_figures")).status_code == 200
