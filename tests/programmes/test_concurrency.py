"""The subsidy cap holds when many enrolments allocate places at once (PostgreSQL)."""

import pytest

from programmes import services
from programmes.exceptions import ProgrammeError
from programmes.models import SubsidyAllocation
from tests import concurrency
from tests.concurrency import run_at_once
from tests.factories import MemberFactory
from tests.programmes.factories import ProgrammeFactory, SubsidySchemeFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_exceed_the_cap():
    programme = ProgrammeFactory(title="Inspire OD")
    scheme = SubsidySchemeFactory(total_places=3, programmes=[programme])
    members = MemberFactory.create_batch(8)
    outcomes = concurrency.outcomes(
        [
            lambda member=member: services.subsidy_place_allocate(
                scheme=scheme, programme=programme, recipient=member
            )
            for member in members
        ],
        refused=ProgrammeError,
        done="allocated",
    )
    assert sorted(outcomes) == ["allocated"] * 3 + ["refused"] * 5
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cap_change_and_allocations_at_once_keep_cap_at_least_places_used():

    programme = ProgrammeFactory()
    scheme = SubsidySchemeFactory(total_places=10, programmes=[programme])
    members = MemberFactory.create_batch(6)
    _, errors = run_at_once(
        [
            lambda member=member: services.subsidy_place_allocate(
                scheme=scheme, programme=programme, recipient=member
            )
            for member in members
        ]
        + [lambda: services.subsidy_scheme_set_cap(scheme=scheme, total_places=4)]
    )
    # Refusals are outcomes (no place left, or a cap below the places already used).
    assert all(isinstance(error, ProgrammeError) for error in errors), errors

    scheme.refresh_from_db()
    assert scheme.allocations.count() <= scheme.total_places
