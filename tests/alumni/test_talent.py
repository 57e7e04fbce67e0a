"""Supply and demand: vacancies against pool members by level, region, mobility and
readiness; the talent assessment is for the pool's managers only."""

import pytest
from django.urls import reverse

from alumni import selectors
from alumni.models import Readiness, TalentAssessment, Vacancy
from talenthub.core.choices import Region
from tests.alumni.factories import (
    TalentAssessmentFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
)
from tests.factories import MemberFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db
WM, EM, LDN, NW = Region.WEST_MIDLANDS, Region.EAST_MIDLANDS, Region.LONDON, Region.NORTH_WEST


@pytest.fixture
def pool(provider):
    pool = TalentPoolFactory(owner=provider, title="Midlands senior leaders", slug="midlands-pool")

    def member(name, level, readiness, home, **extra):
        return TalentPoolMemberFactory(
            pool=pool,
            user=MemberFactory(full_name=name),
            target_level=level,
            readiness=readiness,
            home_region=home,
            **extra,
        )

    member("Ada Ready", 4, Readiness.READY_NOW, WM)
    member("Ben Soon", 4, Readiness.ONE_TO_TWO_YEARS, EM, mobility_regions=[WM])
    member("Cal Later", 4, Readiness.THREE_PLUS_YEARS, LDN)
    member("Dee Level3", 3, Readiness.READY_NOW, WM)
    member("Eve Mover", 4, Readiness.READY_NOW, NW, open_to_relocation=True)
    return pool


def test_vacancies_matched_by_level_region_mobility_and_readiness(pool):
    v1 = VacancyFactory(role="Director of People", level=4, region=WM)
    VacancyFactory(role="Deputy Director of HR", level=4, region=WM, kind=Vacancy.Kind.PREDICTED)
    VacancyFactory(role="Head of OD", level=3, region=LDN)
    VacancyFactory(role="Filled post", level=4, region=WM, status=Vacancy.Status.FILLED)
    members, matches, balance = selectors.supply_and_demand(pool)
    assert len(members) == 5
    by_role = {v.role: [m.user.full_name for m in fits] for v, fits in matches}
    assert "Filled post" not in by_role
    assert by_role["Director of People"] == ["Ada Ready", "Eve Mover", "Ben Soon"]
    assert by_role["Head of OD"] == []
    table = {(b.region, b.level): (b.vacancies, b.ready_now, b.ready_soon) for b in balance}
    assert table == {
        (WM, 4): (2, 2, 1),  # Ada and Eve (relocating) ready now; Ben (chose WM) soon
        (LDN, 3): (1, 0, 0),
        # Ready people with no vacancy where they live still show, as supply alone.
        (EM, 4): (0, 1, 1),  # Ben lives there; Eve would relocate there
        (WM, 3): (0, 1, 0),  # Dee
        (NW, 4): (0, 1, 0),  # Eve
    }  # Cal (ready in 3+ years, London) is in no row: the table counts the ready.
    assert v1 in [v for v, _ in matches]


def test_no_vacancies_still_shows_the_ready_people(pool):
    _members, matches, balance = selectors.supply_and_demand(pool)
    assert matches == []
    table = {(b.region, b.level): (b.vacancies, b.ready_now, b.ready_soon) for b in balance}
    assert table == {(WM, 4): (0, 2, 1), (EM, 4): (0, 1, 1), (WM, 3): (0, 1, 0), (NW, 4): (0, 1, 0)}


def test_a_secondment_matches_only_members_open_to_secondment(pool):
    pool.pool_members.filter(user__full_name="Ben Soon").update(open_to_secondment=True)
    VacancyFactory(role="Acting Director of People", level=4, region=WM, is_secondment=True)
    VacancyFactory(role="Deputy Director of Workforce", level=4, region=EM, is_secondment=True)
    _members, matches, balance = selectors.supply_and_demand(pool)
    by_role = {v.role: [m.user.full_name for m in fits] for v, fits in matches}
    # Ada and Eve would work in the West Midlands but would not take a secondment.
    assert by_role == {
        "Acting Director of People": ["Ben Soon"],
        "Deputy Director of Workforce": ["Ben Soon"],
    }
    table = {(b.region, b.level): (b.vacancies, b.ready_now, b.ready_soon) for b in balance}
    assert table[(WM, 4)] == (1, 0, 1) and table[(EM, 4)] == (1, 0, 1)
    # A permanent post beside the secondment: the row counts whoever can fill either.
    VacancyFactory(role="Director of People", level=4, region=WM)
    _members, matches, balance = selectors.supply_and_demand(pool)
    table = {(b.region, b.level): (b.vacancies, b.ready_now, b.ready_soon) for b in balance}
    assert table[(WM, 4)] == (2, 2, 1)
    assert {v.role: len(fits) for v, fits in matches}["Director of People"] == 3


@pytest.mark.parametrize(
    "member, vacancy, fits",
    [
        ({}, {}, True),
        ({}, {"level": 3}, False),  # aiming for level 4
        ({}, {"region": LDN}, False),
        ({"mobility_regions": [LDN]}, {"region": LDN}, True),
        ({"open_to_relocation": True}, {"region": LDN}, True),
        ({}, {"is_secondment": True}, False),
        ({"open_to_secondment": True}, {"is_secondment": True}, True),
        ({"open_to_secondment": True}, {}, True),  # a permanent post is still wanted
        # Secondment does not widen the regions a member would work in.
        ({"open_to_secondment": True}, {"is_secondment": True, "region": LDN}, False),
    ],
)
def test_can_fill(member, vacancy, fits):
    from alumni.models import TalentPoolMember

    person = TalentPoolMember(target_level=4, home_region=WM, readiness="ready_now", **member)
    post = Vacancy(level=vacancy.get("level", 4), region=vacancy.get("region", WM),
                   is_secondment=vacancy.get("is_secondment", False))  # fmt: skip
    assert person.can_fill(post) is fits


