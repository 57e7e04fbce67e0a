import datetime

import pytest

from programmes import services
from programmes.exceptions import ProgrammeError
from programmes.models import SubsidyAllocation
from talenthub.core.models import AuditLog
from tests.factories import FunctionalAreaFactory, MemberFactory, ProviderFactory
from tests.helpers import raises_code
from tests.programmes.factories import (
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidyAllocationFactory,
    SubsidySchemeFactory,
)

pytestmark = pytest.mark.django_db


def test_set_audience_replaces_levels_sectors_and_areas():
    programme = ProgrammeFactory()
    area = FunctionalAreaFactory(name="Organisational Development")
    services.programme_set_audience(
        programme=programme,
        career_levels=[3, 2, 3],
        sectors=["police", "local_government"],
        functional_areas=[area],
    )
    assert programme.career_level_values() == [2, 3]
    assert programme.sector_values() == ["local_government", "police"]
    assert list(programme.functional_areas.all()) == [area]
    # Running again with a different audience replaces it, without duplicates.
    services.programme_set_audience(programme=programme, career_levels=[4], sectors=[])
    assert programme.career_level_values() == [4]
    assert programme.sector_values() == []
    assert list(programme.functional_areas.all()) == [area]


def test_set_audience_rejects_unknown_values_and_changes_nothing():
    programme = ProgrammeFactory()
    services.programme_set_audience(programme=programme, career_levels=[1], sectors=[])
    with raises_code(ProgrammeError, "unknown_career_level") as error:
        services.programme_set_audience(programme=programme, career_levels=[7], sectors=[])
    # On the field, naming the value (what the form shows next to it).
    assert error.value.field_errors == {"career_levels": ["Career levels run from 1 to 4, not 7."]}
    with raises_code(ProgrammeError, "unknown_sector", match="space"):
        services.programme_set_audience(programme=programme, career_levels=[2], sectors=["space"])
    assert programme.career_level_values() == [1]


def test_version_set_modules_rejects_duplicate_orders_with_a_clear_message():
    version = ProgrammeVersionFactory()
    ModuleFactory(version=version, order=1, title="Kept")
    with raises_code(ProgrammeError, "duplicate_module_order") as error:
        services.version_set_modules(
            version=version,
            modules=[
                {"order": 1, "title": "A"},
                {"order": 2, "title": "B"},
                {"order": 1, "title": "C"},
            ],
        )
    assert error.value.message == (
        "Each module of a version needs its own order number: 1 is used more than once."
    )
    assert [m.title for m in version.modules.all()] == ["Kept"]


def test_version_set_modules_replaces_modules_in_order():
    version = ProgrammeVersionFactory()
    ModuleFactory(version=version, order=1, title="Old")
    services.version_set_modules(
        version=version,
        modules=[{"order": 2, "title": "Second"}, {"order": 1, "title": "First"}],
    )
    assert [m.title for m in version.modules.all()] == ["First", "Second"]


def test_franchise_grant_validates_and_audits(admin_user):
    programme = ProgrammeFactory()
    franchisee = ProviderFactory(name="East Midlands Councils")
    franchise = services.franchise_grant(
        programme=programme,
        franchisee=franchisee,
        starts_on=datetime.date(2016, 4, 1),
        actor=admin_user,
    )
    assert franchise.pk
    assert AuditLog.objects.filter(action="programmes.franchise_granted").count() == 1
    with raises_code(ProgrammeError, "franchise_overlap"):
        services.franchise_grant(
            programme=programme, franchisee=franchisee, starts_on=datetime.date(2017, 1, 1)
        )
    with raises_code(ProgrammeError, "owner_as_franchisee"):
        services.franchise_grant(
            programme=programme, franchisee=programme.owner, starts_on=datetime.date(2017, 1, 1)
        )


def test_franchise_end():
    franchise = services.franchise_grant(
        programme=ProgrammeFactory(),
        franchisee=ProviderFactory(),
        starts_on=datetime.date(2016, 4, 1),
    )
    services.franchise_end(franchise=franchise, ends_on=datetime.date(2020, 3, 31))
    franchise.refresh_from_db()
    assert franchise.ends_on == datetime.date(2020, 3, 31)
    with raises_code(ProgrammeError, "franchise_ends_after_start"):
        services.franchise_end(franchise=franchise, ends_on=datetime.date(2015, 1, 1))


def test_allocate_uses_places_until_the_cap():
    programme = ProgrammeFactory(title="Inspire OD")
    scheme = SubsidySchemeFactory(total_places=2, programmes=[programme])
    first, second, third = MemberFactory.create_batch(3)
    services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=first)
    services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=second)
    assert scheme.places_used() == 2
    with raises_code(ProgrammeError, "subsidy_cap_reached", match="All 2 places"):
        services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=third)
    assert SubsidyAllocation.objects.count() == 2


def test_allocate_only_on_the_schemes_programmes_and_once_per_person():
    programme = ProgrammeFactory(title="Inspire OD")
    scheme = SubsidySchemeFactory(programmes=[programme])
    member = MemberFactory()
    with raises_code(ProgrammeError, "scheme_not_for_programme", match="on Aspire"):
        services.subsidy_place_allocate(
            scheme=scheme, programme=ProgrammeFactory(title="Aspire"), recipient=member
        )
    services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=member)
    with raises_code(ProgrammeError, "already_subsidised"):
        services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=member)


def test_release_frees_the_place():
    programme = ProgrammeFactory()
    scheme = SubsidySchemeFactory(total_places=1, programmes=[programme])
    allocation = services.subsidy_place_allocate(
        scheme=scheme, programme=programme, recipient=MemberFactory()
    )
    assert scheme.places_left() == 0
    services.subsidy_place_release(allocation=allocation, reason="Withdrew before the start")
    assert scheme.places_left() == 1
    assert AuditLog.objects.filter(action="programmes.subsidised_place_released").exists()


def test_set_cap_below_places_used_is_refused_with_a_clear_message():
    scheme = SubsidySchemeFactory(total_places=100)
    SubsidyAllocationFactory.create_batch(4, scheme=scheme)
    with raises_code(ProgrammeError, "cap_below_used") as error:
        services.subsidy_scheme_set_cap(scheme=scheme, total_places=3)
    assert error.value.field_errors == {
        "total_places": ["The cap cannot be set below the 4 places already used."]
    }
    scheme.refresh_from_db()
    assert scheme.total_places == 100
    services.subsidy_scheme_set_cap(scheme=scheme, total_places=4)
    scheme.refresh_from_db()
    assert scheme.total_places == 4
    assert AuditLog.objects.get(action="programmes.subsidy_cap_changed").data == {
        "from": 100,
        "to": 4,
    }
