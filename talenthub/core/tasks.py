import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .models import OutboundEmail
from .notifications import MailServerUnavailable, email_send, email_send_many, stuck_emails
from .queueing import enqueue
from .retention import retention_apply

logger = logging.getLogger(__name__)

# A mail server or database that is down for a moment: try again with a growing wait.
# What was handed to the mail server is never retried (see email_send_many).
SEND_RETRY = {
    "acks_late": True,
    "autoretry_for": (MailServerUnavailable, OperationalError, InterfaceError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


@shared_task(**SEND_RETRY)
def send_outbound_email(email_id: int) -> bool:
    """Send one email (what ``email_queue`` asks for after its transaction commits)."""
    return email_send(email_id=email_id)


@shared_task(**SEND_RETRY)
def send_outbound_emails(email_ids: list[int]) -> dict[str, int]:
    """Send a batch of emails over one connection to the mail server (bulk email)."""
    return email_send_many(email_ids)


def enqueue_sends(email_ids) -> int:
    """Queue the sending of ``email_ids`` in batches of ``EMAIL_BATCH_SIZE``; a broker
    that is down is logged and the retry sweep sends them. Returns the batches queued."""
    ids = list(email_ids)
    size = settings.TALENTHUB["EMAIL_BATCH_SIZE"]
    queued = 0
    for start in range(0, len(ids), size):
        queued += enqueue(send_outbound_emails, ids[start : start + size])
    return queued


@shared_task(**SEND_RETRY)
def send_pending_emails() -> int:
    """Sweep: queue again the emails still pending a while after they were queued or last
    tried (the broker was down at commit time, the task was lost with Redis, a 4xx reply
    asked to try later). Safe at any time: sending claims each row first."""
    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, updated_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.TALENTHUB["EMAIL_SWEEP_LIMIT"]]
    )
    enqueue_sends(ids)
    return len(ids)


@shared_task
def report_stuck_emails() -> int:
    """Beat: an error in the log (and the error tracker) for every email left in
    'sending', so that a person decides whether to send it again."""
    count = stuck_emails().count()
    if count:
        logger.error(
            "%s email(s) stuck in 'sending' (a worker died or the mail server dropped the "
            "connection mid-message): run `manage.py check_outbox` and decide",
            count,
        )
    return count


# Batches of RETENTION_BATCH_SIZE per purge per run: well inside the task's time limit;
# a larger backlog (the first run on old data) is done over the next hours, or at once
# with `manage.py apply_retention`.
RETENTION_MAX_BATCHES = 50


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=60, max_retries=3)
def apply_retention() -> dict[str, int]:
    """Beat: delete what is kept no longer (docs/retention.md). A query for due rows,
    so a second, late or overlapping run does nothing more."""
    done = retention_apply(max_batches=RETENTION_MAX_BATCHES)
    logger.info("Retention: %s", ", ".join(f"{n} {name}" for name, n in done.items()))
    return done
