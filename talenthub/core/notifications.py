"""The email outbox: every email the portal sends goes through ``email_queue``.

A row is created in the caller's transaction with a unique key; the send task is enqueued
only after that transaction commits. Queuing the same key again does nothing, so a
service or task that runs twice cannot email anyone twice.
"""

import datetime
import hashlib
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import Case, F, Value, When
from django.template.loader import get_template
from django.utils import timezone

from .email_html import html_from_text
from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def _enqueue_send(email_id: int) -> None:
    from .queueing import enqueue
    from .tasks import send_outbound_email

    enqueue(send_outbound_email, email_id)


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient=None,
    headers: dict[str, str] | None = None,
    new_key: bool = False,
) -> OutboundEmail | None:
    """Queue one email under ``key``. Returns the new row, or None if an email with that
    key was already queued (it is never queued twice). ``new_key``: the caller knows the
    key cannot have been queued (it names a row created in this transaction), so the
    row is one plain INSERT, with no look-up and no savepoint (the unique key still
    refuses a second one)."""
    fields = {
        "key": key,
        "to": to,
        "recipient": recipient,
        "subject": subject.strip().replace("\n", " ")[:250],
        "body_text": body_text,
        "body_html": body_html,
        "headers": headers or {},
    }
    if new_key:
        email = OutboundEmail.objects.create(**fields)
        transaction.on_commit(lambda: _enqueue_send(email.pk))
        return email
    with transaction.atomic():
        if OutboundEmail.objects.filter(key=key).exists():
            return None
        try:
            with transaction.atomic():
                email = OutboundEmail.objects.create(**fields)
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
    new_key: bool = False,
) -> OutboundEmail | None:
    """Queue the email ``templates/emails/<template>.txt`` (first line: the subject) to
    ``user``, once per key. ``context`` gets ``user`` and ``site_url`` added; ``headers``
    are sent with it (List-Unsubscribe on bulk email); ``new_key`` as ``email_queue``.
    Nothing is queued for an inactive (deactivated or erased) account."""
    if not user.is_active:
        return None
    subject, body = _render(get_template(f"emails/{template}.txt"), user, context)
    return email_queue(
        key=key,
        to=user.email,
        recipient=user,
        subject=subject,
        body_text=body,
        headers=headers,
        new_key=new_key,
    )


def _render(compiled, user, context: dict | None) -> tuple[str, str]:
    """An email template's subject (its first line, with the site's prefix) and body,
    for ``user``; the context gets ``user`` and ``site_url``."""
    ctx = {"site_url": settings.SITE_URL, **(context or {}), "user": user}
    subject, _, body = compiled.render(ctx).lstrip().partition("\n")
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}", body.strip() + "\n"


class _StandIn:
    """The recipient while a bulk email is rendered once for its whole batch: what the
    templates say of a person (``user.get_short_name``) renders as a marker that is
    filled in per recipient afterwards. Anything else asked of it is noted, and the
    batch is then rendered person by person."""

    def __init__(self):
        self.asked = set()

    def get_short_name(self):
        return _marker("user.get_short_name")

    def __getattr__(self, name):
        self.asked.add(name)
        raise AttributeError(name)


def _marker(name: str) -> str:
    return f"\x00merge:{name}\x00"


# Values that autoescaping or a filter could change are not merged but rendered.
_PLAIN = str.maketrans("", "", "&<>\"'\x00")


def _render_batch(compiled, context: dict | None, items) -> list[tuple[str, str]]:
    """``(subject, body)`` for each ``(user, extra_context)`` of ``items``: a mail merge.
    The template is rendered once with markers for the person's name and the extra
    context's keys, then each recipient's values are put in; the first recipient is
    also rendered in full, and if the two differ (a template that uses the person in
    another way), or a value holds a character that escaping could change, that
    recipient (or the whole batch) is rendered in full instead. About 5× faster than a
    render per person, with the same text."""
    if not items:
        return []
    stand_in = _StandIn()
    keys = sorted({key for _, extra in items for key in extra})
    merged = _render(compiled, stand_in, {**(context or {}), **{k: _marker(k) for k in keys}})
    if stand_in.asked:
        return [_render(compiled, user, {**(context or {}), **extra}) for user, extra in items]

    def fill(user, extra):
        values = {"user.get_short_name": user.get_short_name(), **extra}
        values = {key: value for key, value in values.items() if key in keys or "." in key}
        if any(not isinstance(v, str) or v.translate(_PLAIN) != v for v in values.values()):
            return None
        subject, body = merged
        for key, value in values.items():
            subject = subject.replace(_marker(key), value)
            body = body.replace(_marker(key), value)
        if "\x00merge:" in subject or "\x00merge:" in body:
            return None  # this recipient lacks a value the others have: render in full
        return subject, body

    first_user, first_extra = items[0]
    full = _render(compiled, first_user, {**(context or {}), **first_extra})
    if fill(first_user, first_extra) not in (None, full):
        return [full] + [
            _render(compiled, user, {**(context or {}), **extra}) for user, extra in items[1:]
        ]
    rendered = [full]
    for user, extra in items[1:]:
        rendered.append(fill(user, extra) or _render(compiled, user, {**(context or {}), **extra}))
    return rendered


