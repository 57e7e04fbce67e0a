"""The outbox's periodic retry, ``send_pending_emails``, run twice: each email is sent
once (the send re-checks the row under its lock; a sent row is no longer pending)."""

from collections import Counter

import pytest
from django.core import mail

from talenthub.core.models import OutboundEmail
from talenthub.core.tasks import send_outbound_emails, send_pending_emails
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


def sent_keys():
    return Counter(message.extra_headers["X-TalentHub-Key"] for message in mail.outbox)


@pytest.fixture
def stale_and_other_rows(time_machine):
    """Three emails left pending (their send task was lost) ten minutes ago, one queued
    just now, one already sent and one that failed for good."""
    time_machine.move_to("2026-11-23 09:00:00+00:00")
    stale = OutboundEmailFactory.create_batch(3)
    OutboundEmailFactory(key="already:sent", status=OutboundEmail.Status.SENT)
    OutboundEmailFactory(key="gave:up", status=OutboundEmail.Status.FAILED, attempts=6)
    time_machine.move_to("2026-11-23 09:10:00+00:00")
    fresh = OutboundEmailFactory(key="just:queued")
    return stale, fresh


def test_send_pending_emails_twice_sends_each_email_once(stale_and_other_rows):
    stale, fresh = stale_and_other_rows
    assert send_pending_emails.delay().get() == 3
    assert send_pending_emails.delay().get() == 0
    assert sent_keys() == Counter({email.key: 1 for email in stale})
    statuses = dict(OutboundEmail.objects.values_list("key", "status"))
    assert all(statuses[email.key] == "sent" for email in stale)
    assert statuses[fresh.key] == "pending" and statuses["gave:up"] == "failed"
    assert set(
        OutboundEmail.objects.filter(key__in=[e.key for e in stale]).values_list(
            "attempts", flat=True
        )
    ) == {1}


def test_two_overlapping_runs_enqueue_twice_but_send_once(stale_and_other_rows, monkeypatch):
    """Both runs start before any send has happened (the worker is busy), so each
    re-enqueues the same three emails: six deliveries, still one message per email."""
    stale, _ = stale_and_other_rows
    deliveries = []
    monkeypatch.setattr(send_outbound_emails, "delay", deliveries.append)
    assert send_pending_emails() == 3
    assert send_pending_emails() == 3
    assert deliveries == [sorted(e.pk for e in stale)] * 2
    results = [send_outbound_emails.apply((batch,)).get() for batch in deliveries]
    assert [r["sent"] for r in results] == [3, 0]
    assert [r["skipped"] for r in results] == [0, 3]
    assert sent_keys() == Counter({email.key: 1 for email in stale})
