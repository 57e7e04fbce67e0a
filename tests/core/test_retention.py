"""Retention (docs/retention.md): what is due goes, what is recent stays, and running the
purge again (the beat task, the command) changes nothing more. Time is moved with
time_machine, as the hourly beat task would meet it."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from talenthub.core.models import AuditLog, OutboundEmail
from talenthub.core.retention import (
    EXPIRED_UNSENT,
    account_email_lifetime,
    check_retention_settings,
    outbox_bodies_purge,
    retention_apply,
)
from talenthub.core.tasks import apply_retention, send_pending_emails
from tests.factories import AuditLogFactory, MemberFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

NOTHING = {
    "account_email_bodies": 0,
    "outbox_bodies": 0,
    "audit_log": 0,
    "sign_in_events": 0,
    "sessions": 0,
}


def _aged(factory, days: float, **fields):
    """A row made ``days`` ago (auto_now_add cannot be set, so the clock is moved)."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=False):
        return factory(**fields)


def _email(days, **fields):
    fields.setdefault("body_html", "<p>Your booking for 3 March is confirmed.</p>")
    fields.setdefault("headers", {"List-Unsubscribe": "<https://x.example/u/abc>"})
    fields.setdefault("attachments", [{"name": "event.ics"}])
    return _aged(OutboundEmailFactory, days, **fields)


def _reload(row):
    row.refresh_from_db()
    return row


# Ordinary outbox bodies: OUTBOX_BODY_RETENTION_DAYS (90) after queuing. ---------------


def test_old_bodies_go_and_the_rows_stay_recent_ones_and_unsent_ones_are_kept(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "OUTBOX_BODY_RETENTION_DAYS": 90}
    old_sent = _email(91, status=OutboundEmail.Status.SENT, subject="Booking confirmed")
    old_failed = _email(200, status=OutboundEmail.Status.FAILED)
    recent = _email(89, status=OutboundEmail.Status.SENT)
    old_pending = _email(120, status=OutboundEmail.Status.PENDING)
    old_stuck = _email(120, status=OutboundEmail.Status.SENDING, claimed_at=timezone.now())

    assert apply_retention()["outbox_bodies"] == 2

    for row in (_reload(old_sent), _reload(old_failed)):
        assert (row.body_text, row.body_html, row.headers, row.attachments) == ("", "", {}, [])
        assert row.body_purged_at is not None
    assert old_sent.subject == "Booking confirmed" and old_sent.status == "sent"
    assert old_sent.to.endswith("@example.com")
    # A person may still send these two (the sweep, "Send again"): they need their body.
    for row in (_reload(recent), _reload(old_pending), _reload(old_stuck)):
        assert row.body_text == "Hello there." and row.body_html and row.headers
        assert row.body_purged_at is None


def test_rerunning_is_a_no_op():
    row = _email(100, status=OutboundEmail.Status.SENT)
    AuditLogFactory()
    assert apply_retention()["outbox_bodies"] == 1
    purged_at = _reload(row).body_purged_at
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert apply_retention() == NOTHING
        assert apply_retention() == NOTHING
    assert _reload(row).body_purged_at == purged_at


def test_zero_days_keeps_bodies_for_ever(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "OUTBOX_BODY_RETENTION_DAYS": 0}
    row = _email(3000, status=OutboundEmail.Status.SENT)
    assert apply_retention()["outbox_bodies"] == 0
    assert _reload(row).body_text == "Hello there."


def test_batches_do_the_work_in_parts_and_the_next_run_finishes_it():
    rows = [_email(100, status=OutboundEmail.Status.SENT) for _ in range(5)]
    now = timezone.now()
    assert outbox_bodies_purge(now=now, batch_size=2, max_batches=1) == 2
    assert outbox_bodies_purge(now=now, batch_size=2, max_batches=1) == 2
    assert outbox_bodies_purge(now=now, batch_size=2, max_batches=None) == 1
    assert outbox_bodies_purge(now=now, batch_size=2, max_batches=None) == 0
    assert all(_reload(row).body_text == "" for row in rows)


# Account emails: never kept after sending, never kept past their link's expiry. ------


def _request_reset(client, django_capture_on_commit_callbacks, *, send: bool):
    member = MemberFactory(email="priya.shah@derby.example")
    with django_capture_on_commit_callbacks(execute=send):
        client.post(reverse("account_reset_password"), {"email": member.email})
    return OutboundEmail.objects.get(key__startswith="account:account/email/password_reset_key:")


def test_an_unsent_reset_email_is_given_up_and_purged_once_its_link_expires(
    client, django_capture_on_commit_callbacks, settings
):
    """The broker was down when the member asked: the email is pending. Until the link
    expires the sweep may still send it; after, nobody can (or should)."""
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    email = _request_reset(client, django_capture_on_commit_callbacks, send=False)
    assert "password/reset/key/" in email.body_text

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=23)):
        assert apply_retention()["account_email_bodies"] == 0
    assert _reload(email).status == OutboundEmail.Status.PENDING
    assert "password/reset/key/" in email.body_text

    with time_machine.travel(
        timezone.now() + account_email_lifetime() + datetime.timedelta(hours=1)
    ):
        assert apply_retention()["account_email_bodies"] == 1
        assert apply_retention() == NOTHING
        send_pending_emails()  # the retry sweep finds nothing to send
    _reload(email)
    assert email.status == OutboundEmail.Status.FAILED
    assert email.last_error == EXPIRED_UNSENT
    assert (email.body_text, email.body_html, email.headers) == ("", "", {})
    assert email.subject and email.to == "priya.shah@derby.example"
    assert mail.outbox == []


