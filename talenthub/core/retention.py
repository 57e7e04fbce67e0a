"""Retention: what the portal keeps, and for how long (docs/retention.md).

- An account email's body (password reset, email verification, sign-in codes, security
  notices: allauth's, keyed ``account:``) is deleted as soon as it is sent; one still
  unsent when its link expires (``account_email_lifetime``) is given up and deleted.
- Every other outbox body (text, HTML, headers, attachments) is deleted
  ``OUTBOX_BODY_RETENTION_DAYS`` after it was queued, once it is sent or failed. The row
  stays (address, subject, status, times): the outbox's counts and ``check_outbox``.
- Audit log entries are deleted ``AUDIT_LOG_RETENTION_DAYS`` after they were made.
- Expired sessions are deleted (Django's ``clearsessions``).

Each purge is a query for due rows, not a memory of what ran: a second run, or a late
one, finds nothing more to do. Rows go in batches of ``RETENTION_BATCH_SIZE``, each its
own transaction, so a killed run has done some batches and the next does the rest. A
retention of 0 days keeps those records for ever.
"""

import contextlib
import datetime
from importlib import import_module

from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.core import checks
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone

from .models import AuditLog, OutboundEmail, SignInEvent
from .notifications import STUCK_AFTER, body_deleted_fields

EXPIRED_UNSENT = "Not sent before its link expired: body deleted (retention)."


def account_email_lifetime() -> datetime.timedelta:
    """How long the longest-lived link or code in an account email works: a password
    reset link (``PASSWORD_RESET_TIMEOUT``), an email confirmation
    (``ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS``) or a code. After this, the email is no
    use to its recipient, and its body no use to anybody."""
    return max(
        datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        datetime.timedelta(days=allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS),
        datetime.timedelta(seconds=allauth_settings.LOGIN_BY_CODE_TIMEOUT),
        datetime.timedelta(seconds=allauth_settings.PASSWORD_RESET_BY_CODE_TIMEOUT),
        datetime.timedelta(seconds=allauth_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT),
    )


def _days(name: str) -> int:
    return settings.TALENTHUB[name]


def _in_batches(due, apply, *, batch_size: int, max_batches: int | None) -> int:
    """Apply ``apply(queryset)`` (returning how many rows it changed) to the rows of
    ``due``, oldest first, a batch at a time. ``apply`` gets ``due`` narrowed to the batch,
    so a row that stopped being due since it was read is left alone. Stops when nothing
    is due, when a batch changed nothing (every row in it was taken by someone else),
    or after ``max_batches``."""
    done = batches = 0
    last_ids = None
    while max_batches is None or batches < max_batches:
        ids = list(due.values_list("pk", flat=True)[:batch_size])
        # The same rows again would mean ``apply`` does not make them not due: stop
        # rather than loop for ever.
        if not ids or ids == last_ids:
            break
        changed = apply(due.filter(pk__in=ids))
        done += changed
        batches += 1
        if changed == 0 or len(ids) < batch_size:
            break
        last_ids = ids
    return done


def account_emails_purge(
    *, now: datetime.datetime, batch_size: int, max_batches: int | None = None
) -> int:
    """Delete the body of every account email older than ``account_email_lifetime``
    that still has one. One that was never sent (pending, or stuck in 'sending' and not
    just claimed) is marked failed: its link no longer works, so nobody should send it.
    Returns how many rows were purged."""
    unsent = Q(status=OutboundEmail.Status.PENDING) | Q(status=OutboundEmail.Status.SENDING)
    due = (
        OutboundEmail.objects.account_emails()
        .body_kept()
        .filter(created_at__lt=now - account_email_lifetime())
        # A row claimed a moment ago is being sent from memory: leave it to its sender.
        .exclude(status=OutboundEmail.Status.SENDING, claimed_at__gte=now - STUCK_AFTER)
        .order_by("created_at")
    )
    return _in_batches(
        due,
        lambda batch: batch.update(
            **body_deleted_fields(now),
            attachments=[],
            updated_at=now,
            status=Case(When(unsent, then=Value(OutboundEmail.Status.FAILED)), default=F("status")),
            last_error=Case(
                When(unsent, then=Value(EXPIRED_UNSENT)),
                default=F("last_error"),
                output_field=TextField(),
            ),
        ),
        batch_size=batch_size,
        max_batches=max_batches,
    )


