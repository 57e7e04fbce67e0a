"""The e-bulletin: subscriptions, sending an issue in batches through the outbox, and
the sweep that finishes a fan-out cut short."""

import datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import unsubscribe
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.models import OutboundEmail
from talenthub.core.notifications import notify_many
from talenthub.core.services import audit_record

from .. import selectors
from ..exceptions import CompactError
from ..models import Bulletin, BulletinListing, BulletinSubscription, Compact, NewsItem

BULLETIN_BATCH_SIZE = 200


def bulletin_subscribe(*, compact: Compact, user) -> BulletinSubscription:
    return BulletinSubscription.objects.get_or_create(compact=compact, user=user)[0]


def bulletin_unsubscribe(*, compact: Compact, user) -> None:
    BulletinSubscription.objects.filter(compact=compact, user=user).delete()


# The one-click unsubscribe link of an e-bulletin (``talenthub.core.unsubscribe``, kind
# "bulletin", scoped to the compact) ends that compact's subscription only.
def bulletin_unsubscribe_label(scope: int | None) -> str:
    compact = Compact.objects.filter(pk=scope).first()
    return _("the %(compact)s e-bulletin") % {"compact": compact} if compact else _("e-bulletins")


def bulletin_unsubscribe_turn_off(*, user, scope: int | None) -> None:
    compact = Compact.objects.filter(pk=scope).first()
    if compact is not None:
        bulletin_unsubscribe(compact=compact, user=user)


def bulletin_unsubscribe_manage_url(scope: int | None) -> str:
    compact = Compact.objects.filter(pk=scope).first()
    if compact is None:
        return reverse("compact:index")
    return reverse("compact:bulletin_list", kwargs={"slug": compact.slug})


# The member's master switch, "Email me newsletters and bulletins" on their profile: off,
# no e-bulletin of any compact reaches them, and their subscriptions stay as they are
# (turned back on, the next issues come again). A member with no profile row yet has the
# default, on.
WANTS_BULLETINS = Q(user__profile__isnull=True) | Q(user__profile__email_bulletins=True)


# How long after sending a cut-short fan-out is still made good, and how long it is left
# to the batch tasks first (``bulletins_unfinished``).
BULLETIN_SWEEP_DAYS = 7


BULLETIN_SWEEP_GRACE = datetime.timedelta(minutes=5)


def bulletin_recipients(bulletin: Bulletin):
    """The subscriptions of ``bulletin``'s compact whose person gets it now: an active
    account that keeps "Email me newsletters and bulletins" on."""
    return BulletinSubscription.objects.filter(
        WANTS_BULLETINS, compact_id=bulletin.compact_id, user__is_active=True
    )


def bulletin_key_prefix(bulletin: Bulletin) -> str:
    """Every email of ``bulletin`` has a key starting with this (then the user's id)."""
    return f"compact.bulletin:{bulletin.pk}:"


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BULLETIN_BATCH_SIZE] for i in range(0, len(ids), BULLETIN_BATCH_SIZE)]


def _enqueue_bulletin_batches(bulletin_id: int, ids: list[int], *, on_commit: bool) -> int:
    from talenthub.core.queueing import enqueue, enqueue_on_commit

    from ..tasks import send_bulletin_batch

    batches = _batches(ids)
    for batch in batches:
        (enqueue_on_commit if on_commit else enqueue)(send_bulletin_batch, bulletin_id, batch)
    return len(batches)


@transaction.atomic
def bulletin_create(*, compact: Compact, title: str, actor) -> Bulletin:
    """A draft e-bulletin, numbered after the compact's last issue (the compact's row is
    locked, so two drafts started at once get their own numbers)."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    last = Bulletin.objects.filter(compact=compact).order_by("-number").first()
    bulletin = Bulletin(
        compact=compact, title=title.strip(), number=(last.number + 1) if last else 1
    )
    clean_or_raise(bulletin, CompactError)
    bulletin.save()
    audit_record(actor=actor, action="compact.bulletin_created", obj=bulletin)
    return bulletin


def _draft_locked(bulletin: Bulletin) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise CompactError(
            _("This e-bulletin has already been sent."), code="bulletin_already_sent"
        )
    return bulletin


@transaction.atomic
def bulletin_item_add(*, bulletin: Bulletin, title: str, body: str, actor) -> NewsItem:
    """Add a news item at the end of a draft (a sent issue is never changed)."""
    bulletin = _draft_locked(bulletin)
    last = bulletin.items.order_by("-order").first()
    item = NewsItem(
        bulletin=bulletin,
        order=(last.order + 1) if last else 1,
        title=title.strip(),
        body=body.strip(),
    )
    clean_or_raise(item, CompactError)
    item.save()
    audit_record(actor=actor, action="compact.bulletin_item_added", obj=bulletin)
    return item


@transaction.atomic
def bulletin_item_remove(*, item: NewsItem, actor) -> None:
    """Take a news item out of a draft."""
    bulletin = _draft_locked(item.bulletin)
    audit_record(
        actor=actor,
        action="compact.bulletin_item_removed",
        obj=bulletin,
        data={"title": item.title},
    )
    item.delete()


@transaction.atomic
def bulletin_send(*, bulletin: Bulletin, actor=None) -> int:
    """Publish a draft e-bulletin to the archive and enqueue its emails to subscribers in
    batches (after commit). The upcoming public meetings and good-practice events it
    announces are copied now, once (``BulletinListing``): every batch and the archive show
    the same issue. Sending twice is refused; each email has key
    ``compact.bulletin:<bulletin>:<user>`` so a retried batch sends nothing twice, and
    ``bulletins_unfinished`` (the beat's sweep) finishes a fan-out cut short.
    Returns the number of batches."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise CompactError(
            _("This e-bulletin has already been sent."), code="bulletin_already_sent"
        )
    if not bulletin.items.exists():
        raise CompactError(
            _("Add at least one news item before sending."), code="bulletin_without_items"
        )
    bulletin.status = Bulletin.Status.SENT
    bulletin.sent_at = timezone.now()
    bulletin.save(update_fields=["status", "sent_at", "updated_at"])
    _bulletin_snapshot(bulletin)
    audit_record(actor=actor, action="compact.bulletin_sent", obj=bulletin)
    ids = list(bulletin_recipients(bulletin).order_by("user_id").values_list("user_id", flat=True))
    return _enqueue_bulletin_batches(bulletin.pk, ids, on_commit=True)