def notify_many(
    *, recipients, template: str, context: dict | None = None, headers_for=None
) -> list[int]:
    """Queue the email ``template`` to many users at once: ``recipients`` is a list of
    ``(key, user)`` or ``(key, user, extra_context, headers)``. Keys already queued are
    skipped (so a batch run twice emails nobody twice), inactive accounts get nothing.
    The text is a mail merge (``_render_batch``): rendered once, the personal parts
    filled in. One query to look up the keys, one bulk insert; the sending is queued after commit
    in batches of ``EMAIL_BATCH_SIZE``, each over one connection. ``headers_for(user)``
    gives a message's extra headers when the tuple carries none.
    Returns the ids of the rows queued."""
    recipients = [(*item, None, None)[:4] for item in recipients if item[1].is_active]
    if not recipients:
        return []
    compiled = get_template(f"emails/{template}.txt")
    taken = set(
        OutboundEmail.objects.filter(key__in=[item[0] for item in recipients]).values_list(
            "key", flat=True
        )
    )
    recipients = [item for item in recipients if item[0] not in taken]
    rendered = _render_batch(
        compiled, context, [(user, extra or {}) for _, user, extra, _ in recipients]
    )
    rows = []
    for (key, user, _extra, headers), (subject, body) in zip(recipients, rendered, strict=True):
        rows.append(
            OutboundEmail(
                key=key,
                to=user.email,
                recipient=user,
                subject=subject.replace("\n", " ")[:250],
                body_text=body,
                headers=headers or (headers_for(user) if headers_for else {}),
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        # A concurrent batch may have queued some of these keys since: theirs stands.
        OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        ids = list(
            OutboundEmail.objects.filter(
                key__in=[row.key for row in rows], status=OutboundEmail.Status.PENDING
            ).values_list("pk", flat=True)
        )
    if ids:
        from .tasks import enqueue_sends

        transaction.on_commit(lambda: enqueue_sends(ids))
    return ids


def message_id(key: str) -> str:
    """The Message-ID of the email queued under ``key``: the same for every attempt, so
    a mail system that is handed one message twice can tell."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "talenthub.local"
    return f"<{digest}@{domain}>"


def _message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={
            **email.headers,
            "X-TalentHub-Key": email.key,
            "Message-ID": message_id(email.key),
        },
        connection=connection,
    )
    # The HTML part says what the text says (email_html): written once, as text.
    html = email.body_html or (email.body_text and html_from_text(email.subject, email.body_text))
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _claim(email: OutboundEmail) -> bool:
    """Take one pending row for sending: one committed UPDATE, so of two workers holding
    the same id only one gets it, and nobody waits on a lock while mail goes out."""
    now = timezone.now()
    return bool(
        OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.PENDING).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now, updated_at=now
        )
    )


def _settle(email: OutboundEmail, status: str, error: str = "") -> None:
    """Record how one attempt ended (only from ``sending``: a person may have decided in
    the meantime). Attempts are counted in the database, so two workers that both
    loaded the row count both attempts; a retry after the last one is a failure."""
    if status == OutboundEmail.Status.PENDING:
        status = Case(
            When(attempts__gte=MAX_ATTEMPTS - 1, then=Value(OutboundEmail.Status.FAILED)),
            default=Value(OutboundEmail.Status.PENDING),
        )
    now = timezone.now()
    # Inside a caller's transaction, SET LOCAL would reach the caller's writes too.
    own_transaction = not db_connection.in_atomic_block
    with transaction.atomic():
        if db_connection.vendor == "postgresql" and own_transaction:
            # The claim waited for the disk; this need not. Lost in a database crash, it
            # leaves the row in 'sending' (reported, never sent again), so at most once
            # holds with one disk flush per email instead of two.
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
            status=status,
            attempts=F("attempts") + 1,
            last_error=error[:2000],
            sent_at=now if status == OutboundEmail.Status.SENT else None,
            updated_at=now,
            **(body_deleted_fields(now) if _done_with_account_email(email, status) else {}),
        )


def body_deleted_fields(now) -> dict:
    """The fields of an outbox row whose body is deleted (docs/retention.md): who, what,
    when and how it went stay; the body, HTML and headers go."""
    return {"body_text": "", "body_html": "", "headers": {}, "body_purged_at": now}


def _done_with_account_email(email: OutboundEmail, status) -> bool:
    """An account email's link belongs to its recipient alone: once the mail server has it
    (or refused it for good) the outbox keeps who, what and when, not the body."""
    return email.is_account_email and status in (
        OutboundEmail.Status.SENT,
        OutboundEmail.Status.FAILED,
    )


class MailServerUnavailable(Exception):
    """The mail server could not be reached: nothing was claimed, try again later."""


def email_send_many(email_ids) -> dict[str, int]:
    """Send the pending emails among ``email_ids`` over one connection to the mail server.

    At most once: each row is claimed (``pending`` → ``sending``, committed) just before
    its message is handed over and marked ``sent`` just after. A worker killed in between
    leaves the row in ``sending``; it is never sent again unless a person decides
    (``manage.py check_outbox`` and the admin list them). How an attempt ends:
    - accepted by the server → ``sent``;
    - refused with a 5xx reply (a bad address) → ``failed``;
    - refused with a 4xx reply (try later) → back to ``pending`` for the retry sweep,
      ``failed`` after ``MAX_ATTEMPTS``;
    - the connection broke or timed out mid-message → stays ``sending``: the server may
      or may not have taken it, and a second copy is worse than a person checking.
    The connection is opened before anything is claimed; if it cannot be, nothing
    changes and ``MailServerUnavailable`` is raised. Returns counts by outcome."""
    ids = list(email_ids)
    emails = list(
        OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.PENDING).order_by("pk")
    )
    done = {"sent": 0, "failed": 0, "retry": 0, "unknown": 0, "skipped": len(ids) - len(emails)}
    if not emails:
        return done  # all sent or taken already: no connection to the mail server
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
    try:
        for email in emails:
            if not _claim(email):
                done["skipped"] += 1
                continue
            try:
                _message(email, connection).send()
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
                code, reply = _reply(exc)
                error = f"{code} {reply!r}"
                if code >= 500:
                    _settle(email, OutboundEmail.Status.FAILED, error)
                    done["failed"] += 1
                else:
                    _settle(email, OutboundEmail.Status.PENDING, error)
                    done["retry"] += 1
                logger.warning("Email %s refused: %s", email.pk, error)
            except (smtplib.SMTPException, OSError) as exc:
                OutboundEmail.objects.filter(pk=email.pk).update(
                    last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )
                done["unknown"] += 1
                logger.error(
                    "Email %s may or may not have gone (%s): left in 'sending' for a person "
                    "to decide (manage.py check_outbox)",
                    email.pk,
                    exc,
                )
                # The connection is in an unknown state: start a fresh one.
                connection.close()
                try:
                    connection.open()
                except (smtplib.SMTPException, OSError) as again:
                    raise MailServerUnavailable(f"{type(again).__name__}: {again}") from again
            else:
                _settle(email, OutboundEmail.Status.SENT)
                done["sent"] += 1
    finally:
        connection.close()
    return done


def _reply(exc) -> tuple[int, bytes]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return next(iter(exc.recipients.values()), (500, b"refused"))
    return exc.smtp_code, exc.smtp_error


def email_send(*, email_id: int) -> bool:
    """Send one queued email unless it has been taken already. True if this call sent it.
    A server that cannot be reached raises ``MailServerUnavailable`` (retried)."""
    return email_send_many([email_id])["sent"] == 1


# A row in 'sending' for longer than this was not just claimed: its sender died or lost
# the connection mid-message.
STUCK_AFTER = datetime.timedelta(minutes=10)


def stuck_emails(older_than: datetime.timedelta = STUCK_AFTER):
    """Rows left in ``sending``: a worker died between claiming and recording, or the
    connection broke mid-message. Whether the person got it is for a person to find out."""
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=timezone.now() - older_than
    )


def progress_by_key_prefix(prefix: str) -> dict[str, int]:
    """How a bulk email stands, from the outbox rows whose key starts with ``prefix``, in
    one query: ``queued``, ``sending``, ``sent``, ``failed`` and ``total`` (the shape
    ``admin_mixins.bulk_email_progress_html`` shows)."""
    from django.db.models import Count, Q

    Status = OutboundEmail.Status
    return OutboundEmail.objects.filter(key__startswith=prefix).aggregate(
        queued=Count("pk", filter=Q(status=Status.PENDING)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        total=Count("pk"),
    )
