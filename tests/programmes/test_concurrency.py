"""The subsidy cap holds when many enrolments allocate places at once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from programmes import services
from programmes.exceptions import ProgrammeError
from programmes.models import SubsidyAllocation
from tests.factories import MemberFactory, ProgrammeFactory
from tests.programmes.factories import SubsidySchemeFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_exceed_the_cap():
    programme = ProgrammeFactory(title="Inspire OD")
    scheme = SubsidySchemeFactory(total_places=3, programmes=[programme])
    members = MemberFactory.create_batch(8)
    barrier = threading.Barrier(len(members))
    outcomes = []

    def allocate(member):
        try:
            barrier.wait()
            services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=member)
            outcomes.append("allocated")
        except ProgrammeError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["allocated"] * 3 + ["refused"] * 5
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cap_change_and_allocations_at_once_keep_cap_at_least_places_used():

    programme = ProgrammeFactory()
    scheme = SubsidySchemeFactory(total_places=10, programmes=[programme])
    members = MemberFactory.create_batch(6)
    barrier = threading.Barrier(len(members) + 1)

    def allocate(member):
        try:
            barrier.wait()
            services.subsidy_place_allocate(scheme=scheme, programme=programme, recipient=member)
        except ProgrammeError:
            pass
        finally:
            connection.close()

    def lower_cap():
        try:
            barrier.wait()
            services.subsidy_scheme_set_cap(scheme=scheme, total_places=4)
        except ProgrammeError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(m,)) for m in members]
    threads.append(threading.Thread(target=lower_cap))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    scheme.refresh_from_db()
    assert scheme.allocations.count() <= scheme.total_places