def bulletin_unqueued_user_ids(bulletin: Bulletin) -> list[int]:
    """Subscribers who were subscribed when ``bulletin`` was sent, still are, still want
    bulletins, and have no email of it in the outbox: its fan-out was cut short for them
    (a worker killed mid-batch, batch tasks lost with Redis). One query."""
    queued = OutboundEmail.objects.filter(
        key=Concat(Value(bulletin_key_prefix(bulletin)), Cast(OuterRef("user_id"), CharField()))
    )
    return list(
        bulletin_recipients(bulletin)
        .filter(created_at__lte=bulletin.sent_at)
        .exclude(Exists(queued))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def bulletins_unfinished(now=None):
    """``(bulletin, user ids)`` for each e-bulletin sent in the last week (and at least five
    minutes ago, so batch tasks still in the queue are not doubled) with a subscriber
    who should have its email and has none. A query for due rows, not a memory of what
    ran: a late or repeated sweep gives the same result."""
    now = now or timezone.now()
    candidates = Bulletin.objects.filter(
        status=Bulletin.Status.SENT,
        sent_at__gte=now - datetime.timedelta(days=BULLETIN_SWEEP_DAYS),
        sent_at__lte=now - BULLETIN_SWEEP_GRACE,
    ).order_by("pk")
    for bulletin in candidates:
        missing = bulletin_unqueued_user_ids(bulletin)
        if missing:
            yield bulletin, missing


def bulletins_sweep(now=None) -> int:
    """Enqueue again, in batches, the emails of every e-bulletin whose fan-out was cut
    short (``bulletins_unfinished``). Safe to run any number of times: a batch skips
    whoever has their email (outbox keys). Returns the number of batches enqueued."""
    return sum(
        _enqueue_bulletin_batches(bulletin.pk, missing, on_commit=False)
        for bulletin, missing in bulletins_unfinished(now)
    )


def _bulletin_snapshot(bulletin: Bulletin) -> None:
    """Copy what the issue announces as coming up (called once, under the bulletin's lock,
    as it turns from draft to sent)."""
    listings = [
        BulletinListing(
            kind=BulletinListing.Kind.MEETING,
            title=str(meeting.group),
            starts_at=meeting.starts_at,
            place=meeting.place,
            path=meeting.get_absolute_url(),
        )
        for meeting in selectors.upcoming_public_meetings(compact=bulletin.compact)
    ] + [
        BulletinListing(
            kind=BulletinListing.Kind.EVENT,
            title=event.title,
            starts_at=event.starts_at,
            place=event.venue or _("Online"),
            path=event.get_absolute_url(),
        )
        for event in selectors.upcoming_good_practice_events(compact=bulletin.compact)
    ]
    for order, listing in enumerate(listings, start=1):
        listing.bulletin = bulletin
        listing.order = order
        listing.title = listing.title[:300]
        listing.place = listing.place[:300]
    BulletinListing.objects.bulk_create(listings)


def bulletin_send_batch(*, bulletin_id: int, user_ids: list[int]) -> int:
    """Queue the e-bulletin email for each subscriber in ``user_ids`` who is still
    subscribed and keeps "Email me newsletters and bulletins" on (once per key), with the
    listings copied when sending started. Each carries List-Unsubscribe headers and a
    link that ends this compact's subscription. One transaction and a bulk insert per
    batch; the text is a mail merge (``notify_many``). Returns the number newly queued."""
    bulletin = (
        Bulletin.objects.select_related("compact")
        .filter(pk=bulletin_id, status=Bulletin.Status.SENT)
        .first()
    )
    if bulletin is None:
        return 0
    items = list(bulletin.items.all())
    listings = list(bulletin.listings.all())
    upcoming = [x for x in listings if x.kind == BulletinListing.Kind.MEETING]
    events = [x for x in listings if x.kind == BulletinListing.Kind.EVENT]
    prefix = bulletin_key_prefix(bulletin)
    with transaction.atomic():
        subscriptions = (
            bulletin_recipients(bulletin)
            .filter(user_id__in=user_ids)
            .select_related("user")
            .order_by("user_id")
        )
        messages = []
        for subscription in subscriptions:
            unsubscribe_url, headers = unsubscribe.bulk_email_extras(
                user_id=subscription.user_id, kind="bulletin", scope=bulletin.compact_id
            )
            messages.append(
                (
                    f"{prefix}{subscription.user_id}",
                    subscription.user,
                    {"unsubscribe_url": unsubscribe_url},
                    headers,
                )
            )
        return len(
            notify_many(
                template="compact_bulletin",
                context={
                    "bulletin": bulletin,
                    "items": items,
                    "meetings": upcoming,
                    "events": events,
                },
                recipients=messages,
            )
        )
