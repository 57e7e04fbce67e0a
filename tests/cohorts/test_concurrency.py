"""Places under concurrency (PostgreSQL): the cohort row lock serialises every change of
places, so simultaneous promotions and declines never exceed capacity."""

import threading

import pytest
from django.db import connection

from cohorts import services
from cohorts.models import Application
from tests.cohorts.factories import (
    CohortFactory,
    OfferedApplicationFactory,
    WaitingApplicationFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_threads(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_promotions_never_exceed_capacity():
    cohort = CohortFactory(capacity=3)
    for _ in range(12):
        WaitingApplicationFactory(cohort=cohort)
    errors = _run_in_threads([lambda: services.cohort_fill_places(cohort=cohort)] * 8)
    assert errors == []
    assert Application.objects.filter(status="offered").count() == 3
    assert cohort.places_taken() == 3


def test_simultaneous_declines_and_accepts_keep_the_invariant():
    cohort = CohortFactory(capacity=4)
    offers = [OfferedApplicationFactory(cohort=cohort) for _ in range(4)]
    for _ in range(10):
        WaitingApplicationFactory(cohort=cohort)
    work = [
        (lambda a=a: services.offer_decline(application=a, user=a.applicant)) for a in offers[:2]
    ] + [(lambda a=a: services.offer_accept(application=a, user=a.applicant)) for a in offers[2:]]
    work += [lambda: services.cohort_fill_places(cohort=cohort)] * 4
    errors = _run_in_threads(work)
    assert errors == []
    assert cohort.participants.count() == 2
    assert Application.objects.filter(status="offered").count() == 2
    assert cohort.places_taken() == 4


def test_simultaneous_subsidised_enrolments_in_different_cohorts_never_exceed_the_cap():
    from programmes.models import SubsidyAllocation
    from tests.cohorts.factories import CohortFactory as Cohorts
    from tests.factories import ProviderFactory
    from tests.programmes.factories import SubsidySchemeFactory

    first = Cohorts(capacity=10)
    scheme = SubsidySchemeFactory(total_places=3, programmes=[first.programme])
    cohorts = [first] + [
        Cohorts(version=first.version, provider=ProviderFactory(), capacity=10) for _ in range(3)
    ]
    offers = []
    for cohort in cohorts:
        cohort.subsidy_scheme = scheme
        cohort.save()
        offers += [OfferedApplicationFactory(cohort=cohort) for _ in range(2)]
    errors = _run_in_threads(
        [(lambda a=a: services.offer_accept(application=a, user=a.applicant)) for a in offers]
    )
    assert SubsidyAllocation.objects.filter(scheme=scheme).count() == 3
    assert sum(c.participants.count() for c in cohorts) == 3
    assert len(errors) == 5
    assert all("have been used" in str(e) for e in errors)
