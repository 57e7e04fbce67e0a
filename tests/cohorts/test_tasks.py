import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from cohorts import tasks
from cohorts.models import Application, Participant
from tests.cohorts.factories import (
    EndedCohortFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    WaitingApplicationFactory,
)

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_cohort_tasks():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cohorts.tasks.expire_cohort_offers" in tasks_scheduled
    assert "cohorts.tasks.invite_cohort_feedback" in tasks_scheduled


def test_expire_offers_task_run_twice_expires_and_emails_once(
    cohort, django_capture_on_commit_callbacks
):
    cohort.capacity = 1
    cohort.save()
    offer = OfferedApplicationFactory(cohort=cohort)
    waiting = WaitingApplicationFactory(cohort=cohort)
    with (
        time_machine.travel(offer.offer_expires_at + datetime.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.expire_cohort_offers.delay().get() == 1
        assert tasks.expire_cohort_offers.delay().get() == 0
    assert Application.objects.get(pk=offer.pk).status == "offer_expired"
    assert Application.objects.get(pk=waiting.pk).status == "offered"
    assert len(mail.outbox) == 2


def test_feedback_task_run_twice_invites_each_participant_once(
    django_capture_on_commit_callbacks,
):
    cohort = EndedCohortFactory()
    participants = [ParticipantFactory(cohort=cohort) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.invite_cohort_feedback.delay().get() == 4
        assert tasks.invite_cohort_feedback.delay().get() == 0
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("[TalentHub] Tell us about") for m in mail.outbox)
    assert all(
        p.feedback_invited_at
        for p in Participant.objects.filter(pk__in=[p.pk for p in participants])
    )


def test_feedback_task_run_late_still_invites(django_capture_on_commit_callbacks):
    cohort = EndedCohortFactory()
    ParticipantFactory(cohort=cohort)
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=40)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.invite_cohort_feedback.delay().get() == 1
    assert len(mail.outbox) == 1


def test_promotion_task_run_twice_offers_once(cohort, django_capture_on_commit_callbacks):
    cohort.capacity = 1
    cohort.save()
    first = WaitingApplicationFactory(cohort=cohort)
    WaitingApplicationFactory(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.promote_cohort_waiting_list.delay(cohort.pk).get() == 1
        assert tasks.promote_cohort_waiting_list.delay(cohort.pk).get() == 0
    assert list(Application.objects.filter(status="offered")) == [first]
    assert len(mail.outbox) == 1


def test_promotion_task_for_a_missing_cohort_does_nothing():
    assert tasks.promote_cohort_waiting_list.delay(999999).get() == 0


def test_sweep_promotes_where_a_task_was_lost_run_twice_offers_once(
    cohort, django_capture_on_commit_callbacks
):
    """A withdrawal whose promotion task never ran (the broker was down): the sweep
    finds the free place and offers it; running it again does nothing more."""
    from cohorts import services

    cohort.capacity = 1
    cohort.save()
    participant = ParticipantFactory(cohort=cohort)
    waiting = WaitingApplicationFactory(cohort=cohort)
    services.participant_withdraw(participant=participant, actor=None, reason="Left")  # no commit
    started = EndedCohortFactory()  # has started: never swept
    WaitingApplicationFactory(cohort=started)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_cohort_promotions.delay().get() == 1
        assert tasks.sweep_cohort_promotions.delay().get() == 0
    assert Application.objects.get(pk=waiting.pk).status == "offered"
    assert len(mail.outbox) == 1
