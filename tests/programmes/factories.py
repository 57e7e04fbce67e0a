"""Factories for the programme records beyond those in tests/factories.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from programmes.models import (
    Franchise,
    ProgrammeCareerLevel,
    ProgrammeSector,
    SubsidyAllocation,
    SubsidyScheme,
)
from talenthub.core.choices import CareerLevel, Sector
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProviderFactory,
)


class ProgrammeCareerLevelFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeCareerLevel

    programme = factory.SubFactory(ProgrammeFactory)
    level = CareerLevel.LEVEL_3


class ProgrammeSectorFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeSector

    programme = factory.SubFactory(ProgrammeFactory)
    sector = Sector.LOCAL_GOVERNMENT


class FranchiseFactory(DjangoModelFactory):
    class Meta:
        model = Franchise

    programme = factory.SubFactory(ProgrammeFactory)
    franchisee = factory.SubFactory(ProviderFactory)
    starts_on = datetime.date(2016, 4, 1)
    ends_on = None


class SubsidySchemeFactory(DjangoModelFactory):
    class Meta:
        model = SubsidyScheme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Subsidy scheme {n}")
    funder = factory.SubFactory(OrganisationFactory, name="Local Government Association")
    total_places = 100

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        if create and extracted:
            self.programmes.set(extracted)


class SubsidyAllocationFactory(DjangoModelFactory):
    """Bypasses the service (no cap check): for setting up places already used."""

    class Meta:
        model = SubsidyAllocation

    scheme = factory.SubFactory(SubsidySchemeFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    recipient = factory.SubFactory(MemberFactory)
