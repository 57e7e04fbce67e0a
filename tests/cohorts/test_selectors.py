import datetime

import pytest

from cohorts import selectors
from cohorts.models import Cohort
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortReviewerFactory,
    EndedCohortFactory,
    FeedbackFactory,
    ParticipantFactory,
    SessionFactory,
)
from tests.factories import MemberFactory
from tests.programmes.factories import ModuleFactory

pytestmark = pytest.mark.django_db


def test_managers_see_only_their_providers_cohorts_and_applications(
    cohort, manager, other_manager, other_provider
):
    theirs = CohortFactory(version=cohort.version, provider=other_provider)
    ApplicationFactory(cohort=cohort)
    ApplicationFactory(cohort=theirs)
    ApplicationFactory(cohort=cohort, status="draft", submitted_at=None)
    assert list(selectors.cohorts_managed_by(manager)) == [cohort]
    assert list(selectors.cohorts_managed_by(other_manager)) == [theirs]
    assert {a.cohort for a in selectors.applications_managed_by(manager)} == {cohort}
    assert selectors.applications_managed_by(manager).count() == 1  # no drafts
    assert not selectors.cohorts_managed_by(MemberFactory()).exists()
    assert selectors.can_manage_cohort(manager, cohort)
    assert not selectors.can_manage_cohort(other_manager, cohort)


def test_superuser_manages_everything(admin_user, cohort, other_provider):
    CohortFactory(version=cohort.version, provider=other_provider)
    assert selectors.cohorts_managed_by(admin_user).count() == 2


def test_fellow_participants_are_those_who_chose_to_be_visible(cohort):
    me = ParticipantFactory(cohort=cohort, visible_to_cohort=True)
    visible = ParticipantFactory(cohort=cohort, visible_to_cohort=True)
    ParticipantFactory(cohort=cohort, visible_to_cohort=False)
    ParticipantFactory(cohort=cohort, visible_to_cohort=True, status="withdrawn")
    ParticipantFactory(visible_to_cohort=True)  # another cohort
    assert list(selectors.fellow_participants(me)) == [visible]


def test_reviewer_role_is_per_cohort(cohort):
    reviewer = CohortReviewerFactory(cohort=cohort).user
    assert selectors.is_cohort_reviewer(reviewer, cohort)
    assert not selectors.is_cohort_reviewer(reviewer, CohortFactory())


def test_feedback_summary_per_cohort_and_across_a_version(django_assert_max_num_queries):
    first = EndedCohortFactory()
    second = EndedCohortFactory(version=first.version, provider=first.provider)
    modules = [ModuleFactory(version=first.version, order=i) for i in (1, 2)]
    for cohort, ratings in [(first, [5, 3]), (second, [4, 4, 1])]:
        for overall in ratings:
            feedback = FeedbackFactory(
                participant=ParticipantFactory(cohort=cohort), overall_rating=overall
            )
            feedback.module_ratings.create(module=modules[0], rating=overall)
    with django_assert_max_num_queries(4):
        summary = selectors.feedback_summary(Cohort.objects.filter(pk=first.pk))
    assert summary["responses"] == 2
    assert summary["overall"] == 4
    across = selectors.feedback_summary(Cohort.objects.filter(version=first.version))
    assert across["responses"] == 5
    assert across["overall"] == pytest.approx(17 / 5)
    assert across["modules"][0]["module__title"] == modules[0].title
    assert across["modules"][0]["ratings"] == 5


def test_programme_owner_sees_franchisees_cohorts_but_manages_only_its_own(
    cohort, manager, other_manager, other_provider
):
    franchise = CohortFactory(version=cohort.version, provider=other_provider)
    other_programme = CohortFactory(provider=other_provider)
    assert set(selectors.cohorts_visible_to(manager)) == {cohort, franchise}
    assert list(selectors.cohorts_managed_by(manager)) == [cohort]
    assert set(selectors.cohorts_visible_to(other_manager)) == {franchise, other_programme}
    assert not selectors.can_manage_cohort(manager, franchise)


def test_owner_sees_feedback_across_franchisees_cohorts_of_a_version(
    client, manager, other_manager, other_provider
):
    from django.urls import reverse

    own = EndedCohortFactory(provider=manager.profile.organisation)
    own.version.programme.owner = manager.profile.organisation
    own.version.programme.save()
    franchise = EndedCohortFactory(version=own.version, provider=other_provider)
    FeedbackFactory(participant=ParticipantFactory(cohort=own), comments="Own cohort comment")
    FeedbackFactory(participant=ParticipantFactory(cohort=franchise), comments="Franchise comment")
    url = reverse("cohorts:version_feedback", args=[own.version.pk])
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "Own cohort comment" in html and "Franchise comment" in html
    client.force_login(other_manager)
    html = client.get(url).content.decode()
    assert "Franchise comment" in html and "Own cohort comment" not in html


def test_waiting_list_position_follows_priority_then_time(cohort):
    import datetime

    from django.utils import timezone

    from tests.cohorts.factories import WaitingApplicationFactory

    now = timezone.now()
    late = WaitingApplicationFactory(cohort=cohort, waiting_since=now)
    early = WaitingApplicationFactory(cohort=cohort, waiting_since=now - datetime.timedelta(1))
    tie = WaitingApplicationFactory(cohort=cohort, waiting_since=now)
    first = WaitingApplicationFactory(cohort=cohort, waiting_since=now, waiting_priority=2)
    positions = [selectors.waiting_list_position(a) for a in (first, early, late, tie)]
    assert positions == [1, 2, 3, 4]
    assert [a.pk for a in cohort.applications.waiting_in_order()] == [
        first.pk, early.pk, late.pk, tie.pk,
    ]  # fmt: skip
    assert selectors.waiting_list_position(ApplicationFactory(cohort=cohort)) is None


def test_session_titles_are_the_sessions_display_titles_in_their_order(cohort):
    """The manager's cohort list reads sessions as plain values (issue 21); each title is
    what ``Session.display_title`` says, for a titled session, a module day and a day of
    another kind, in the sessions' order."""
    day = cohort.starts_on
    module = ModuleFactory(version=cohort.version, title="Workforce strategies")
    sessions = [
        SessionFactory(cohort=cohort, date=day, module=module),
        SessionFactory(cohort=cohort, date=day, title="Welcome", starts_at=datetime.time(8)),
        SessionFactory(cohort=cohort, date=day, kind="review_day", starts_at=datetime.time(7)),
    ]
    SessionFactory()  # another cohort's
    rows = selectors.session_titles_for([cohort.pk])
    expected = sorted(sessions, key=lambda s: (s.date, s.starts_at))
    assert [(pk, cohort_id, date) for pk, cohort_id, date, _title in rows] == [
        (s.pk, cohort.pk, s.date) for s in expected
    ]
    assert [title for *_rest, title in rows] == [s.display_title for s in expected]
    assert [title for *_rest, title in rows] == [
        "Review day",
        "Welcome",
        "Module day: Workforce strategies",
    ]
