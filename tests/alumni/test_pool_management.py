"""Pool managers' own pages (issue 19, item 1): membership, readiness, mobility and
assessments shared with the person; vacancy candidates for managers and, with consent,
for the posting organisation; succession plans; moves that are not promotions."""

import datetime

import pytest
from django.urls import reverse

from alumni import selectors_talent, services, services_talent
from alumni.exceptions import AlumniError
from alumni.models import KeyRole, Readiness, Successor, TalentPoolMember
from talenthub.core.choices import Region, Sector
from talenthub.core.models import AuditLog, ConsentRecord
from tests.alumni.factories import (
    CareerEntryFactory,
    KeyRoleFactory,
    SuccessorFactory,
    TalentAssessmentFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
)
from tests.factories import (
    FunctionalAreaFactory,
    ManagerFactory,
    MemberFactory,
    OrganisationFactory,
    ProviderFactory,
)
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db
WM, EM = Region.WEST_MIDLANDS, Region.EAST_MIDLANDS


@pytest.fixture
def pool(provider):
    return TalentPoolFactory(owner=provider, title="Midlands senior leaders", slug="midlands-pool")


@pytest.fixture
def other_manager():
    return ManagerFactory(profile__organisation=ProviderFactory(name="Another provider"))


def test_manager_selects_changes_and_removes_a_member(client, pool, manager):
    person = MemberFactory(full_name="Nia Newcomer", email="nia@example.com")
    client.force_login(manager)
    response = client.post(
        reverse("alumni:pool_member_add", args=[pool.slug]),
        {"email": "NIA@example.com", "target_level": "4", "readiness": "one_to_two",
         "home_region": WM},
    )  # fmt: skip
    member = TalentPoolMember.objects.get(pool=pool, user=person)
    assert response.url == reverse("alumni:pool_member", args=[member.pk])
    assert member.selected_by == manager
    again = client.post(
        reverse("alumni:pool_member_add", args=[pool.slug]),
        {"email": "nia@example.com", "target_level": "4", "readiness": "ready_now",
         "home_region": WM},
    )  # fmt: skip
    assert again.status_code == 200 and "govuk-error-summary" in again.content.decode()

    area = FunctionalAreaFactory(name="Organisational development")
    url = reverse("alumni:pool_member", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"target_level": "4", "readiness": "ready_now", "home_region": WM,
         "functional_areas": [area.pk], "skills": "Board work", "experience": "",
         "mobility_regions": [EM], "open_to_secondment": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.readiness == Readiness.READY_NOW and member.mobility_regions == [EM]
    assert list(member.functional_areas.all()) == [area]
    audit = AuditLog.objects.get(action="talent.pool_member_changed")
    assert "readiness" in audit.reason and "functional_areas" in audit.reason

    remove = reverse("alumni:pool_member_remove", args=[member.pk])
    assert "Remove Nia Newcomer" in client.get(remove).content.decode()  # asks first
    assert client.post(remove).status_code == 302
    assert not TalentPoolMember.objects.filter(pk=member.pk).exists()
    assert AuditLog.objects.filter(action="talent.pool_member_removed").exists()


def test_another_providers_manager_cannot_write_to_the_pool(pool, other_manager):
    member = TalentPoolMemberFactory(pool=pool)
    with raises_code(AlumniError, "not_pool_manager"):
        services_talent.pool_member_update(member=member, by=other_manager, readiness="three_plus")
    with raises_code(AlumniError, "not_pool_manager"):
        services_talent.pool_member_remove(member=member, by=other_manager)
    with raises_code(AlumniError, "not_pool_manager"):
        services_talent.key_role_save(
            pool=pool, by=other_manager, title="x", organisation=OrganisationFactory(),
            level=4, region=WM,
        )  # fmt: skip


def test_the_manager_cannot_set_the_members_consent(pool, manager):
    member = TalentPoolMemberFactory(pool=pool)
    with raises_code(AlumniError, "not_allowed"):
        services_talent.pool_member_update(member=member, by=manager, share_with_employers=True)


def test_pages_of_another_pool_are_404(client, pool, manager, other_manager, member):
    pool_member = TalentPoolMemberFactory(pool=pool)
    role = KeyRoleFactory(pool=pool)
    urls = [
        reverse("alumni:pool_members", args=[pool.slug]),
        reverse("alumni:pool_member_add", args=[pool.slug]),
        reverse("alumni:pool_member", args=[pool_member.pk]),
        reverse("alumni:pool_member_remove", args=[pool_member.pk]),
        reverse("alumni:succession", args=[pool.slug]),
        reverse("alumni:key_role_create", args=[pool.slug]),
        reverse("alumni:key_role", args=[role.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url  # to sign in
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(other_manager)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[3]).status_code == 404
    assert TalentPoolMember.objects.filter(pk=pool_member.pk).exists()
    client.force_login(manager)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_members_page_query_count(client, pool, manager, django_assert_max_num_queries):
    area = FunctionalAreaFactory()
    for i in range(12):
        m = TalentPoolMemberFactory(pool=pool)
        m.functional_areas.add(area)
        TalentAssessmentFactory(pool_member=m, shared_with_member=i % 2 == 0)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("alumni:pool_members", args=[pool.slug]))
    assert page.status_code == 200
    assert "Shared" in page.content.decode() and "Managers only" in page.content.decode()


def test_shared_assessment_is_shown_to_the_member(client, pool, manager):
    pool_member = TalentPoolMemberFactory(pool=pool)
    client.force_login(manager)
    url = reverse("alumni:assessment", args=[pool_member.pk])
    client.post(url, {"summary": "Ready for board exposure."})
    client.force_login(pool_member.user)
    assert "Ready for board exposure" not in client.get(reverse("alumni:talent")).content.decode()
    client.force_login(manager)
    client.post(url, {"summary": "Ready for board exposure.", "shared_with_member": "on"})
    assert AuditLog.objects.filter(action="talent.assessed", reason="shared with the member")
    client.force_login(pool_member.user)
    assert "Ready for board exposure" in client.get(reverse("alumni:talent")).content.decode()
    # Another member of the pool never sees it.
    client.force_login(TalentPoolMemberFactory(pool=pool).user)
    assert "Ready for board exposure" not in client.get(reverse("alumni:talent")).content.decode()


def test_the_member_agrees_to_be_shown_to_employers(client, pool):
    pool_member = TalentPoolMemberFactory(pool=pool)
    client.force_login(pool_member.user)
    client.post(reverse("alumni:mobility", args=[pool_member.pk]), {"share_with_employers": "on"})
    pool_member.refresh_from_db()
    assert pool_member.share_with_employers
    consent = ConsentRecord.objects.get(user=pool_member.user, purpose="share_with_employers")
    assert consent.given


@pytest.fixture
def posting(pool, manager):
    """A vacancy of a trust, posted by its director; four pool members, two matching."""
    trust = OrganisationFactory(name="Sherwood Forest Hospitals")
    director = MemberFactory(profile__organisation=trust, profile__career_level=4)
    area = FunctionalAreaFactory(name="Employee relations")
    vacancy = VacancyFactory(
        organisation=trust, level=4, region=WM, functional_area=area, posted_by=director
    )

    def member(name, **fields):
        m = TalentPoolMemberFactory(pool=pool, user=MemberFactory(full_name=name), **fields)
        return m

    member("Ann Agreed", share_with_employers=True, readiness=Readiness.ONE_TO_TWO_YEARS)
    in_area = member("Ben Area", readiness=Readiness.THREE_PLUS_YEARS)
    in_area.functional_areas.add(area)
    member("Cat Elsewhere", home_region=EM, share_with_employers=True)
    member("Dan Level3", target_level=3, share_with_employers=True)
    return vacancy, director


def test_candidates_for_the_pool_manager_area_first(client, posting, manager):
    vacancy, _director = posting
    result = selectors_talent.vacancy_candidates(manager, vacancy)
    assert result.audience == "manager"
    assert [c.member.user.full_name for c in result.candidates] == ["Ben Area", "Ann Agreed"]


def test_candidates_for_the_posting_organisation_only_who_agreed(
    client, posting, member, other_manager, django_assert_max_num_queries
):
    vacancy, director = posting
    url = reverse("alumni:vacancy_candidates", args=[vacancy.pk])
    client.force_login(director)
    with django_assert_max_num_queries(10):
        page = client.get(url)
    text = page.content.decode()
    assert "Ann Agreed" in text
    assert "Ben Area" not in text and "Cat Elsewhere" not in text and "Dan Level3" not in text
    # Another organisation's member, or a senior member elsewhere: 404.
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(MemberFactory(profile__organisation=OrganisationFactory(),
                                     profile__career_level=4))  # fmt: skip
    assert client.get(url).status_code == 404
    # A manager of another pool sees only their own pools' members: none here.
    client.force_login(other_manager)
    assert "Ann Agreed" not in client.get(url).content.decode()


def test_succession_plan_with_gaps(client, pool, manager, django_assert_max_num_queries):
    client.force_login(manager)
    trust = OrganisationFactory(name="Royal Wolverhampton NHS Trust")
    response = client.post(
        reverse("alumni:key_role_create", args=[pool.slug]),
        {"title": "Chief People Officer", "organisation": trust.pk, "level": "4",
         "region": WM, "incumbent": "Sam Holder", "expected_vacancy_on": "2027-04-01",
         "notes": ""},
    )  # fmt: skip
    role = KeyRole.objects.get(title="Chief People Officer")
    assert response.url == reverse("alumni:key_role", args=[role.pk])
    plan = selectors_talent.succession_plans(pool)[0]
    assert plan.gaps == ["No successor named"]
    soon = TalentPoolMemberFactory(pool=pool, user=MemberFactory(full_name="Sol Soon"))
    client.post(
        reverse("alumni:key_role", args=[role.pk]),
        {"pool_member": soon.pk, "readiness": "one_to_two", "development": "Board exposure"},
    )
    assert selectors_talent.succession_plans(pool)[0].gaps == [
        "Nobody ready now",
        "Only one successor",
    ]
    outsider = TalentPoolMemberFactory()  # in another pool
    with raises_code(AlumniError, "successor_not_in_pool"):
        services_talent.successor_add(
            key_role=role, pool_member=outsider, readiness="ready_now", by=manager
        )
    with raises_code(AlumniError, "successor_once_per_role"):
        services_talent.successor_add(
            key_role=role, pool_member=soon, readiness="ready_now", by=manager
        )
    for _ in range(8):
        SuccessorFactory(key_role=KeyRoleFactory(pool=pool))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("alumni:succession", args=[pool.slug]))
    assert "Sam Holder" in page.content.decode() and "Sol Soon" in page.content.decode()
    successor = Successor.objects.get(pool_member=soon)
    hostile = client.post(reverse("alumni:key_role", args=[role.pk]), {"remove": "1 OR 1"})
    assert hostile.status_code == 302 and Successor.objects.filter(pk=successor.pk).exists()
    client.post(reverse("alumni:key_role", args=[role.pk]), {"remove": successor.pk})
    assert not Successor.objects.filter(pk=successor.pk).exists()


def test_moves_count_sideways_and_cross_sector(pool):
    member = TalentPoolMemberFactory(pool=pool)
    joined = member.created_at.date()
    before = joined - datetime.timedelta(days=400)
    user = member.user
    CareerEntryFactory(user=user, level=3, organisation_name="Derby City Council",
                       sector=Sector.LOCAL_GOVERNMENT, started_on=before)  # fmt: skip
    moves = selectors_talent.pool_moves(pool)
    assert (moves.members_who_moved, moves.promotions) == (0, 0)  # before selection
    CareerEntryFactory(user=user, level=3, organisation_name="East Midlands Ambulance Service",
                       sector=Sector.AMBULANCE_SERVICE, started_on=joined)  # fmt: skip
    moves = selectors_talent.pool_moves(pool)
    assert (moves.promotions, moves.sideways, moves.cross_sector) == (0, 1, 1)
    assert moves.members_who_moved == 1


def test_admin_pool_membership_for_the_pool_manager(client, pool, manager):
    """The demo pool manager had a 403 on the pool membership admin."""
    member = TalentPoolMemberFactory(pool=pool)
    client.force_login(manager)
    assert client.get(reverse("admin:alumni_talentpoolmember_changelist")).status_code == 200
    url = reverse("admin:alumni_talentpoolmember_change", args=[member.pk])
    assert client.get(url).status_code == 200
    # Selecting is on the pool's own page, by email: the admin's raw id box would name
    # any account tried (the permission matrix found it).
    assert client.get(reverse("admin:alumni_talentpoolmember_add")).status_code == 403
    other = TalentPoolMemberFactory()  # another provider's pool
    other_url = reverse("admin:alumni_talentpoolmember_change", args=[other.pk])
    assert client.get(other_url).status_code in (302, 404)


def test_admin_change_goes_through_the_service(client, pool, manager):
    member = TalentPoolMemberFactory(pool=pool, readiness=Readiness.THREE_PLUS_YEARS)
    client.force_login(manager)
    url = reverse("admin:alumni_talentpoolmember_change", args=[member.pk])
    response = client.post(
        url,
        {"target_level": "4", "readiness": "ready_now", "home_region": WM, "skills": "",
         "experience": "", "assessment-TOTAL_FORMS": "1", "assessment-INITIAL_FORMS": "0",
         "assessment-MIN_NUM_FORMS": "0", "assessment-MAX_NUM_FORMS": "1",
         "assessment-0-summary": "Board-ready.", "assessment-0-shared_with_member": "on",
         "assessment-0-pool_member": member.pk},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.readiness == Readiness.READY_NOW
    assert member.assessment.shared_with_member and member.assessment.assessed_by == manager
    assert AuditLog.objects.filter(action="talent.pool_member_changed").exists()
    assert AuditLog.objects.filter(action="talent.assessed").exists()


def test_pool_member_add_refuses_a_second_membership(pool, manager):
    person = MemberFactory()
    services.pool_member_add(
        pool=pool, user=person, target_level=4, readiness="ready_now", home_region=WM,
        selected_by=manager,
    )  # fmt: skip
    with raises_code(AlumniError, "already_in_pool"):
        services.pool_member_add(
            pool=pool, user=person, target_level=4, readiness="ready_now", home_region=WM,
            selected_by=manager,
        )  # fmt: skip


def test_key_role_and_member_pages_query_counts(
    client, pool, manager, django_assert_max_num_queries
):
    role = KeyRoleFactory(pool=pool)
    for _ in range(10):
        SuccessorFactory(key_role=role)
        TalentPoolMemberFactory(pool=pool)
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("alumni:key_role", args=[role.pk])).status_code == 200
    member = pool.pool_members.first()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("alumni:pool_member", args=[member.pk])).status_code == 200


