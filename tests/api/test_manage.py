"""Managers' tokens: their provider's cohorts, applications and attendance, scoped as the
admin scopes them; the talent board's aggregates through disclosure control."""

import pytest

from talenthub.core.choices import Region
from tests.alumni.factories import TalentPoolFactory, TalentPoolMemberFactory, VacancyFactory
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    ParticipantFactory,
    SessionFactory,
)
from tests.factories import ManagerFactory, ProviderFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_providers(provider):
    mine = CohortFactory(
        version=ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider))
    )
    theirs = CohortFactory()
    for cohort in (mine, theirs):
        ApplicationFactory(cohort=cohort, status="submitted", submitted_at=cohort.created_at)
        participant = ParticipantFactory(cohort=cohort)
        AttendanceFactory(participant=participant, session=SessionFactory(cohort=cohort))
    return mine, theirs


def test_a_manager_reads_only_their_providers_records(
    manager, as_user, two_providers, django_assert_max_num_queries
):
    mine, theirs = two_providers
    client = as_user(manager, "read")
    with django_assert_max_num_queries(10):
        cohorts = client.get("/api/v1/manage/cohorts/").json()
    assert [c["slug"] for c in cohorts["results"]] == [mine.slug]
    assert cohorts["results"][0]["participant_count"] == 1
    assert client.get(f"/api/v1/manage/cohorts/{mine.slug}/").status_code == 200
    assert client.get(f"/api/v1/manage/cohorts/{theirs.slug}/").status_code == 404
    applications = client.get("/api/v1/manage/applications/").json()
    assert [a["cohort"] for a in applications["results"]] == [mine.slug]
    assert (
        client.get("/api/v1/manage/applications/", {"cohort": theirs.slug}).json()["results"] == []
    )
    attendance = client.get("/api/v1/manage/attendance/").json()
    assert [a["cohort"] for a in attendance["results"]] == [mine.slug]


def test_members_and_anonymous_cannot_read_manager_endpoints(member, api, as_user, two_providers):
    for path in ["cohorts/", "applications/", "attendance/"]:
        assert as_user(member).get(f"/api/v1/manage/{path}").status_code == 403
        assert api.get(f"/api/v1/manage/{path}").status_code == 401


def test_talent_board_balance_is_aggregates_with_small_numbers_withheld(as_user, member):
    board = ProviderFactory(name="Midlands Regional Talent Board")
    pool_manager = ManagerFactory(profile__organisation=board)
    pool = TalentPoolFactory(owner=board, slug="senior-leaders")
    wm, em = Region.WEST_MIDLANDS, Region.EAST_MIDLANDS
    TalentPoolMemberFactory.create_batch(9, pool=pool, home_region=wm, readiness="ready_now")
    TalentPoolMemberFactory.create_batch(2, pool=pool, home_region=em, readiness="ready_now")
    VacancyFactory(region=wm, level=4)
    body = as_user(pool_manager, "read").get("/api/v1/talent-board/balance/").json()
    assert [p["pool"] for p in body] == ["senior-leaders"]
    rows = {(r["region"], r["career_level"]): r for r in body[0]["rows"]}
    assert rows[(wm, 4)]["vacancies"] == 1
    assert rows[(wm, 4)]["ready_now"] == 10  # 9, rounded to 5
    assert rows[(em, 4)]["ready_now"] is None  # 2: withheld
    text = str(body)
    assert all(m.user.full_name not in text for m in pool.pool_members.all())
    # A manager of no pool, and a member, are refused.
    assert as_user(member).get("/api/v1/talent-board/balance/").status_code == 403
