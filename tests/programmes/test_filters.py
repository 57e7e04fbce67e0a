"""Each catalogue filter, alone and combined, through the FilterSet."""

import pytest

from programmes.filters import ProgrammeFilter
from programmes.models import Programme
from programmes.selectors import programme_catalogue
from tests.factories import FunctionalAreaFactory, ProviderFactory
from tests.programmes.factories import (
    ModuleFactory,
    ProgrammeCareerLevelFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    wme = ProviderFactory(name="West Midlands Employers")
    hpma = ProviderFactory(name="HPMA London Academy")
    od = FunctionalAreaFactory(name="Organisational Development", slug="organisational-development")
    bp = FunctionalAreaFactory(name="HR Business Partnering", slug="hr-business-partnering")
    aspire = ProgrammeFactory(
        title="Aspire",
        owner=wme,
        kind=Programme.Kind.MULTI_MODULE,
        delivery_mode=Programme.DeliveryMode.BLENDED,
    )
    aspire.functional_areas.set([bp, od])
    ProgrammeCareerLevelFactory(programme=aspire, level=2)
    ProgrammeCareerLevelFactory(programme=aspire, level=3)
    inspire = ProgrammeFactory(
        title="Inspire OD",
        owner=wme,
        kind=Programme.Kind.WORKSHOP,
        delivery_mode=Programme.DeliveryMode.IN_PERSON,
    )
    inspire.functional_areas.set([od])
    ProgrammeCareerLevelFactory(programme=inspire, level=3)
    network = ProgrammeFactory(
        title="London Strategic HR and OD network",
        owner=hpma,
        kind=Programme.Kind.NETWORK,
        delivery_mode=Programme.DeliveryMode.ONLINE,
    )
    ProgrammeCareerLevelFactory(programme=network, level=4)
    ProgrammeFactory(title="Hidden draft", owner=hpma, status=Programme.Status.DRAFT)
    version = ProgrammeVersionFactory(programme=aspire)
    ModuleFactory(version=version, title="Workforce strategies – doing it well")
    return {"aspire": aspire, "inspire": inspire, "network": network}


def titles(data):
    filterset = ProgrammeFilter(data, queryset=programme_catalogue())
    assert filterset.is_valid(), filterset.errors
    return [p.title for p in filterset.qs]


def test_no_filters_lists_every_published_programme(catalogue):
    assert titles({}) == ["Aspire", "Inspire OD", "London Strategic HR and OD network"]


def test_filter_by_kind(catalogue):
    assert titles({"kind": "workshop"}) == ["Inspire OD"]


def test_filter_by_provider_slug(catalogue):
    assert titles({"provider": "hpma-london-academy"}) == ["London Strategic HR and OD network"]


def test_provider_choices_are_providers_with_published_programmes(catalogue):
    ProviderFactory(name="South West Councils")
    field = ProgrammeFilter({}, queryset=programme_catalogue()).form.fields["provider"]
    assert [o.name for o in field.queryset] == ["HPMA London Academy", "West Midlands Employers"]


def test_filter_by_career_level(catalogue):
    assert titles({"career_level": "3"}) == ["Aspire", "Inspire OD"]
    assert titles({"career_level": "4"}) == ["London Strategic HR and OD network"]
    assert titles({"career_level": "1"}) == []


def test_filter_by_functional_area(catalogue):
    # The network names no functional areas, so it is for every area and always matches.
    network = "London Strategic HR and OD network"
    assert titles({"functional_area": "organisational-development"}) == [
        "Aspire",
        "Inspire OD",
        network,
    ]
    assert titles({"functional_area": "hr-business-partnering"}) == ["Aspire", network]


def test_filter_by_delivery_mode(catalogue):
    assert titles({"delivery_mode": "online"}) == ["London Strategic HR and OD network"]


def test_search_over_modules(catalogue):
    assert titles({"q": "workforce strategies"}) == ["Aspire"]
    assert titles({"q": "inspire"}) == ["Inspire OD"]


def test_filters_combine_without_duplicates(catalogue):
    assert titles(
        {
            "kind": "multi_module",
            "career_level": "3",
            "functional_area": "organisational-development",
            "provider": "west-midlands-employers",
            "delivery_mode": "blended",
            "q": "Aspire",
        }
    ) == ["Aspire"]
    assert titles({"kind": "workshop", "career_level": "4"}) == []


def test_unknown_choice_is_a_form_error(catalogue):
    filterset = ProgrammeFilter({"kind": "circus"}, queryset=programme_catalogue())
    assert not filterset.is_valid()
    assert "kind" in filterset.errors


def test_open_now_lists_programmes_with_an_event_taking_bookings(catalogue):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event
    from tests.events.factories import EventFactory

    EventFactory(programme=catalogue["inspire"])  # booking open now
    EventFactory(programme=catalogue["inspire"])  # a second one must not duplicate it
    EventFactory(programme=catalogue["network"], status=Event.Status.DRAFT)
    EventFactory(
        programme=catalogue["aspire"],
        booking_opens_at=timezone.now() + timedelta(days=2),  # not open yet
    )
    assert titles({"open_now": "on"}) == ["Inspire OD"]
    # Unticked, the box filters nothing out.
    assert len(titles({})) == 3


def test_programme_page_lists_its_upcoming_published_events(client, catalogue):
    from events.models import Event
    from tests.events.factories import EventFactory

    EventFactory(programme=catalogue["inspire"], title="OD toolkit day", capacity=5)
    EventFactory(programme=catalogue["inspire"], title="Secret draft", status=Event.Status.DRAFT)
    html = client.get(catalogue["inspire"].get_absolute_url()).content.decode()
    assert "OD toolkit day" in html
    assert "5 places left" in html
    assert "Secret draft" not in html


def test_open_now_includes_programmes_with_a_cohort_open_for_applications(catalogue):
    from cohorts.models import Cohort
    from tests.cohorts.factories import CohortFactory

    CohortFactory(version__programme=catalogue["aspire"])  # applications open now
    CohortFactory(version__programme=catalogue["network"], status=Cohort.Status.PLANNED)
    assert titles({"open_now": "on"}) == ["Aspire"]


def test_programme_page_lists_upcoming_cohorts_of_every_provider(client, catalogue):
    from cohorts.models import Cohort
    from tests.cohorts.factories import CohortFactory, EndedCohortFactory
    from tests.factories import ProviderFactory
    from tests.programmes.factories import ProgrammeVersionFactory

    version = ProgrammeVersionFactory(programme=catalogue["aspire"], name="Aspire 2.0")
    CohortFactory(version=version, name="Aspire 2.0 — West Midlands, spring 2027")
    CohortFactory(
        version=version,
        provider=ProviderFactory(name="North West Employers"),
        name="Aspire 2.0 — North West, spring 2027",
    )
    CohortFactory(version=version, name="Planned, not announced", status=Cohort.Status.PLANNED)
    EndedCohortFactory(version=version, name="Aspire 2.0 — 2025")
    html = client.get(catalogue["aspire"].get_absolute_url()).content.decode()
    assert "Aspire 2.0 — West Midlands, spring 2027" in html
    assert "Aspire 2.0 — North West, spring 2027" in html
    assert "Planned, not announced" not in html
    assert "Aspire 2.0 — 2025" not in html


# An empty audience is for everyone: the programme page says "All career levels" and
# "All functional areas", so filtering by one level or area must find it.
@pytest.fixture
def open_to_all(catalogue):
    """A programme with no career levels and no functional areas chosen."""
    programme = ProgrammeFactory(title="Open to all", owner=catalogue["aspire"].owner)
    version = ProgrammeVersionFactory(programme=programme)
    ModuleFactory(version=version, title="Workforce strategies for everyone")
    return programme


def test_programme_for_every_career_level_matches_each_level(open_to_all):
    assert titles({"career_level": "1"}) == ["Open to all"]
    assert titles({"career_level": "3"}) == ["Aspire", "Inspire OD", "Open to all"]
    assert titles({"career_level": "4"}) == ["London Strategic HR and OD network", "Open to all"]


def test_programme_for_every_functional_area_matches_each_area(open_to_all):
    # The network has levels but no functional areas: it is for every area too.
    assert titles({"functional_area": "hr-business-partnering"}) == [
        "Aspire",
        "London Strategic HR and OD network",
        "Open to all",
    ]
    FunctionalAreaFactory(name="Medical Staffing", slug="medical-staffing")
    assert titles({"functional_area": "medical-staffing"}) == [
        "London Strategic HR and OD network",
        "Open to all",
    ]


def test_a_chosen_audience_still_excludes_other_levels_and_areas(open_to_all, catalogue):
    """Only an empty audience is for everyone: levels 2 and 3 do not make level 4."""
    assert "Aspire" not in titles({"career_level": "4"})
    assert "Inspire OD" not in titles({"functional_area": "hr-business-partnering"})
    # Emptying Inspire OD's levels makes it a programme for every level.
    catalogue["inspire"].audience_levels.all().delete()
    assert "Inspire OD" in titles({"career_level": "1"})


def test_empty_audience_combines_with_search_without_duplicates(open_to_all, catalogue):
    """Through this database's search path (full text on PostgreSQL, plain elsewhere):
    the audience is an ``Exists`` subquery, so matching levels never repeat a row."""
    ProgrammeCareerLevelFactory(programme=catalogue["aspire"], level=4)
    data = {"q": "workforce", "career_level": "3", "functional_area": "organisational-development"}
    assert sorted(titles(data)) == ["Aspire", "Open to all"]
    data = {"q": "workforce", "career_level": "4", "functional_area": "hr-business-partnering"}
    assert sorted(titles(data)) == ["Aspire", "Open to all"]


@pytest.mark.postgres
def test_empty_audience_with_full_text_search_on_postgresql(open_to_all):
    # Stemming ("strategy" finds "strategies") is PostgreSQL's full-text path only.
    data = {"q": "strategy", "career_level": "1", "functional_area": "hr-business-partnering"}
    assert titles(data) == ["Open to all"]
    data = {"q": "strategy", "career_level": "2", "functional_area": "hr-business-partnering"}
    assert sorted(titles(data)) == ["Aspire", "Open to all"]


# A provider is the owner or a current franchisee: East Midlands Councils run Aspire cohorts.
@pytest.fixture
def franchisees(catalogue):
    import datetime

    from tests.programmes.factories import FranchiseFactory

    emc = ProviderFactory(name="East Midlands Councils")
    FranchiseFactory(
        programme=catalogue["aspire"], franchisee=emc, starts_on=datetime.date(2016, 4, 1)
    )
    former = ProviderFactory(name="North West Employers")
    FranchiseFactory(
        programme=catalogue["inspire"],
        franchisee=former,
        starts_on=datetime.date(2016, 4, 1),
        ends_on=datetime.date(2020, 3, 31),
    )
    future = ProviderFactory(name="South West Councils")
    FranchiseFactory(
        programme=catalogue["inspire"], franchisee=future, starts_on=datetime.date(2099, 1, 1)
    )
    draft_only = ProviderFactory(name="Yorkshire and Humber Employers")
    FranchiseFactory(
        programme=ProgrammeFactory(title="Draft", status=Programme.Status.DRAFT),
        franchisee=draft_only,
    )
    return {"emc": emc, "former": former, "future": future, "draft_only": draft_only}


def test_filter_by_franchisee_finds_the_programmes_it_runs(franchisees):
    assert titles({"provider": "east-midlands-councils"}) == ["Aspire"]
    # The owner still finds all of its programmes, franchised or not.
    assert titles({"provider": "west-midlands-employers"}) == ["Aspire", "Inspire OD"]


def test_provider_choices_include_current_franchisees_of_published_programmes(franchisees):
    field = ProgrammeFilter({}, queryset=programme_catalogue()).form.fields["provider"]
    assert [o.name for o in field.queryset] == [
        "East Midlands Councils",
        "HPMA London Academy",
        "West Midlands Employers",
    ]


@pytest.mark.parametrize("slug", ["north-west-employers", "south-west-councils"])
def test_former_and_future_franchisees_are_not_choices(franchisees, slug):
    """A franchise that has ended or not yet started is not running anything now."""
    filterset = ProgrammeFilter({"provider": slug}, queryset=programme_catalogue())
    assert not filterset.is_valid()
    assert "provider" in filterset.errors


def test_franchisee_becomes_a_choice_on_the_day_its_franchise_starts(franchisees):
    import time_machine

    with time_machine.travel("2099-01-01 09:00 +0000"):
        assert titles({"provider": "south-west-councils"}) == ["Inspire OD"]
