"""Mentoring under concurrency (PostgreSQL): the offer row lock serialises answers and
requests, so a mentor never takes more mentees than offered and a member never holds two
live requests to one mentor."""

import threading

import pytest
from django.db import connection

from alumni import services
from alumni.exceptions import AlumniError
from alumni.models import MentoringRequest
from tests.alumni.factories import MentoringOfferFactory, MentoringRequestFactory
from tests.factories import MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_threads(functions):
    """Run each function in its own thread and database connection, all released at once
    by a barrier; return the exceptions they raised. (Kept here rather than imported
    from another app's tests, whose helpers change with that app.)"""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_accepts_never_exceed_capacity():
    offer = MentoringOfferFactory(capacity=2)
    requests = [MentoringRequestFactory(offer=offer) for _ in range(6)]
    errors = _run_in_threads(
        [
            (
                lambda r=r: services.mentoring_request_respond(
                    request=r, mentor=offer.mentor, accept=True
                )
            )
            for r in requests
        ]
    )
    assert len(errors) == 4 and all(isinstance(e, AlumniError) for e in errors)
    assert offer.requests.filter(status=MentoringRequest.Status.ACCEPTED).count() == 2


def test_simultaneous_requests_from_one_member_make_one():
    offer = MentoringOfferFactory()
    mentee = MemberFactory()
    errors = _run_in_threads(
        [lambda: services.mentoring_request_create(offer=offer, mentee=mentee, message="Hi")] * 5
    )
    assert len(errors) == 4 and all(isinstance(e, AlumniError) for e in errors)
    assert MentoringRequest.objects.filter(offer=offer, mentee=mentee).count() == 1
