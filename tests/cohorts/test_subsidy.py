"""Subsidised places: enrolling on a subsidised cohort uses a place of the scheme's
national cap, across every cohort and provider; the cap is never exceeded."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Participant
from programmes.models import SubsidyAllocation
from tests.cohorts.factories import CohortFactory, OfferedApplicationFactory
from tests.programmes.factories import SubsidySchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(cohort):
    return SubsidySchemeFactory(
        name="LGA Inspire OD places", total_places=2, programmes=[cohort.programme]
    )


def test_enrolling_on_a_subsidised_cohort_uses_a_place(cohort, scheme):
    cohort.subsidy_scheme = scheme
    cohort.save()
    application = OfferedApplicationFactory(cohort=cohort)
    participant = services.offer_accept(application=application, user=application.applicant)
    allocation = participant.subsidy_allocation
    assert allocation.scheme == scheme
    assert allocation.recipient == application.applicant
    assert allocation.description == cohort.name
    assert scheme.places_left() == 1


def test_the_cap_spans_cohorts_and_providers_and_refuses_clearly(cohort, scheme, other_provider):
    franchise = CohortFactory(
        version=cohort.version, provider=other_provider, subsidy_scheme=scheme
    )
    cohort.subsidy_scheme = scheme
    cohort.save()
    first, second = (OfferedApplicationFactory(cohort=c) for c in (cohort, franchise))
    third = OfferedApplicationFactory(cohort=franchise)
    for application in (first, second):
        services.offer_accept(application=application, user=application.applicant)
    with pytest.raises(CohortError, match="All 2 places of LGA Inspire OD places have been used"):
        services.offer_accept(application=third, user=third.applicant)
    third.refresh_from_db()
    assert third.status == "offered"  # nothing changed
    assert Participant.objects.count() == 2
    assert SubsidyAllocation.objects.count() == 2


def test_an_unsubsidised_cohort_uses_no_place(cohort, scheme):
    application = OfferedApplicationFactory(cohort=cohort)
    participant = services.offer_accept(application=application, user=application.applicant)
    assert participant.subsidy_allocation is None
    assert scheme.places_left() == 2


def test_the_scheme_must_fund_the_cohorts_programme(cohort):
    cohort.subsidy_scheme = SubsidySchemeFactory()
    with pytest.raises(ValidationError, match="does not fund places on this programme"):
        cohort.full_clean()


def test_withdrawing_before_the_start_gives_the_place_back(cohort, scheme, manager):
    cohort.subsidy_scheme = scheme
    cohort.save()
    application = OfferedApplicationFactory(cohort=cohort)
    participant = services.offer_accept(application=application, user=application.applicant)
    services.participant_withdraw(participant=participant, actor=manager, reason="New job")
    assert scheme.places_left() == 2
    assert Participant.objects.get().subsidy_allocation is None


def test_withdrawing_after_the_start_keeps_the_place_used(cohort, scheme, manager):
    import time_machine

    cohort.subsidy_scheme = scheme
    cohort.save()
    application = OfferedApplicationFactory(cohort=cohort)
    participant = services.offer_accept(application=application, user=application.applicant)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=90)):
        services.participant_withdraw(participant=participant, actor=manager, reason="Ill")
    assert scheme.places_left() == 1


def test_managers_see_places_left_per_scheme(client, manager, cohort, scheme):
    from django.urls import reverse

    cohort.subsidy_scheme = scheme
    cohort.save()
    application = OfferedApplicationFactory(cohort=cohort)
    services.offer_accept(application=application, user=application.applicant)
    client.force_login(manager)
    html = client.get(reverse("cohorts:manage")).content.decode()
    assert "LGA Inspire OD places" in html
    assert "1 of 2 places left" in html
