"""The outbox's state machine (pending → sending → sent / failed): at most once. Each
way an attempt can end, and that a row whose fate is unknown is never sent again
without a person deciding."""

import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from talenthub.core.notifications import (
    MailServerUnavailable,
    email_send,
    email_send_many,
    message_id,
    notify_many,
    stuck_emails,
)
from talenthub.core.tasks import report_stuck_emails, send_pending_emails
from tests.factories import MemberFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db


def status(email):
    email.refresh_from_db()
    return email.status


def failing_send(exc):
    def send(self, *args, **kwargs):
        raise exc

    return send


def test_a_server_that_cannot_be_reached_claims_nothing(monkeypatch):
    email = OutboundEmailFactory()

    def refuse(self):
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.open", refuse)
    with pytest.raises(MailServerUnavailable):
        email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 0 and email.claimed_at is None


def test_a_broken_connection_mid_message_leaves_it_for_a_person(monkeypatch, time_machine):
    time_machine.move_to("2026-12-07 09:00:00+00:00")
    email = OutboundEmailFactory()
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        failing_send(smtplib.SMTPServerDisconnected("gone")),
    )
    assert email_send_many([email.pk])["unknown"] == 1
    assert status(email) == "sending" and "gone" in email.last_error
    monkeypatch.undo()
    # Neither the retry sweep nor a second task sends it again.
    time_machine.move_to("2026-12-07 10:00:00+00:00")
    assert send_pending_emails() == 0
    assert email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 0
    assert list(stuck_emails()) == [email]
    assert report_stuck_emails() == 1


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), "failed"),
        (smtplib.SMTPDataError(554, b"rejected"), "failed"),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (451, b"try later")}), "pending"),
        (smtplib.SMTPSenderRefused(421, b"busy", "from@example.com"), "pending"),
    ],
)
def test_a_refusal_fails_for_good_or_waits_for_the_sweep(monkeypatch, exc, expected):
    email = OutboundEmailFactory()
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", failing_send(exc))
    email_send_many([email.pk])
    assert status(email) == expected
    assert email.attempts == 1 and email.last_error


def test_a_row_refused_again_and_again_fails_after_the_last_attempt(monkeypatch):
    email = OutboundEmailFactory(attempts=5)
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        failing_send(smtplib.SMTPDataError(451, b"later")),
    )
    email_send_many([email.pk])
    assert status(email) == "failed" and email.attempts == 6


def test_a_batch_goes_over_one_connection_with_a_stable_message_id(monkeypatch):
    emails = OutboundEmailFactory.create_batch(5)
    opened = []
    real_open = mail.backends.locmem.EmailBackend.open

    def counting_open(self):
        opened.append(self)
        return real_open(self)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.open", counting_open)
    assert email_send_many([e.pk for e in emails])["sent"] == 5
    assert len(opened) == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        message_id(e.key) for e in emails
    ]
    assert message_id("a") == message_id("a") != message_id("b")
    assert email_send_many([e.pk for e in emails])["skipped"] == 5
    assert len(mail.outbox) == 5
    assert len(opened) == 1  # nothing left to send: no connection either


