"""The email outbox: every email the portal sends goes through ``email_queue``.

A row is created in the caller's transaction with a unique key; the send task is enqueued
only after that transaction commits. Queuing the same key again does nothing, so a
service or task that runs twice cannot email anyone twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def _enqueue_send(email_id: int) -> None:
    from .tasks import send_outbound_email

    send_outbound_email.delay(email_id)


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient=None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail | None:
    """Queue one email under ``key``. Returns the new row, or None if an email with that
    key was already queued (it is never queued twice)."""
    with transaction.atomic():
        if OutboundEmail.objects.filter(key=key).exists():
            return None
        try:
            with transaction.atomic():
                email = OutboundEmail.objects.create(
                    key=key,
                    to=to,
                    recipient=recipient,
                    subject=subject.strip().replace("\n", " ")[:250],
                    body_text=body_text,
                    body_html=body_html,
                    headers=headers or {},
                )
        except IntegrityError:
            # A concurrent caller queued the same key first: that one is the email.
            return None
        transaction.on_commit(lambda: _enqueue_send(email.pk))
        return email


def notify(
    *,
    key: str,
    user,
    template: str,
    context: dict | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail | None:
    """Queue the email ``templates/emails/<template>.txt`` (first line: the subject) to
    ``user``, once per key. ``context`` gets ``user`` and ``site_url`` added; ``headers``
    are sent with it (List-Unsubscribe on bulk email). Nothing is queued for an inactive
    (deactivated or erased) account."""
    if not user.is_active:
        return None
    ctx = {"user": user, "site_url": settings.SITE_URL, **(context or {})}
    rendered = render_to_string(f"emails/{template}.txt", ctx).lstrip()
    subject, _, body = rendered.partition("\n")
    return email_queue(
        key=key,
        to=user.email,
        recipient=user,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
        body_text=body.strip() + "\n",
        headers=headers,
    )


def notify_many(*, template: str, context: dict, messages) -> int:
    """The bulk twin of ``notify`` for one batch of a fan-out (an announcement to many
    people): each of ``messages``, ``(key, user, extra_context, headers)``, is rendered
    and queued as ``notify`` would, once per key, and nothing for an inactive account.

    It costs the same few queries for any number of messages: one read of the keys
    already queued, one insert of the new rows (``ignore_conflicts``: a concurrent run
    that queued a key first keeps its row), one read of their ids to send after commit.
    Two concurrent runs may both enqueue the send task of a row; sending locks the row
    and sends it once. Returns the number of rows this call tried to add (the new ones
    unless another run raced it)."""
    messages = [m for m in messages if m[1].is_active]
    if not messages:
        return 0
    queued = set(
        OutboundEmail.objects.filter(key__in=[m[0] for m in messages]).values_list("key", flat=True)
    )
    rows = []
    for key, user, extra, headers in messages:
        if key in queued:
            continue
        ctx = {"user": user, "site_url": settings.SITE_URL, **context, **(extra or {})}
        rendered = render_to_string(f"emails/{template}.txt", ctx).lstrip()
        subject, _, body = rendered.partition("\n")
        subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}"
        rows.append(
            OutboundEmail(
                key=key,
                to=user.email,
                recipient=user,
                subject=subject.strip().replace("\n", " ")[:250],
                body_text=body.strip() + "\n",
                headers=headers or {},
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            OutboundEmail.objects.filter(
                key__in=[row.key for row in rows], status=OutboundEmail.Status.PENDING
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: [_enqueue_send(email_id) for email_id in ids])
    return len(rows)


def email_send(*, email_id: int) -> bool:
    """Send one queued email unless it has been sent. The row stays locked while the
    message goes out, so two workers holding the same task cannot both send it. Returns
    True if this call sent it. A transport error is recorded and re-raised for retry."""
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
            if email is None or email.status != OutboundEmail.Status.PENDING:
                return False
            message = EmailMultiAlternatives(
                subject=email.subject,
                body=email.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
                headers={**email.headers, "X-TalentHub-Key": email.key},
            )
            if email.body_html:
                message.attach_alternative(email.body_html, "text/html")
            message.send()
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.attempts += 1
            email.save(update_fields=["status", "sent_at", "attempts", "updated_at"])
            return True
    except Exception as exc:
        with transaction.atomic():
            email = OutboundEmail.objects.select_for_update().get(pk=email_id)
            email.attempts += 1
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        logger.warning("Email %s failed (attempt %s): %s", email_id, email.attempts, exc)
        raise
