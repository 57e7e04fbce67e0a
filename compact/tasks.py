"""Thin Celery tasks: each calls one service. Periodic ones query for due rows, and every
email has a deterministic outbox key, so a late or repeated run sends nothing twice."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task
def send_action_digests() -> int:
    """Weekly: each lead's flagged actions (key per lead and ISO week)."""
    return services.send_action_digests()


@shared_task
def send_meeting_reminders() -> int:
    return services.send_meeting_reminders()


@shared_task
def send_terms_review_reminders() -> int:
    return services.send_terms_review_reminders()


@shared_task
def send_charter_renewal_reminders() -> int:
    """Daily: each member organisation's renewal coming up (or overdue), once each."""
    return services.send_charter_renewal_reminders()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, SMTPException, OSError, ConnectionError),
    retry_backoff=30,
    max_retries=5,
)
def send_bulletin_batch(bulletin_id: int, user_ids: list[int]) -> int:
    return services.bulletin_send_batch(bulletin_id=bulletin_id, user_ids=user_ids)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=5,
    max_retries=5,
)
def sweep_bulletins() -> int:
    """Beat: enqueue again the batches of every e-bulletin whose fan-out was cut short (a
    worker killed mid-batch, batch tasks lost with Redis); they skip whoever has theirs."""
    return services.bulletins_sweep()
