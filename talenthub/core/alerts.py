""" "Tell me when it opens": the shape every opening alert shares (an event's booking, a
programme's next cohort, a talent pool's next intake).

A member asks on a page; the app checks that asking makes sense (the thing is not open
already) and calls ``alert_subscribe``. A beat sweep finds the alerts whose thing has
opened (a query for due rows, not a memory of what ran) and calls ``alerts_send``: each
alert is emailed once through the outbox under ``<key_prefix><alert id>``, then its
``sent_at`` is set, in one transaction per alert, so running the sweep late or twice
gives the same result. A sent alert has ended; the member may stop one not yet sent.

Each app keeps what is its own: the model (a row with ``member`` and ``sent_at``), when
asking is refused, what "opened" means, the template and its context.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Model, QuerySet

from .exceptions import DomainError, clean_or_raise
from .notifications import notify


def alert_subscribe(
    model: type[Model], *, error_class: type[DomainError], member, **subject
) -> Model:
    """The member's live (unsent) alert on ``subject`` (e.g. ``event=…``), made if there
    is none: asking twice keeps one alert. A broken constraint is an ``error_class``.
    Call inside the app's transaction, after its refusal checks."""
    alert = model.objects.filter(member=member, sent_at__isnull=True, **subject).first()
    if alert is None:
        alert = model(member=member, **subject)
        clean_or_raise(alert, error_class)
        alert.save()
    return alert


def alert_unsubscribe(model: type[Model], *, member, **subject) -> bool:
    """Stop the member's alert not yet sent; whether there was one."""
    deleted, _rows = model.objects.filter(member=member, sent_at__isnull=True, **subject).delete()
    return bool(deleted)


def alerts_send(
    *,
    due: QuerySet,
    key_prefix: str,
    template: str,
    context: Callable[[Model], dict],
    now,
) -> int:
    """Email every alert of ``due`` (unsent alerts whose thing has opened, with
    ``member`` selected) once: the outbox key ``<key_prefix><alert id>``, then
    ``sent_at = now``, one transaction each. Returns the number sent."""
    sent = 0
    for alert in due.filter(sent_at__isnull=True).order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            notify(
                key=f"{key_prefix}{alert.pk}",
                user=alert.member,
                template=template,
                context=context(alert),
            )
            type(alert).objects.filter(pk=alert.pk).update(sent_at=now)
        sent += 1
    return sent
