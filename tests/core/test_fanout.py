"""The shared fan-out (talenthub.core.fanout) on its own; its three users (cohort and
event announcements, career updates) are tested through their services and tasks."""

import pytest

from talenthub.core import fanout
from talenthub.core.models import User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_id_ranges_cover_every_recipient_once_in_id_order():
    people = sorted(MemberFactory().pk for _ in range(7))
    ranges = list(fanout.id_ranges(User.objects.filter(pk__in=people), batch_size=3))
    assert ranges == [(people[0], people[2]), (people[3], people[5]), (people[6], people[6])]
    assert list(fanout.id_ranges(User.objects.none())) == []


def test_a_batch_queues_each_person_once_and_the_sweep_sees_who_is_missing():
    people = [MemberFactory() for _ in range(3)]
    recipients = User.objects.filter(pk__in=[p.pk for p in people])
    batch = {
        "recipients": recipients,
        "key_prefix": "test.fanout:1:",
        "template": "cohorts_announced",
        "context": {"cohort": "C", "programme": "P"},
        "unsubscribe_kind": "programmes",
    }
    first, second = sorted(p.pk for p in people)[:2]
    assert fanout.queue_batch(first_id=first, last_id=second, **batch) == 2
    assert fanout.unsent_exists(recipients, "test.fanout:1:")
    last = max(p.pk for p in people)
    assert fanout.queue_batch(first_id=first, last_id=last, **batch) == 1  # again: only new
    assert not fanout.unsent_exists(recipients, "test.fanout:1:")