def test_pool_page_for_its_managers_only(
    client, pool, member, manager, django_assert_max_num_queries
):
    from tests.factories import ManagerFactory, ProviderFactory

    url = reverse("alumni:pool", args=[pool.slug])
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(ManagerFactory(profile__organisation=ProviderFactory()))
    assert client.get(url).status_code == 404
    client.force_login(manager)
    for i in range(10):
        VacancyFactory(level=4, region=WM)
        # Each with an assessment, so that reading them one by one would show.
        TalentAssessmentFactory(
            pool_member=TalentPoolMemberFactory(pool=pool, target_level=4),
            summary=f"Assessment number {i}",
            assessed_by=manager,
        )
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "Ada Ready" in page.content.decode()
    assert "Assessment number 9" in page.content.decode()
    assert [(b.region, b.level) for b in page.context["balance"]] == [
        (EM, 4),  # supply only (Ben, and Eve relocating): shown although nothing is open
        (NW, 4),
        (WM, 3),
        (WM, 4),
    ]


def test_assessment_seen_by_managers_never_by_the_member(client, pool, manager):
    pool_member = pool.pool_members.get(user__full_name="Ada Ready")
    client.force_login(manager)
    url = reverse("alumni:assessment", args=[pool_member.pk])
    response = client.post(url, {"summary": "Strong system leader; board-ready."})
    assert response.status_code == 302
    assert TalentAssessment.objects.get(pool_member=pool_member).assessed_by == manager
    assert "board-ready" in client.get(reverse("alumni:pool", args=[pool.slug])).content.decode()
    client.force_login(pool_member.user)
    assert client.get(url).status_code == 403
    own = client.get(reverse("alumni:talent")).content.decode()
    assert "Midlands senior leaders" in own and "board-ready" not in own
    export = client.get(reverse("personal_data_download"))
    assert export.status_code == 200
    assert "Midlands senior leaders" in export.content.decode()
    assert "board-ready" not in export.content.decode()


def test_member_updates_mobility(client, pool):
    pool_member = pool.pool_members.get(user__full_name="Cal Later")
    client.force_login(pool_member.user)
    url = reverse("alumni:mobility", args=[pool_member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"mobility_regions": [WM], "open_to_secondment": "on"})
    assert response.status_code == 302
    pool_member.refresh_from_db()
    assert pool_member.mobility_regions == [WM] and pool_member.open_to_secondment
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404


def test_vacancy_posting_rules(pool, manager, member):
    from alumni import services
    from alumni.exceptions import AlumniError
    from tests.factories import OrganisationFactory

    trust = OrganisationFactory(name="Sherwood Forest Hospitals NHS Foundation Trust")
    vacancy = services.vacancy_post(
        by=manager, organisation=trust, role="Director of People", level=4,
        region=Region.EAST_MIDLANDS, kind="immediate", expected_on="2027-02-01",
    )  # fmt: skip
    assert vacancy.posted_by == manager
    with raises_code(AlumniError, "not_allowed"):  # a level 2 member of another organisation
        services.vacancy_post(
            by=member, organisation=trust, role="x", level=4, region=WM, kind="immediate",
            expected_on="2027-02-01",
        )  # fmt: skip
    director = MemberFactory(profile__organisation=trust, profile__career_level=4)
    services.vacancy_post(
        by=director, organisation=trust, role="Head of OD", level=4, region=Region.EAST_MIDLANDS,
        kind="predicted", expected_on="2027-09-01",
    )  # fmt: skip
    services.vacancy_close(vacancy=vacancy, by=director, status="filled")
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    with raises_code(AlumniError, "vacancy_closed"):
        services.vacancy_close(vacancy=vacancy, by=director, status="withdrawn")


def test_vacancy_pages(client, pool, manager, member, django_assert_max_num_queries):
    url = reverse("alumni:vacancies")
    assert client.get(url).status_code == 302
    client.force_login(member)
    for _ in range(12):
        VacancyFactory()
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.status_code == 200 and "Post a vacancy" not in page.content.decode()
    assert client.get(reverse("alumni:vacancy_create")).status_code == 403
    vacancy = Vacancy.objects.first()
    assert (
        client.post(
            reverse("alumni:vacancy_close", args=[vacancy.pk]), {"status": "filled"}
        ).status_code
        == 404
    )
    client.force_login(manager)
    response = client.post(
        reverse("alumni:vacancy_create"),
        {"organisation": vacancy.organisation.pk, "role": "Chief People Officer", "level": "4",
         "region": WM, "kind": "immediate", "expected_on": "2027-03-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert (
        Vacancy.objects.get(role="Chief People Officer", posted_by=manager).is_secondment is False
    )
    client.post(
        reverse("alumni:vacancy_create"),
        {"organisation": vacancy.organisation.pk, "role": "Acting Director of People",
         "level": "4", "region": WM, "kind": "immediate", "expected_on": "2027-03-01",
         "is_secondment": "on"},
    )  # fmt: skip
    assert Vacancy.objects.get(role="Acting Director of People").is_secondment is True
    listing = client.get(url).content.decode()
    assert "Secondment</strong>" in listing
    client.post(reverse("alumni:vacancy_close", args=[vacancy.pk]), {"status": "withdrawn"})
    vacancy.refresh_from_db()
    assert vacancy.status == "withdrawn"