def test_notify_many_queues_each_key_once_and_sends_in_batches(
    settings, django_capture_on_commit_callbacks
):
    settings.TALENTHUB = {**settings.TALENTHUB, "EMAIL_BATCH_SIZE": 2}
    members = MemberFactory.create_batch(5)
    inactive = MemberFactory(is_active=False)
    pairs = [(f"k:{m.pk}", m) for m in [*members, inactive]]
    with django_capture_on_commit_callbacks(execute=True):
        ids = notify_many(
            recipients=pairs,
            template="events_announced",
            context={"event": None},
            headers_for=lambda user: {"List-Id": "test"},
        )
    assert len(ids) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert all(m.extra_headers["List-Id"] == "test" for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(recipients=pairs, template="events_announced") == []
    assert len(mail.outbox) == 5


def test_check_outbox_lists_stuck_rows_and_a_person_can_send_them_again(time_machine):
    time_machine.move_to("2026-12-07 09:00:00+00:00")
    stuck = OutboundEmailFactory(status="sending", claimed_at="2026-12-07 08:00:00+00:00")
    OutboundEmailFactory(status="sending", claimed_at="2026-12-07 08:59:00+00:00")  # in flight
    out = __import__("io").StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_outbox", stdout=out)
    assert exited.value.code == 1
    assert stuck.key in out.getvalue() and "1 email" in out.getvalue()
    call_command("check_outbox", "--send-again", str(stuck.pk), stdout=out)
    assert status(stuck) == "pending"
    assert email_send(email_id=stuck.pk) is True


def test_the_admin_sends_a_stuck_row_again_only_when_asked(admin_client):
    stuck = OutboundEmailFactory(status="sending", claimed_at="2026-12-07 08:00:00+00:00")
    sent = OutboundEmailFactory(status="sent")
    response = admin_client.post(
        "/admin/core/outboundemail/",
        {"action": "send_again", "_selected_action": [stuck.pk, sent.pk]},
    )
    assert response.status_code == 302
    assert status(stuck) == "pending" and status(sent) == "sent"


MERGE_NAMES = [
    "Ann Lee",
    "Siobhán O'Brien",  # an apostrophe: escaping would change it, so rendered in full
    "<b>Bold</b> & Co",
    "Łucja Nowak-Śliwińska",
    "Zoë \u202eevil",  # a right-to-left override
    "名前 テスト",
    "",
]


@pytest.mark.parametrize("autoescape", ["off", "on"])
def test_a_bulk_email_is_a_mail_merge_with_the_same_text_as_one_render_each(
    tmp_path, settings, autoescape
):
    """``_render_batch`` renders once and fills in each person: the text must be what a
    render per person gives, for any name, with escaping on or off; a template that asks
    anything else of the person, or filters the name, is rendered person by person."""
    from django.template.loader import get_template

    from talenthub.core.notifications import _render, _render_batch

    (tmp_path / "emails").mkdir()
    body = (
        "Hello {{ user.get_short_name }}\nDear {{ user.get_short_name }},\n"
        "{{ event }} at {{ site_url }}\nStop: {{ unsubscribe_url }}\n"
    )
    if autoescape == "off":
        body = "{% autoescape off %}" + body + "{% endautoescape %}"
    (tmp_path / "emails" / "merge.txt").write_text(body)
    (tmp_path / "emails" / "nosy.txt").write_text("Hi {{ user.email }}\n{{ user.get_short_name }}")
    (tmp_path / "emails" / "shout.txt").write_text("HI {{ user.get_short_name|upper }}\nx")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    people = [MemberFactory(full_name=name) for name in MERGE_NAMES]
    items = [(p, {"unsubscribe_url": f"https://x.example/u/{p.pk}"}) for p in people]
    for name in ("merge", "nosy", "shout"):
        compiled = get_template(f"emails/{name}.txt")
        merged = _render_batch(compiled, {"event": "Tea & talk"}, items)
        one_by_one = [_render(compiled, p, {"event": "Tea & talk", **x}) for p, x in items]
        assert merged == one_by_one
        assert not any("\x00" in s + b for s, b in merged)


def test_a_recipient_missing_a_merged_value_is_rendered_in_full(tmp_path, settings):
    from django.template.loader import get_template

    from talenthub.core.notifications import _render, _render_batch

    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "m.txt").write_text(
        "{% autoescape off %}Hi {{ user.get_short_name }}\n{{ link }}{% endautoescape %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    compiled = get_template("emails/m.txt")
    first, second = MemberFactory(full_name="Ann Lee"), MemberFactory(full_name="Bo Ek")
    items = [(first, {"link": "https://x.example/1"}), (second, {})]
    merged = _render_batch(compiled, {}, items)
    assert merged == [_render(compiled, user, extra) for user, extra in items]
    assert "\x00" not in merged[1][1]


@pytest.mark.postgres
def test_marking_sent_inside_a_callers_transaction_keeps_its_commit_durable():
    """The 'sent' mark skips the disk flush only in a transaction of its own: inside a
    caller's, ``SET LOCAL synchronous_commit`` would make the caller's writes (a booking)
    losable too."""
    from django.db import connection, transaction

    from talenthub.core.notifications import _settle

    email = OutboundEmailFactory(status="sending")
    with transaction.atomic():
        _settle(email, "sent")
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    assert status(email) == "sent"
