"""Factories for the core and programme records. Apps add theirs in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from talenthub.core.choices import CareerLevel, Region, Sector
from talenthub.core.models import (
    AuditLog,
    FunctionalArea,
    Organisation,
    OutboundEmail,
    Profile,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.LOCAL_GOVERNMENT
    region = Region.EAST_MIDLANDS


class ProviderFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Regional Employers {n}")
    sector = Sector.OTHER
    region = Region.WEST_MIDLANDS
    is_provider = True


class FunctionalAreaFactory(DjangoModelFactory):
    class Meta:
        model = FunctionalArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Functional area {n}")
    slug = factory.Sequence(lambda n: f"functional-area-{n}")
    order = factory.Sequence(int)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Members sign in with a verified address (allauth's mandatory verification)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "HR Adviser"
    career_level = CareerLevel.LEVEL_2
    region = Region.EAST_MIDLANDS
    # A test member has opted in to every kind of email (a new profile has not: PECR).
    email_event_announcements = True
    email_programme_announcements = True
    email_bulletins = True


class MemberFactory(UserFactory):
    """A signed-up, verified member with a profile."""

    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")


class ManagerFactory(MemberFactory):
    """Staff of a provider organisation, in the Programme managers group."""

    is_staff = True
    profile = factory.RelatedFactory(
        ProfileFactory,
        factory_related_name="user",
        organisation=factory.SubFactory(ProviderFactory),
        job_title="Programme manager",
        career_level=CareerLevel.LEVEL_4,
    )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="Programme managers")[0])


class AuditLogFactory(DjangoModelFactory):
    class Meta:
        model = AuditLog

    actor = factory.SubFactory(UserFactory)
    action = "changed"
    object_type = "core.organisation"
    object_id = "1"


class OutboundEmailFactory(DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    key = factory.Sequence(lambda n: f"test:{n}")
    to = factory.Sequence(lambda n: f"recipient{n}@example.com")
    subject = "Hello"
    body_text = "Hello there."
