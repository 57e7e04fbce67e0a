"""One email to many people, in batches: the fan-out every announcement shares (a cohort
open for applications, a published event, an alumnus's career update).

The shape, whatever is announced:

1. the announcing service records that it was announced and, after commit, enqueues a
   fan-out task;
2. the fan-out task streams the recipients' ids (``id_ranges``) and enqueues one batch
   task per range (``enqueue_batches``), so memory stays flat for any number of people;
3. each batch (``queue_batch``) is one transaction, one mail merge and one bulk insert
   (``notify_many``), each email under the key ``<prefix><user id>``: a repeated batch
   emails nobody twice;
4. a beat sweep asks ``unsent_exists`` of each recent announcement and fans out again one
   cut short (a worker killed mid-batch, tasks lost with the broker).

Each app keeps what is its own: who the recipients are, the key prefix, the template and
its context, the unsubscribe kind, and when an announcement is still worth sending.
"""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from . import unsubscribe
from .models import OutboundEmail
from .notifications import notify_many
from .queueing import enqueue

BATCH_SIZE = 500


def id_ranges(recipients: QuerySet, batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, int]]:
    """Yield ``(first_id, last_id)`` ranges of ``batch_size`` of ``recipients`` (users),
    in id order, streaming the ids with a server-side iterator."""
    ids = recipients.values_list("pk", flat=True).order_by("pk")
    first = last = None
    count = 0
    for pk in ids.iterator(chunk_size=batch_size):
        if first is None:
            first = pk
        last, count = pk, count + 1
        if count == batch_size:
            yield first, last
            first, count = None, 0
    if first is not None:
        yield first, last


def enqueue_batches(batch_task, subject_id: int, ranges) -> int:
    """Enqueue ``batch_task(subject_id, first_id, last_id)`` for each range; returns how
    many."""
    batches = 0
    for first_id, last_id in ranges:
        enqueue(batch_task, subject_id, first_id, last_id)
        batches += 1
    return batches


def queue_batch(
    *,
    recipients: QuerySet,
    first_id: int,
    last_id: int,
    key_prefix: str,
    template: str,
    context: dict,
    unsubscribe_kind: str,
    provider_updates=None,
) -> int:
    """Queue the email ``template`` to the ``recipients`` with ids in
    ``first_id..last_id``: one outbox row each under ``<key_prefix><user id>`` (a row
    already there is left alone), with List-Unsubscribe headers and a one-click link of
    ``unsubscribe_kind``. One transaction, the same few queries whatever the batch's
    size. Returns the number of emails newly queued.

    ``provider_updates`` (an organisation): a recipient registered for its updates
    (``programmes.ProviderUpdates``, annotated by the caller as ``registered_for_updates``)
    gets the link that stops those updates instead, kind ``provider``; the template sees
    which as ``unsubscribe_kind``."""
    with transaction.atomic():
        people = (
            recipients.filter(pk__range=(first_id, last_id))
            .only("pk", "email", "full_name", "is_active")
            .order_by("pk")
        )
        messages = []
        for person in people:
            kind, scope = unsubscribe_kind, None
            if provider_updates is not None and getattr(person, "registered_for_updates", False):
                kind, scope = "provider", provider_updates.pk
            unsubscribe_url, headers = unsubscribe.bulk_email_extras(
                user_id=person.pk, kind=kind, scope=scope
            )
            extra = {"unsubscribe_url": unsubscribe_url, "unsubscribe_kind": kind}
            messages.append((f"{key_prefix}{person.pk}", person, extra, headers))
        return len(notify_many(template=template, context=context, recipients=messages))


def unsent_exists(recipients: QuerySet, key_prefix: str) -> bool:
    """Whether someone of ``recipients`` has no email under ``<key_prefix><user id>``
    yet: the fan-out was cut short. One query."""
    queued = OutboundEmail.objects.filter(
        key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField()))
    )
    return recipients.exclude(Exists(queued)).exists()