def test_the_lifetime_follows_the_longest_link_setting(settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 5
    assert account_email_lifetime() == datetime.timedelta(days=5)
    settings.PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
    assert account_email_lifetime() == datetime.timedelta(days=7)
    # A pending verification email 6 days old waits while a reset link lives 7 days.
    row = _email(6, key="account:account/email/email_confirmation_signup:1")
    assert apply_retention()["account_email_bodies"] == 0
    assert _reload(row).body_purged_at is None


def test_account_emails_from_before_the_fix_and_stuck_ones_are_purged_after_expiry():
    lifetime_days = account_email_lifetime().days + 1
    sent_with_body = _email(
        lifetime_days, key="account:account/email/password_reset_key:a", status="sent"
    )
    stuck = _email(
        lifetime_days,
        key="account:account/email/password_reset_key:b",
        status=OutboundEmail.Status.SENDING,
        claimed_at=timezone.now() - datetime.timedelta(days=1),
    )
    just_claimed = _email(
        lifetime_days,
        key="account:account/email/password_reset_key:c",
        status=OutboundEmail.Status.SENDING,
        claimed_at=timezone.now(),
    )
    fresh = _email(1, key="account:account/email/login_code:d")

    assert apply_retention()["account_email_bodies"] == 2

    assert _reload(sent_with_body).status == OutboundEmail.Status.SENT  # how it went stays
    assert sent_with_body.body_text == "" and sent_with_body.last_error == ""
    assert _reload(stuck).status == OutboundEmail.Status.FAILED
    assert stuck.body_text == "" and stuck.last_error == EXPIRED_UNSENT
    # Claimed a moment ago: its sender has the message in hand; the next run decides.
    assert _reload(just_claimed).body_text == "Hello there."
    assert _reload(fresh).body_text == "Hello there."


# Audit log: AUDIT_LOG_RETENTION_DAYS (730). ---------------------------------------------


def test_old_audit_entries_go_recent_ones_stay(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "AUDIT_LOG_RETENTION_DAYS": 730}
    now = timezone.now()
    old = AuditLogFactory.create_batch(3, at=now - datetime.timedelta(days=731))
    recent = AuditLogFactory(at=now - datetime.timedelta(days=729))

    assert apply_retention()["audit_log"] == 3
    assert apply_retention()["audit_log"] == 0
    assert not AuditLog.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditLog.objects.filter(pk=recent.pk).exists()


def test_zero_days_keeps_the_audit_log_for_ever(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "AUDIT_LOG_RETENTION_DAYS": 0}
    entry = AuditLogFactory(at=timezone.now() - datetime.timedelta(days=10_000))
    assert apply_retention()["audit_log"] == 0
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_old_sign_in_events_go_with_the_audit_log(settings):
    from talenthub.core.models import SignInEvent

    settings.TALENTHUB = {**settings.TALENTHUB, "AUDIT_LOG_RETENTION_DAYS": 730}
    now = timezone.now()
    old = SignInEvent.objects.create(
        kind="signed_in", email="a@x.example", at=now - datetime.timedelta(days=731)
    )
    recent = SignInEvent.objects.create(
        kind="sign_in_failed", email="b@x.example", at=now - datetime.timedelta(days=729)
    )
    assert apply_retention()["sign_in_events"] == 1
    assert apply_retention()["sign_in_events"] == 0
    assert not SignInEvent.objects.filter(pk=old.pk).exists()
    assert SignInEvent.objects.filter(pk=recent.pk).exists()


# Sessions: expired ones, as clearsessions. ----------------------------------------------


def test_expired_sessions_go_and_a_signed_in_member_stays_signed_in(client, member):
    client.force_login(member)
    live = Session.objects.get()
    now = timezone.now()
    Session.objects.create(
        session_key="x" * 32, session_data="e30:", expire_date=now - datetime.timedelta(seconds=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="e30:", expire_date=now - datetime.timedelta(days=30)
    )

    assert apply_retention()["sessions"] == 2
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert client.get(reverse("profile")).status_code == 200
    assert apply_retention()["sessions"] == 0


# The operators' command, the beat schedule and the settings check. ----------------------


def test_the_command_dry_run_counts_and_changes_nothing_then_purges(capsys):
    row = _email(100, status=OutboundEmail.Status.SENT)
    entry = AuditLogFactory(at=timezone.now() - datetime.timedelta(days=800))

    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "outbox bodies: 1 due" in out and "audit log: 1 due" in out
    assert _reload(row).body_text == "Hello there."
    assert AuditLog.objects.filter(pk=entry.pk).exists()

    call_command("apply_retention")
    assert "outbox bodies: 1 purged" in capsys.readouterr().out
    assert _reload(row).body_text == ""
    assert not AuditLog.objects.filter(pk=entry.pk).exists()
    call_command("apply_retention")
    assert "outbox bodies: 0 purged" in capsys.readouterr().out


def test_beat_runs_the_retention_task_hourly(settings):
    from celery import current_app

    entry = settings.CELERY_BEAT_SCHEDULE["core-apply-retention"]
    assert entry["task"] in current_app.tasks
    assert entry["schedule"].hour == set(range(24))


def test_a_negative_retention_is_a_system_check_error(settings):
    assert check_retention_settings() == []
    settings.TALENTHUB = {**settings.TALENTHUB, "AUDIT_LOG_RETENTION_DAYS": -1}
    assert [e.id for e in check_retention_settings()] == ["core.E001"]


def test_the_purge_returns_counts_for_every_kind():
    assert retention_apply() == NOTHING
