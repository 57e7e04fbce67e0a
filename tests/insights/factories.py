"""Factories for equality monitoring records and an analyst."""

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from factory.django import DjangoModelFactory

from insights.models import CONSENT_VERSION, MonitoringRecord
from tests.factories import MemberFactory


class MonitoringRecordFactory(DjangoModelFactory):
    class Meta:
        model = MonitoringRecord
        django_get_or_create = ("user",)

    user = factory.SubFactory(MemberFactory)
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_version = CONSENT_VERSION
    ethnicity = "white_british"
    sex = "female"
    gender_identity = "yes"
    sexual_orientation = "straight"
    disability = "no"
    religion = "christian"
    age_band = "35_44"
    caring_responsibilities = "none"


def analyst_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Insights analysts")
    group.permissions.add(Permission.objects.get(codename="view_equality_insights"))
    return group


class AnalystFactory(MemberFactory):
    """A member with the explicit analyst permission (through the analysts' group)."""

    @factory.post_generation
    def analyst(self, create, extracted, **kwargs):
        if create:
            self.groups.add(analyst_group())
