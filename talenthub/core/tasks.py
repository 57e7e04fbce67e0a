from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .models import OutboundEmail
from .notifications import MAX_ATTEMPTS, email_send


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError, ConnectionError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=MAX_ATTEMPTS - 1,
)
def send_outbound_email(email_id: int) -> bool:
    return email_send(email_id=email_id)


@shared_task
def send_pending_emails() -> int:
    """Re-enqueue emails still pending a while after they were queued (the broker was down
    at commit time, or retries ran out of a worker that died). Safe to run at any time:
    sending re-checks each row under its lock."""
    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, created_at__lt=stale
        ).values_list("pk", flat=True)[:1000]
    )
    for email_id in ids:
        send_outbound_email.delay(email_id)
    return len(ids)
