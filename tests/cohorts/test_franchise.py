"""Franchise: a provider runs cohorts of programmes it owns or holds a franchise of
(``programmes.selectors.programmes_runnable_by``); the owner sees its franchisees'
cohorts, a franchisee only its own."""

import datetime

import pytest
from django.urls import reverse

from cohorts import services
from cohorts.exceptions import CohortError
from tests.cohorts.factories import CohortFactory
from tests.helpers import raises_code
from tests.programmes.factories import FranchiseFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db


def test_only_owners_and_franchisees_can_run_a_cohort(cohort, other_provider, manager):
    new = CohortFactory.build(version=cohort.version, provider=other_provider, slug="new")
    with raises_code(CohortError, "provider_not_entitled"):
        services.cohort_save(cohort=new, actor=manager)
    FranchiseFactory(
        programme=cohort.programme, franchisee=other_provider, starts_on=datetime.date(2016, 4, 1)
    )
    services.cohort_save(cohort=new, actor=manager)
    assert new.pk


def test_the_franchise_must_cover_the_start_date(cohort, other_provider, manager):
    FranchiseFactory(
        programme=cohort.programme,
        franchisee=other_provider,
        starts_on=datetime.date(2016, 4, 1),
        ends_on=datetime.date(2018, 3, 31),
    )
    new = CohortFactory.build(version=cohort.version, provider=other_provider, slug="late")
    with raises_code(CohortError, "provider_not_entitled"):
        services.cohort_save(cohort=new, actor=manager)


def test_franchisee_chooses_among_versions_it_may_run(client, cohort, other_manager):
    other_programme_version = ProgrammeVersionFactory()
    client.force_login(other_manager)
    versions = (
        client.get(reverse("admin:cohorts_cohort_add"))
        .context["adminform"]
        .form.fields["version"]
        .queryset
    )
    assert cohort.version not in versions
    FranchiseFactory(programme=cohort.programme, franchisee=other_manager.profile.organisation)
    versions = (
        client.get(reverse("admin:cohorts_cohort_add"))
        .context["adminform"]
        .form.fields["version"]
        .queryset
    )
    assert cohort.version in versions
    assert other_programme_version not in versions
