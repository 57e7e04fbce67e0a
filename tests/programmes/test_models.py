import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Franchise, Module, ProgrammeCareerLevel, SubsidyScheme
from tests.factories import ProviderFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ModuleFactory,
    ProgrammeCareerLevelFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidyAllocationFactory,
    SubsidySchemeFactory,
)

pytestmark = pytest.mark.django_db


def test_module_order_must_be_unique_within_a_version_with_a_clear_message():
    version = ProgrammeVersionFactory()
    ModuleFactory(version=version, order=1)
    duplicate = Module(version=version, order=1, title="Another module")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has this order number" in str(error.value)
    # The same order in another version is fine.
    Module(version=ProgrammeVersionFactory(), order=1, title="First").full_clean()


def test_module_order_is_unique_in_the_database_too():
    version = ProgrammeVersionFactory()
    ModuleFactory(version=version, order=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Module.objects.create(version=version, order=2, title="Clash")


def test_learning_outcomes_are_one_a_line():
    module = ModuleFactory(learning_outcomes="Plan a change\n\n  Lead it  \n")
    assert module.learning_outcome_list() == ["Plan a change", "Lead it"]


def test_career_level_is_between_one_and_four_in_the_database():
    programme = ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCareerLevel.objects.create(programme=programme, level=5)


def test_career_level_labels_in_order():
    programme = ProgrammeFactory()
    ProgrammeCareerLevelFactory(programme=programme, level=4)
    ProgrammeCareerLevelFactory(programme=programme, level=2)
    assert programme.career_level_values() == [2, 4]
    assert programme.career_level_labels()[0].startswith("Level 2")


def test_franchise_cannot_end_before_it_starts():
    franchise = FranchiseFactory.build(
        programme=ProgrammeFactory(),
        franchisee=ProviderFactory(),
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        franchise.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        franchise.save()


def test_owner_cannot_hold_a_franchise_of_its_own_programme():
    programme = ProgrammeFactory()
    franchise = Franchise(
        programme=programme, franchisee=programme.owner, starts_on=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="owner of a programme cannot hold a franchise"):
        franchise.full_clean()


def test_franchise_periods_of_one_provider_cannot_overlap():
    first = FranchiseFactory(
        starts_on=datetime.date(2016, 1, 1), ends_on=datetime.date(2018, 12, 31)
    )
    overlapping = Franchise(
        programme=first.programme, franchisee=first.franchisee, starts_on=datetime.date(2018, 6, 1)
    )
    with pytest.raises(ValidationError, match="for part of this period"):
        overlapping.full_clean()
    later = Franchise(
        programme=first.programme, franchisee=first.franchisee, starts_on=datetime.date(2019, 1, 1)
    )
    later.full_clean()


def test_current_franchises():
    today = datetime.date(2024, 6, 1)
    current = FranchiseFactory(starts_on=datetime.date(2016, 1, 1))
    ended = FranchiseFactory(starts_on=datetime.date(2016, 1, 1), ends_on=datetime.date(2020, 1, 1))
    future = FranchiseFactory(starts_on=datetime.date(2025, 1, 1))
    assert list(Franchise.objects.current(today)) == [current]
    assert current.is_current(today)
    assert not ended.is_current(today)
    assert not future.is_current(today)


def test_places_used_is_derived_from_allocations():
    scheme = SubsidySchemeFactory(total_places=3)
    assert scheme.places_used() == 0
    SubsidyAllocationFactory.create_batch(2, scheme=scheme)
    assert scheme.places_used() == 2
    assert scheme.places_left() == 1
    annotated = SubsidyScheme.objects.with_places_used().get(pk=scheme.pk)
    assert annotated.places_used_count == 2
    assert annotated.places_left() == 1


def test_cap_cannot_be_set_below_places_already_used():
    scheme = SubsidySchemeFactory(total_places=5)
    SubsidyAllocationFactory.create_batch(3, scheme=scheme)
    scheme.total_places = 2
    with pytest.raises(ValidationError) as error:
        scheme.full_clean()
    assert error.value.message_dict["total_places"] == [
        "The cap cannot be set below the 3 places already used."
    ]
    scheme.total_places = 3
    scheme.full_clean()


def test_a_scheme_needs_at_least_one_place():
    scheme = SubsidySchemeFactory.build(funder=ProviderFactory(), total_places=0)
    with pytest.raises(ValidationError, match="at least one place"):
        scheme.full_clean()
