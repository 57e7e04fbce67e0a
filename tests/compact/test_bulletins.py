"""E-bulletins as bulk email (issue 12): a fan-out cut short is finished by the beat's
sweep, each subscriber emailed once; "Email me newsletters and bulletins" on the profile
is a master off-switch that keeps the subscriptions; a batch is one mail merge."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact import services
from talenthub.celery import app
from talenthub.core import unsubscribe
from talenthub.core.models import OutboundEmail
from talenthub.core.notifications import _render
from tests.compact.factories import BulletinFactory, CompactFactory, NewsItemFactory
from tests.core.test_outbox import MERGE_NAMES
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def beat(job: str):
    """Run a job of the beat schedule the way beat would: by its task's name."""
    return app.tasks[settings.CELERY_BEAT_SCHEDULE[job]["task"]].delay().get()


def subscribed(compact, count):
    people = [MemberFactory() for _ in range(count)]
    for person in people:
        services.bulletin_subscribe(compact=compact, user=person)
    return people


def keys(bulletin):
    return sorted(
        OutboundEmail.objects.filter(
            key__startswith=f"compact.bulletin:{bulletin.pk}:"
        ).values_list("key", flat=True)
    )


def test_the_sweep_finishes_a_bulletin_whose_batches_were_lost(
    django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    """The batch tasks never ran (lost with Redis, or the worker killed before it queued
    anything) and the second batch of a resend ran once: after the sweep every
    subscriber has exactly one email, and a second sweep queues nothing."""
    monkeypatch.setattr(services.bulletins, "BULLETIN_BATCH_SIZE", 2)
    time_machine.move_to(timezone.now(), tick=False)
    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin)
    people = subscribed(bulletin.compact, 5)
    # The fan-out is lost: the on-commit callbacks (enqueueing the batches) never run.
    with django_capture_on_commit_callbacks(execute=False):
        assert services.bulletin_send(bulletin=bulletin) == 3
    # One batch did get through before the worker died.
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send_batch(bulletin_id=bulletin.pk, user_ids=[people[2].pk])
    time_machine.shift(datetime.timedelta(seconds=30))
    late = MemberFactory()
    services.bulletin_subscribe(compact=bulletin.compact, user=late)  # after the send

    # Within five minutes the batches may still be in the queue: the sweep leaves them.
    time_machine.shift(datetime.timedelta(minutes=4))
    assert beat("compact-bulletin-sweep") == 0
    time_machine.shift(datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert beat("compact-bulletin-sweep") == 2  # 4 missing people, batches of 2
    assert keys(bulletin) == sorted(f"compact.bulletin:{bulletin.pk}:{p.pk}" for p in people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    # Done: later sweeps find nothing to do and email nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert beat("compact-bulletin-sweep") == 0
    assert len(mail.outbox) == 5


def test_the_sweep_leaves_old_bulletins_and_people_who_stopped_them(
    django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    old, recent = BulletinFactory(), BulletinFactory()
    for bulletin in (old, recent):
        NewsItemFactory(bulletin=bulletin)
    stays, leaves, switches_off = subscribed(old.compact, 3)
    subscribed(recent.compact, 1)
    with django_capture_on_commit_callbacks(execute=False):
        services.bulletin_send(bulletin=old)
    time_machine.shift(datetime.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=False):
        services.bulletin_send(bulletin=recent)
    services.bulletin_unsubscribe(compact=old.compact, user=leaves)
    switches_off.profile.email_bulletins = False
    switches_off.profile.save()
    time_machine.shift(datetime.timedelta(days=1, minutes=10))  # old: 7 days and 10 minutes
    assert [(b.pk, ids) for b, ids in services.bulletins_unfinished()] == [
        (recent.pk, [recent.compact.subscriptions.get().user_id])
    ]
    assert keys(old) == []


def test_a_member_who_turns_bulletins_off_gets_none_and_keeps_their_subscriptions(
    client, django_capture_on_commit_callbacks
):
    derbyshire, other = CompactFactory(), CompactFactory()
    member = MemberFactory()
    keen = MemberFactory()
    for compact in (derbyshire, other):
        services.bulletin_subscribe(compact=compact, user=member)
        services.bulletin_subscribe(compact=compact, user=keen)
    client.force_login(member)
    profile_page = client.get(reverse("profile")).content.decode()
    assert "no compact sends you its e-bulletin" in profile_page
    form = {"full_name": member.full_name, "cipd_grade": "none", "email_event_announcements": "on"}
    assert client.post(reverse("profile"), form).status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.email_bulletins is False

    for compact in (derbyshire, other):
        bulletin = BulletinFactory(compact=compact)
        NewsItemFactory(bulletin=bulletin)
        with django_capture_on_commit_callbacks(execute=True):
            services.bulletin_send(bulletin=bulletin)
        # A batch naming them (a retry, the sweep) sends them nothing either.
        with django_capture_on_commit_callbacks(execute=True):
            services.bulletin_send_batch(bulletin_id=bulletin.pk, user_ids=[member.pk])
    assert sorted(m.to[0] for m in mail.outbox) == [keen.email, keen.email]
    assert member.bulletin_subscriptions.count() == 2
    page = client.get(reverse("compact:bulletin_list", kwargs={"slug": derbyshire.slug}))
    assert 'id="bulletins-off"' in page.content.decode()

    # Turned back on: the next issue comes.
    client.post(reverse("profile"), {**form, "email_bulletins": "on"})
    page = client.get(reverse("compact:bulletin_list", kwargs={"slug": derbyshire.slug}))
    assert 'id="bulletins-off"' not in page.content.decode()
    bulletin = BulletinFactory(compact=derbyshire)
    NewsItemFactory(bulletin=bulletin)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(bulletin=bulletin)
    assert member.email in [m.to[0] for m in mail.outbox[2:]]


def test_one_click_unsubscribe_from_a_bulletin_ends_that_compacts_subscription_only(
    client, django_capture_on_commit_callbacks
):
    derbyshire, other = CompactFactory(), CompactFactory()
    member = MemberFactory()
    for compact in (derbyshire, other):
        services.bulletin_subscribe(compact=compact, user=member)
    bulletin = BulletinFactory(compact=derbyshire)
    NewsItemFactory(bulletin=bulletin)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(bulletin=bulletin)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert link in mail.outbox[0].body
    assert client.post(link.removeprefix(settings.SITE_URL)).status_code == 200
    assert list(member.bulletin_subscriptions.values_list("compact", flat=True)) == [other.pk]
    member.profile.refresh_from_db()
    assert member.profile.email_bulletins is True  # the master switch is not touched


def test_a_bulletin_batch_is_a_mail_merge_with_the_text_of_one_render_each(
    django_capture_on_commit_callbacks, time_machine
):
    """The batch renders once and fills in each person: every email must read exactly as
    a render of the template for that person would, whatever their name, and text is
    not HTML-escaped (it is a plain-text email)."""
    time_machine.move_to(timezone.now(), tick=False)  # unsubscribe tokens carry a time
    bulletin = BulletinFactory(title="Skills & jobs")
    NewsItemFactory(bulletin=bulletin, title="Apprentices' week", body="Tea & <talk>")
    people = [MemberFactory(full_name=name) for name in MERGE_NAMES]
    for person in people:
        services.bulletin_subscribe(compact=bulletin.compact, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(bulletin=bulletin)
    compiled = get_template("emails/compact_bulletin.txt")
    context = {
        "bulletin": bulletin,
        "items": list(bulletin.items.all()),
        "meetings": [],
        "events": [],
    }
    rows = OutboundEmail.objects.filter(key__startswith="compact.bulletin:")
    assert rows.count() == len(people)
    for row in rows.select_related("recipient"):
        url = unsubscribe.unsubscribe_url(
            user_id=row.recipient_id, kind="bulletin", scope=bulletin.compact_id
        )
        expected = _render(compiled, row.recipient, {**context, "unsubscribe_url": url})
        assert (row.subject, row.body_text) == expected
    assert "Skills & jobs" in rows[0].subject
    assert "Tea & <talk>" in rows[0].body_text and "&amp;" not in rows[0].body_text


def test_a_bulletin_batch_takes_the_same_queries_whatever_its_size():
    """One transaction and a bulk insert per batch, not a query (or three) per person."""

    def queries(count):
        bulletin = BulletinFactory()
        NewsItemFactory(bulletin=bulletin)
        people = subscribed(bulletin.compact, count)
        services.bulletin_send(bulletin=bulletin)
        OutboundEmail.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            queued = services.bulletin_send_batch(
                bulletin_id=bulletin.pk, user_ids=[p.pk for p in people]
            )
        assert queued == count
        return len(captured)

    assert queries(2) == queries(30)
