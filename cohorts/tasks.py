"""Thin Celery tasks: they take ids and call a service. Every one is safe to run twice,
late or concurrently (the services lock and re-check; emails go through the keyed
outbox)."""

from celery import shared_task

from talenthub.core import fanout
from talenthub.core.queueing import TASK_RETRY, enqueue

from . import services

RETRY = TASK_RETRY


@shared_task(**RETRY)
def expire_cohort_offers() -> int:
    """Expire offers past their deadline and offer the freed places to the waiting list."""
    return services.offers_expire()


@shared_task(**RETRY)
def invite_cohort_feedback() -> int:
    """Invite the participants of cohorts that have ended to give feedback, once each."""
    return services.feedback_invite_due()


@shared_task(**RETRY)
def promote_cohort_waiting_list(cohort_id: int) -> int:
    """Offer a cohort's free places to its waiting list (enqueued after commit by every
    service that frees a place; with no free place or nobody waiting it does nothing)."""
    from .models import Cohort

    if not Cohort.objects.filter(pk=cohort_id).exists():
        return 0
    return len(services.promote_waiting_list(cohort_id=cohort_id))


@shared_task(**RETRY)
def sweep_cohort_promotions() -> int:
    """Beat: promote on every cohort still to start with a free place and someone
    waiting, so a promotion task lost between commit and broker cannot leave a place
    empty."""
    return services.promotions_sweep()


@shared_task(**RETRY)
def announce_cohort_task(cohort_id: int) -> int:
    """Fan out the announcement that a cohort is open for applications: one batch task
    per range of member ids (streamed, never loaded at once). Returns the batches."""
    from .models import Cohort

    cohort = Cohort.objects.with_related().filter(pk=cohort_id, announced_at__isnull=False).first()
    if cohort is None:
        return 0
    return fanout.enqueue_batches(
        announce_cohort_batch_task, cohort_id, services.cohort_announcement_batches(cohort)
    )


@shared_task(**RETRY)
def announce_cohort_batch_task(cohort_id: int, first_id: int, last_id: int) -> int:
    return services.cohort_announce_batch(cohort_id=cohort_id, first_id=first_id, last_id=last_id)


@shared_task(**RETRY)
def sweep_cohort_announcements() -> int:
    """Beat: fan out again every cohort announcement that was cut short (a worker killed
    mid-batch, tasks lost with Redis); the batches skip whoever has their email."""
    cohorts = [cohort.pk for cohort in services.cohort_announcements_unfinished()]
    for cohort_id in cohorts:
        enqueue(announce_cohort_task, cohort_id)
    return len(cohorts)


@shared_task(**RETRY)
def send_programme_alerts() -> int:
    """Beat: email the members who asked to hear when a programme's next cohort opens."""
    return services.programme_alerts_send()
