"""Factories for the programme catalogue's records: every programme factory is here."""

import datetime

import factory
from factory.django import DjangoModelFactory

from programmes.models import (
    Franchise,
    Module,
    Programme,
    ProgrammeAlert,
    ProgrammeCareerLevel,
    ProgrammeSector,
    ProgrammeVersion,
    ProviderUpdates,
    SubsidyAllocation,
    SubsidyScheme,
)
from talenthub.core.choices import CareerLevel, Sector
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ProviderFactory,
)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = Programme.Kind.MULTI_MODULE
    owner = factory.SubFactory(ProviderFactory)
    summary = "A development programme for HR and OD professionals."
    status = Programme.Status.PUBLISHED


class ProgrammeVersionFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeVersion

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Version {n}")
    launched_on = datetime.date(2014, 9, 1)


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    version = factory.SubFactory(ProgrammeVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n}")


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


class ProgrammeAlertFactory(DjangoModelFactory):
    """A member's live "tell me when it next opens"."""

    class Meta:
        model = ProgrammeAlert

    programme = factory.SubFactory(ProgrammeFactory)
    member = factory.SubFactory(MemberFactory)


class ProviderUpdatesFactory(DjangoModelFactory):
    class Meta:
        model = ProviderUpdates

    provider = factory.SubFactory(ProviderFactory)
    member = factory.SubFactory(MemberFactory)
