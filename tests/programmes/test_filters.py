"""Each catalogue filter, alone and combined, through the FilterSet."""

import pytest

from programmes.filters import ProgrammeFilter
from programmes.models import Programme
from programmes.selectors import programme_catalogue
from tests.factories import (
    FunctionalAreaFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    ProviderFactory,
)
from tests.programmes.factories import ProgrammeCareerLevelFactory

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
    assert titles({"functional_area": "organisational-development"}) == ["Aspire", "Inspire OD"]
    assert titles({"functional_area": "hr-business-partnering"}) == ["Aspire"]


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
    from tests.factories import ProgrammeVersionFactory, ProviderFactory

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