def test_empty_states(client, pool, manager):
    client.force_login(manager)
    assert (
        "has no members yet"
        in client.get(reverse("alumni:pool_members", args=[pool.slug])).content.decode()
    )
    assert (
        "No key roles are planned yet"
        in client.get(reverse("alumni:succession", args=[pool.slug])).content.decode()
    )


def test_succession_plans_are_paginated(client, pool, manager, django_assert_max_num_queries):
    """25 key roles over two pages; each page's queries do not grow with its roles or
    their successors, and the count of roles with gaps covers every page."""
    for i in range(25):
        role = KeyRoleFactory(pool=pool, title=f"Key role {i:02}")
        SuccessorFactory(key_role=role, readiness=Readiness.READY_NOW)
        if i % 3:  # two names, one ready now: covered
            SuccessorFactory(key_role=role, readiness=Readiness.ONE_TO_TWO_YEARS)
    with_gaps = sum(bool(plan.gaps) for plan in selectors_talent.succession_plans(pool))
    assert selectors_talent.key_roles_with_gaps(pool) == with_gaps == 9
    client.force_login(manager)
    url = reverse("alumni:succession", args=[pool.slug])
    client.get(url)
    with django_assert_max_num_queries(11):
        first = client.get(url).content.decode()
    assert "Key role 00" in first and "Key role 19" in first and "Key role 20" not in first
    assert "25 key roles; 9 with gaps." in first
    assert 'class="govuk-pagination"' in first and "?page=2" in first
    with django_assert_max_num_queries(11):
        second = client.get(url + "?page=2").content.decode()
    assert "Key role 20" in second and "Key role 24" in second and "Key role 19" not in second


def test_vacancy_candidates_are_paginated(client, pool, manager, django_assert_max_num_queries):
    """25 matching members over two pages, each page's queries the same however many
    candidates there are."""
    area = FunctionalAreaFactory(name="Organisational development")
    vacancy = VacancyFactory(level=4, region=WM, functional_area=area)
    for i in range(25):
        m = TalentPoolMemberFactory(pool=pool, user=MemberFactory(full_name=f"Candidate {i:02}"))
        m.functional_areas.add(area, FunctionalAreaFactory())
    client.force_login(manager)
    url = reverse("alumni:vacancy_candidates", args=[vacancy.pk])
    client.get(url)
    with django_assert_max_num_queries(11):
        first = client.get(url).content.decode()
    assert "25 candidates." in first
    assert "Candidate 00" in first and "Candidate 19" in first and "Candidate 20" not in first
    assert 'class="govuk-pagination"' in first
    with django_assert_max_num_queries(11):
        second = client.get(url + "?page=2").content.decode()
    assert "Candidate 24" in second and "Candidate 19" not in second
