"""Mentoring under concurrency (PostgreSQL): the offer row lock serialises answers and
requests, so a mentor never takes more mentees than offered and a member never holds two
live requests to one mentor."""

import pytest

from alumni import services
from alumni.exceptions import AlumniError
from alumni.models import MentoringRequest
from tests.alumni.factories import MentoringOfferFactory, MentoringRequestFactory
from tests.concurrency import run_at_once
from tests.factories import MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_accepts_never_exceed_capacity():
    offer = MentoringOfferFactory(capacity=2)
    requests = [MentoringRequestFactory(offer=offer) for _ in range(6)]
    _, errors = run_at_once(
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
    _, errors = run_at_once(
        [lambda: services.mentoring_request_create(offer=offer, mentee=mentee, message="Hi")] * 5
    )
    assert len(errors) == 4 and all(isinstance(e, AlumniError) for e in errors)
    assert MentoringRequest.objects.filter(offer=offer, mentee=mentee).count() == 1
