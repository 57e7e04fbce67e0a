"""Announcing a cohort open for applications (issue 12): only members who asked for it
and are in the programme's audience hear of it, once each, in batches; a fan-out cut
short is finished by the beat's sweep; the admin shows the reach, asks, then shows
progress; every email carries a one-click unsubscribe for this kind of email."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts import services, tasks
from cohorts.exceptions import CohortError
from cohorts.models import Cohort
from programmes.services import programme_set_audience
from talenthub.celery import app
from talenthub.core.choices import CareerLevel, Region
from talenthub.core.models import AuditLog, OutboundEmail
from tests.cohorts.factories import ApplicationFactory, CohortFactory
from tests.factories import MemberFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db


def person(region=Region.WEST_MIDLANDS, level=CareerLevel.LEVEL_3, **profile):
    return MemberFactory(
        profile__region=region, profile__organisation=None, profile__career_level=level,
        **{f"profile__{k}": v for k, v in profile.items()},
    )  # fmt: skip


@pytest.fixture
def audience(cohort, manager):
    """Aspire is for career levels 3 and 4; WME's region is the West Midlands. The
    manager works for WME, so is in its network (and at level 4)."""
    programme_set_audience(programme=cohort.programme, career_levels=[3, 4], sectors=[])
    return {
        "ann": person(),
        "bo": person(level=CareerLevel.LEVEL_4),
        "national": person(region=Region.NATIONAL),
        "opted_out": person(email_programme_announcements=False),
        "wrong_level": person(level=CareerLevel.LEVEL_1),
        "wrong_region": person(region=Region.LONDON),
        "applied": person(),
        "manager": manager,
    }


def emailed():
    return sorted(m.to[0] for m in mail.outbox)


def emails_of(people, *names):
    return sorted(people[name].email for name in names)


def beat(job: str):
    return app.tasks[settings.CELERY_BEAT_SCHEDULE[job]["task"]].delay().get()


def test_announcing_emails_the_opted_in_audience_once(cohort, audience, manager, capture):
    ApplicationFactory(cohort=cohort, applicant=audience["applied"])
    capture(services.cohort_announce, cohort=cohort, actor=manager)
    assert emailed() == emails_of(audience, "ann", "bo", "manager", "national")
    ann = next(m for m in mail.outbox if m.to == [audience["ann"].email])
    assert ann.subject.endswith(f"Applications open: Aspire, {cohort.name}")
    assert cohort.get_absolute_url() in ann.body
    assert AuditLog.objects.filter(action="cohorts.cohort_announced").count() == 1
    # Announcing again is refused; running the fan-out again emails nobody twice.
    with raises_code(CohortError, "already_announced"):
        services.cohort_announce(cohort=cohort, actor=manager)
    capture(tasks.announce_cohort_task.delay, cohort.pk)
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    "change, code",
    [
        ({"status": Cohort.Status.PLANNED}, "cohort_not_open"),
        ({"status": Cohort.Status.RUNNING}, "cohort_not_open"),
        ({"applications_close_at": "past"}, "applications_closed"),
        ({"programme_status": "draft"}, "programme_not_published"),
    ],
)
def test_only_a_cohort_open_for_applications_can_be_announced(
    cohort, audience, manager, capture, change, code
):
    if change.get("applications_close_at") == "past":
        Cohort.objects.filter(pk=cohort.pk).update(
            applications_open_at=timezone.now() - datetime.timedelta(days=9),
            applications_close_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    elif "programme_status" in change:
        cohort.programme.status = change["programme_status"]
        cohort.programme.save()
    else:
        Cohort.objects.filter(pk=cohort.pk).update(**change)
    cohort.refresh_from_db()
    with raises_code(CohortError, code):
        capture(services.cohort_announce, cohort=cohort, actor=manager)
    assert Cohort.objects.get(pk=cohort.pk).announced_at is None
    assert mail.outbox == []


def test_batches_run_twice_email_once_and_nothing_once_applications_close(
    cohort, audience, manager, capture, monkeypatch, time_machine,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    time_machine.move_to(timezone.now(), tick=False)
    monkeypatch.setattr(services.announcements, "ANNOUNCEMENT_BATCH_SIZE", 2)
    with django_capture_on_commit_callbacks(execute=False):  # the fan-out task is lost
        services.cohort_announce(cohort=cohort, actor=manager)
    cohort.refresh_from_db()
    batches = list(services.cohort_announcement_batches(cohort))
    assert len(batches) == 3  # 5 people in the audience, 2 a batch
    for first_id, last_id in batches:
        assert [
            capture(tasks.announce_cohort_batch_task.delay, cohort.pk, first_id, last_id).get()
            for _ in range(2)
        ] in ([2, 0], [1, 0])
    assert len(mail.outbox) == 5
    # After the window closes, a late batch (or the sweep) tells nobody.
    latecomer = person()
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert (
        services.cohort_announce_batch(
            cohort_id=cohort.pk, first_id=latecomer.pk, last_id=latecomer.pk
        )
        == 0
    )


def test_the_sweep_finishes_an_announcement_cut_short(
    cohort, audience, manager, capture, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=False):  # the fan-out task is lost
        services.cohort_announce(cohort=cohort, actor=manager)
    ann = audience["ann"]
    capture(services.cohort_announce_batch, cohort_id=cohort.pk, first_id=ann.pk, last_id=ann.pk)
    assert emailed() == [ann.email]
    time_machine.shift(datetime.timedelta(minutes=4))
    assert beat("cohorts-announce-sweep") == 0  # its tasks may still be queued
    time_machine.shift(datetime.timedelta(minutes=2))
    assert capture(beat, "cohorts-announce-sweep") == 1
    assert emailed() == emails_of(audience, "ann", "applied", "bo", "manager", "national")
    assert capture(beat, "cohorts-announce-sweep") == 0
    assert len(mail.outbox) == 5
    keys = OutboundEmail.objects.filter(key__startswith=f"cohort.announced:{cohort.pk}:")
    assert keys.count() == 5


def test_the_one_click_link_stops_programme_announcements_only(cohort, audience, capture, client):
    capture(services.cohort_announce, cohort=cohort)
    ann = audience["ann"]
    row = OutboundEmail.objects.get(key=f"cohort.announced:{cohort.pk}:{ann.pk}")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = row.headers["List-Unsubscribe"].strip("<>")
    assert link in row.body_text
    page = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert "emails about programmes opening for applications" in page
    client.post(link.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"})
    ann.profile.refresh_from_db()
    assert ann.profile.email_programme_announcements is False
    assert ann.profile.email_event_announcements is True
    assert ann.pk not in services.cohort_announcement_recipients(cohort).values_list(
        "pk", flat=True
    )


def test_the_profile_offers_the_preference(client, member):
    client.force_login(member)
    page = client.get(reverse("profile")).content.decode()
    assert "Email me when a programme I could join opens for applications" in page
    form = {"full_name": member.full_name, "cipd_grade": "none"}
    assert client.post(reverse("profile"), form).status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.email_programme_announcements is False


# The admin: reach, confirmation, progress -----------------------------------------------


def test_the_admin_shows_the_reach_asks_then_shows_progress(
    client, cohort, audience, manager, other_provider, django_capture_on_commit_callbacks
):
    elsewhere = CohortFactory(
        version=cohort.version, provider=other_provider, name="Another provider's cohort"
    )
    planned = CohortFactory(version=cohort.version, provider=cohort.provider,
                            status=Cohort.Status.PLANNED, name="A planned cohort")  # fmt: skip
    client.force_login(manager)
    changelist = reverse("admin:cohorts_cohort_changelist")
    chosen = {"action": "announce", "_selected_action": [cohort.pk, elsewhere.pk, planned.pk]}
    page = client.post(changelist, chosen)
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "<strong>5</strong> members" in html
    )  # ann, applied, bo, national and the manager (WME staff)
    assert "Another provider" not in html  # not theirs to announce
    assert "Only a cohort open for applications can be announced" in html
    assert "Announce 1 cohort and send 5 emails" in html
    assert not Cohort.objects.exclude(announced_at=None).exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {**chosen, "apply": "1"})
    assert list(Cohort.objects.exclude(announced_at=None)) == [cohort]
    assert len(mail.outbox) == 5
    change = client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk])).content.decode()
    assert "5 emails: 0 queued, 0 being sent, 5 sent, 0 failed." in change
    draft = client.get(reverse("admin:cohorts_cohort_change", args=[planned.pk])).content.decode()
    assert "Announcing would email" in draft
