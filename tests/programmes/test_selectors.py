import datetime

import pytest
from django.http import Http404

from programmes.models import Programme
from programmes.selectors import (
    _search_plain,
    programme_page,
    programme_search,
    programmes_runnable_by,
    programmes_visible_to,
)
from tests.factories import ManagerFactory, ProviderFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


def test_anonymous_and_members_see_only_published(member):
    published = ProgrammeFactory(status=Programme.Status.PUBLISHED)
    ProgrammeFactory(status=Programme.Status.DRAFT)
    ProgrammeFactory(status=Programme.Status.ARCHIVED)
    from django.contrib.auth.models import AnonymousUser

    assert list(programmes_visible_to(AnonymousUser())) == [published]
    assert list(programmes_visible_to(member)) == [published]


def test_managers_also_see_their_own_providers_drafts(manager, provider):
    own_draft = ProgrammeFactory(owner=provider, status=Programme.Status.DRAFT)
    ProgrammeFactory(status=Programme.Status.DRAFT)  # another provider's
    published = ProgrammeFactory()
    assert set(programmes_visible_to(manager)) == {own_draft, published}


def test_superusers_see_everything(admin_user):
    ProgrammeFactory(status=Programme.Status.DRAFT)
    ProgrammeFactory(status=Programme.Status.ARCHIVED)
    assert programmes_visible_to(admin_user).count() == 2


def test_programme_page_current_version_is_latest_launched():
    programme = ProgrammeFactory()
    original = ProgrammeVersionFactory(
        programme=programme, name="Aspire", launched_on=datetime.date(2014, 9, 1)
    )
    revised = ProgrammeVersionFactory(
        programme=programme, name="Aspire 2.0", launched_on=datetime.date(2019, 4, 1)
    )
    future = ProgrammeVersionFactory(
        programme=programme, name="Aspire 3.0", launched_on=datetime.date(2025, 1, 1)
    )
    page = programme_page(slug=programme.slug, user=None, today=TODAY)
    assert page.current_version == revised
    assert page.earlier_versions == [original]
    assert page.upcoming_versions == [future]


def test_programme_page_without_launched_versions():
    programme = ProgrammeFactory()
    page = programme_page(slug=programme.slug, user=None, today=TODAY)
    assert page.current_version is None
    assert page.earlier_versions == []


def test_programme_page_404_for_drafts_to_the_public():
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    with pytest.raises(Http404):
        programme_page(slug=draft.slug, user=None)
    with pytest.raises(Http404):
        programme_page(slug="no-such-programme", user=None)


def test_programme_page_lists_only_current_franchises():
    programme = ProgrammeFactory()
    current = FranchiseFactory(programme=programme, starts_on=datetime.date(2016, 1, 1))
    FranchiseFactory(
        programme=programme,
        starts_on=datetime.date(2016, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    page = programme_page(slug=programme.slug, user=None, today=TODAY)
    assert page.franchises == [current]


def test_runnable_by_owner_and_current_franchisees():
    owner = ProviderFactory(name="West Midlands Employers")
    franchisee = ProviderFactory(name="East Midlands Councils")
    former = ProviderFactory(name="South West Councils")
    aspire = ProgrammeFactory(owner=owner, title="Aspire")
    inspire = ProgrammeFactory(owner=owner, title="Inspire OD", status=Programme.Status.DRAFT)
    ProgrammeFactory(owner=owner, title="Old", status=Programme.Status.ARCHIVED)
    FranchiseFactory(programme=aspire, franchisee=franchisee, starts_on=datetime.date(2016, 4, 1))
    FranchiseFactory(
        programme=aspire,
        franchisee=former,
        starts_on=datetime.date(2016, 4, 1),
        ends_on=datetime.date(2020, 3, 31),
    )
    assert set(programmes_runnable_by(owner, on=TODAY)) == {aspire, inspire}
    assert list(programmes_runnable_by(franchisee, on=TODAY)) == [aspire]
    assert list(programmes_runnable_by(former, on=TODAY)) == []
    assert list(programmes_runnable_by(former, on=datetime.date(2018, 1, 1))) == [aspire]
    assert list(programmes_runnable_by(franchisee, on=datetime.date(2015, 1, 1))) == []


def test_manager_of_a_franchisee_does_not_see_the_owners_drafts():
    franchisee = ProviderFactory(name="North West Employers")
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    FranchiseFactory(programme=draft, franchisee=franchisee)
    manager = ManagerFactory(profile__organisation=franchisee)
    assert draft not in programmes_visible_to(manager)


# Search: the same expectations on both database vendors.
def _search_fixture():
    aspire = ProgrammeFactory(
        title="Aspire Strategic HR and OD Business Partner Programme",
        summary="Business partnering for the public sector.",
    )
    version = ProgrammeVersionFactory(programme=aspire)
    ModuleFactory(version=version, title="Workforce strategies – doing it well")
    ModuleFactory(version=version, title="Digital technologies in HR/OD", summary="Automation")
    inspire = ProgrammeFactory(title="Inspire OD", summary="A workshop toolkit for change.")
    return aspire, inspire


def _titles(queryset):
    return [p.title.split()[0] for p in queryset]


def _assert_search_behaviour(search):
    _search_fixture()
    base = Programme.objects.published()
    assert _titles(search(base, "Inspire")) == ["Inspire"]
    assert _titles(search(base, "INSPIRE")) == ["Inspire"]
    assert _titles(search(base, "toolkit")) == ["Inspire"]  # summary
    assert _titles(search(base, "workforce strategies")) == ["Aspire"]  # module title
    assert _titles(search(base, "automation")) == ["Aspire"]  # module summary
    # Two matching modules, one result.
    assert search(base, "digital").count() == 1
    assert search(base, "nothing-like-this").count() == 0


def test_search_on_this_database():
    """``programme_search`` picks full-text search on PostgreSQL and the plain match
    elsewhere; either way it finds the same programmes."""
    _assert_search_behaviour(programme_search)
    assert programme_search(Programme.objects.all(), "   ").count() == 2


def test_plain_search_fallback():
    """The SQLite path, run directly so it is tested on every database."""
    _assert_search_behaviour(_search_plain)


@pytest.mark.postgres
def test_search_full_text_on_postgresql():
    _search_fixture()
    # Full-text search stems words: "strategy" finds "strategies", "partner" "partnering".
    assert _titles(programme_search(Programme.objects.all(), "strategy")) == ["Aspire"]
    assert _titles(programme_search(Programme.objects.all(), "workshops")) == ["Inspire"]


@pytest.mark.postgres
def test_full_text_search_ranks_title_matches_first():
    ProgrammeFactory(title="Leadership essentials", summary="Includes OD basics")
    ProgrammeFactory(title="OD practitioner programme", summary="Practical OD")
    results = programme_search(Programme.objects.all(), "practitioner")
    assert _titles(results) == ["OD"]
    results = programme_search(Programme.objects.all(), "OD")
    assert results.first().title == "OD practitioner programme"


@pytest.mark.parametrize("text", ["C++ & OD:*|!", "'\"", "((", "-", "or"])
def test_search_accepts_any_input(text):
    """Whatever people type (operators, quotes, stop words) is a query, never an error."""
    _search_fixture()
    assert programme_search(Programme.objects.all(), text).count() >= 0