def outbox_bodies_purge(
    *, now: datetime.datetime, batch_size: int, max_batches: int | None = None
) -> int:
    """Delete the body, HTML, headers and attachments of every other email queued more
    than ``OUTBOX_BODY_RETENTION_DAYS`` ago that is sent or failed (one still pending or
    stuck in 'sending' keeps its body: a person may yet send it). Returns how many."""
    days = _days("OUTBOX_BODY_RETENTION_DAYS")
    if days <= 0:
        return 0
    due = (
        OutboundEmail.objects.not_account_emails()
        .body_kept()
        .filter(
            status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED],
            created_at__lt=now - datetime.timedelta(days=days),
        )
        .order_by("created_at")
    )
    return _in_batches(
        due,
        lambda batch: batch.update(**body_deleted_fields(now), attachments=[], updated_at=now),
        batch_size=batch_size,
        max_batches=max_batches,
    )


def _audit_rows_purge(model, *, now, batch_size, max_batches) -> int:
    """Delete ``model`` rows (an ``at`` timestamp) older than AUDIT_LOG_RETENTION_DAYS."""
    days = _days("AUDIT_LOG_RETENTION_DAYS")
    if days <= 0:
        return 0
    due = model.objects.filter(at__lt=now - datetime.timedelta(days=days)).order_by("at")
    return _in_batches(
        due,
        lambda batch: batch.delete()[0],
        batch_size=batch_size,
        max_batches=max_batches,
    )


def audit_log_purge(
    *, now: datetime.datetime, batch_size: int, max_batches: int | None = None
) -> int:
    """Delete the audit log entries made more than ``AUDIT_LOG_RETENTION_DAYS`` ago. The
    audit trails on admin pages (events, bookings, cohort applications) then start at
    that horizon; nothing else reads old entries. Returns how many were deleted."""
    return _audit_rows_purge(AuditLog, now=now, batch_size=batch_size, max_batches=max_batches)


def sign_in_events_purge(
    *, now: datetime.datetime, batch_size: int, max_batches: int | None = None
) -> int:
    """Delete sign-in audit rows (sign-ins, failures, MFA and password changes) made more
    than ``AUDIT_LOG_RETENTION_DAYS`` ago: the same horizon as the audit log. Returns how
    many were deleted."""
    return _audit_rows_purge(SignInEvent, now=now, batch_size=batch_size, max_batches=max_batches)


def sessions_purge(
    *, now: datetime.datetime, batch_size: int, max_batches: int | None = None
) -> int:
    """Delete expired sessions, as ``manage.py clearsessions`` does. A database-backed
    session engine is purged in batches; any other is asked to ``clear_expired()`` (a
    cache expires its own entries). Returns how many rows were deleted (0 when the
    engine does not say)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store, "get_model_class", None)
    if get_model is None:
        with contextlib.suppress(NotImplementedError):
            store.clear_expired()
        return 0
    due = get_model().objects.filter(expire_date__lt=now).order_by("expire_date")
    return _in_batches(
        due,
        lambda batch: batch.delete()[0],
        batch_size=batch_size,
        max_batches=max_batches,
    )


PURGES = {
    "account_email_bodies": account_emails_purge,
    "outbox_bodies": outbox_bodies_purge,
    "audit_log": audit_log_purge,
    "sign_in_events": sign_in_events_purge,
    "sessions": sessions_purge,
}


def retention_apply(
    *, now: datetime.datetime | None = None, max_batches: int | None = None
) -> dict[str, int]:
    """Run every purge once (each at most ``max_batches`` batches; None: until nothing is
    due). Safe to run at any time and any number of times. Returns counts by purge."""
    now = now or timezone.now()
    batch_size = settings.TALENTHUB["RETENTION_BATCH_SIZE"]
    return {
        name: purge(now=now, batch_size=batch_size, max_batches=max_batches)
        for name, purge in PURGES.items()
    }


@checks.register(checks.Tags.compatibility)
def check_retention_settings(app_configs=None, **kwargs):
    """A negative retention or a batch size below 1 is a mistake, not a policy."""
    errors = []
    for name in ("OUTBOX_BODY_RETENTION_DAYS", "AUDIT_LOG_RETENTION_DAYS"):
        if settings.TALENTHUB[name] < 0:
            errors.append(
                checks.Error(
                    f"{name} is {settings.TALENTHUB[name]}: give a number of days, or 0 to "
                    "keep for ever.",
                    id="core.E001",
                )
            )
    if settings.TALENTHUB["RETENTION_BATCH_SIZE"] < 1:
        errors.append(checks.Error("RETENTION_BATCH_SIZE must be at least 1.", id="core.E002"))
    return errors
