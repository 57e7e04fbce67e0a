"""Subsidised places: enrolling on a subsidised cohort uses a place of the scheme's
national cap, across every cohort and provider; the cap is never exceeded."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts import services
from cohorts.exceptions import CohortError, SubsidyCapReached
from cohorts.models import Application, Participant
from programmes.models import SubsidyAllocation
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    OfferedApplicationFactory,
    WaitingApplicationFactory,
)
from tests.helpers import raises_code
from tests.programmes.factories import SubsidyAllocationFactory, SubsidySchemeFactory

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


def test_the_cap_spans_cohorts_and_providers_and_refuses_clearly(
    cohort, scheme, other_provider, capture
):
    """Offers made outside the engine (here by the factory) can outnumber the scheme's
    places; the one refused at the cap is withdrawn so it stops holding a cohort place:
    the applicant is back on the waiting list, told once, and the place passes on."""
    franchise = CohortFactory(
        version=cohort.version, provider=other_provider, subsidy_scheme=scheme
    )
    cohort.subsidy_scheme = scheme
    cohort.save()
    first, second = (OfferedApplicationFactory(cohort=c) for c in (cohort, franchise))
    third = OfferedApplicationFactory(cohort=franchise)
    for application in (first, second):
        services.offer_accept(application=application, user=application.applicant)
    with raises_code(
        SubsidyCapReached, "subsidy_cap_reached", match="all 2 places of LGA Inspire OD places"
    ):
        capture(services.offer_accept, application=third, user=third.applicant)
    third.refresh_from_db()
    assert third.status == "waiting"  # the offer no longer blocks a cohort place
    assert third.waiting_since == third.offered_at  # joined the list as of the offer
    assert franchise.places_taken() == 1
    assert Participant.objects.count() == 2
    assert SubsidyAllocation.objects.count() == 2
    assert [m.subject for m in mail.outbox] == [
        f"[TalentHub] We could not confirm your subsidised place on {franchise.name}"
    ]
    # Trying again is a plain refusal: there is no open offer any more.
    with raises_code(CohortError, "offer_not_open"):
        services.offer_accept(application=third, user=third.applicant)


def test_offers_respect_the_schemes_places_left_counting_open_offers(
    cohort, scheme, other_provider, manager, capture
):
    """Cap 2: one place used elsewhere, one offer open on the franchisee's cohort — so
    sending decisions on this cohort offers nobody: the offer decisions wait."""
    cohort.subsidy_scheme = scheme
    cohort.capacity = 5
    cohort.save()
    franchise = CohortFactory(
        version=cohort.version, provider=other_provider, subsidy_scheme=scheme
    )
    SubsidyAllocationFactory(scheme=scheme, programme=cohort.programme)
    OfferedApplicationFactory(cohort=franchise)
    applications = [ApplicationFactory(cohort=cohort) for _ in range(2)]
    for application in applications:
        services.application_record_decision(
            application=application, actor=manager, decision="offer", reason="Strong"
        )
    counts = capture(services.decisions_send, cohort=cohort, actor=manager)
    assert counts == {"offered": 0, "waiting": 2, "declined": 0}
    assert {Application.objects.get(pk=a.pk).status for a in applications} == {"waiting"}
    assert cohort.places_left() == 5  # cohort places are free; the scheme's are not


def test_a_freed_scheme_place_is_offered_on_the_schemes_other_cohorts(
    cohort, scheme, other_provider, capture
):
    """Declining a subsidised offer on a cohort with nobody waiting frees a scheme place
    that the franchisee's waiting list gets (its promotion task, after commit)."""
    cohort.subsidy_scheme = scheme
    cohort.save()
    franchise = CohortFactory(
        version=cohort.version, provider=other_provider, subsidy_scheme=scheme
    )
    offers = [OfferedApplicationFactory(cohort=cohort) for _ in range(2)]  # the cap: 2
    waiting = WaitingApplicationFactory(cohort=franchise)
    assert services.cohort_fill_places(cohort=franchise) == []  # no scheme place left
    capture(services.offer_decline, application=offers[0], user=offers[0].applicant)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert OutboundEmail.objects.filter(key=f"cohort.offered:{waiting.pk}:1").exists()


def test_promotion_within_a_cohort_stops_at_the_schemes_cap(cohort, scheme):
    cohort.subsidy_scheme = scheme
    cohort.capacity = 10
    cohort.save()
    queue = [WaitingApplicationFactory(cohort=cohort) for _ in range(4)]
    promoted = services.cohort_fill_places(cohort=cohort)
    assert [a.pk for a in promoted] == [a.pk for a in queue[:2]]
    assert Application.objects.filter(status="offered").count() == 2


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
