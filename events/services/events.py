"""Manager writes to events: create, change, publish (with the four-week rule),
announce to members in batches, cancel, and re-run a full event."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programmes.selectors import audience_q
from talenthub.core import fanout
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record
from talenthub.core.templatetags.govuk import govuk_datetime

from ..exceptions import BookingError
from ..models import Booking, Event
from ..selectors import announcement_key_prefix
from .bookings import rerun_source_end_locked
from .promotion import (
    ANNOUNCED,
    EVENT_CANCELLED,
    EVENT_CHANGED,
    enqueue_promotion,
    lock_event,
    notify_booking,
    place_offer_or_confirm,
    places_left,
)
from .transfers import transfers_cancel_locked

# Events are advertised "up to four weeks in advance of the date" (seed 001).
PUBLISH_WINDOW = timedelta(weeks=4)
# Fields whose change people holding a place must be told about.
MATERIAL_FIELDS = ("starts_at", "ends_at", "venue", "online_link")
ANNOUNCEMENT_BATCH_SIZE = fanout.BATCH_SIZE


def _unique_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:180] or "event"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean(event: Event) -> None:
    clean_or_raise(event, BookingError)


@transaction.atomic
def event_create(*, actor=None, **fields) -> Event:
    """Create a draft event (validated; a slug is made from the title if none given)."""
    event = Event(**fields)
    if not event.slug:
        event.slug = _unique_slug(event.title)
    event.status = Event.Status.DRAFT
    _clean(event)
    event.save()
    audit_record(actor=actor, action="event.created", obj=event)
    return event


@transaction.atomic
def event_update(*, event: Event, actor=None, reason: str = "", **changes) -> Event:
    """Change an event under its lock. Capacity cannot drop below the places already
    held. A change of time or place on a published event bumps ``revision`` and emails
    everyone holding a place or waiting, once per revision. Raising the capacity passes
    the new places to the waiting list (promotion task, after commit)."""
    locked = lock_event(event.pk)
    before = {name: getattr(locked, name) for name in (*MATERIAL_FIELDS, "capacity")}
    for name, value in changes.items():
        setattr(locked, name, value)
    _clean(locked)
    held = locked.bookings.holding_place().count()
    if locked.capacity < held:
        raise BookingError(
            _("Capacity cannot be below the %(held)s places already taken or offered.")
            % {"held": held},
            code="capacity_below_held",
        )
    changed = [name for name in MATERIAL_FIELDS if getattr(locked, name) != before[name]]
    if changed and locked.status == Event.Status.PUBLISHED:
        locked.revision += 1
    locked.save()
    if changed and locked.status == Event.Status.PUBLISHED:
        told = material_changes(before, locked, changed)
        for booking in locked.bookings.active().select_related("member"):
            booking.event = locked
            notify_booking(booking, EVENT_CHANGED, suffix=str(locked.revision), changes=told)
    if changes:
        audit_record(
            actor=actor,
            action="event.changed",
            obj=locked,
            reason=reason,
            data={"fields": sorted(changes)},
        )
    if locked.capacity > before["capacity"]:
        enqueue_promotion(locked.pk)
    event.refresh_from_db()
    return locked


def material_changes(before: dict, event: Event, changed: list[str]) -> list[dict]:
    """What the "event changed" email says changed: a label, the new and the old value
    (``private``: the online link, shown only to people holding a place)."""

    def shown(name, value):
        if name in {"starts_at", "ends_at"}:
            return govuk_datetime(value)
        return value or _("none")

    labels = {
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "venue": _("Venue"),
        "online_link": _("Online link"),
    }
    return [
        {
            "label": labels[name],
            "now": shown(name, getattr(event, name)),
            "was": shown(name, before[name]),
            "private": name == "online_link",
        }
        for name in changed
    ]


def publish_too_early(event: Event, now=None) -> bool:
    return event.starts_at - (now or timezone.now()) > PUBLISH_WINDOW


@transaction.atomic
def event_publish(*, event: Event, actor=None, override: bool = False, reason: str = "", now=None):
    """Publish a draft event and announce it to members (after commit, in batches).

    The four-week rule: an event may not be published more than four weeks before it
    starts unless ``override`` is given (the override and its reason are audited). A
    re-run first offers its places to the people still waiting for the original, in
    their order, before anyone else hears of it."""
    now = now or timezone.now()
    if event.rerun_of_id:
        # Lock order: lower id first (the original was created before its re-run).
        for event_id in sorted({event.pk, event.rerun_of_id}):
            lock_event(event_id)
    event = lock_event(event.pk)
    if event.status != Event.Status.DRAFT:
        raise BookingError(_("Only a draft event can be published."), code="not_draft")
    if event.starts_at <= now:
        raise BookingError(
            _("This event has already started, so it cannot be published."), code="event_started"
        )
    if publish_too_early(event, now) and not override:
        earliest = timezone.localtime(event.starts_at - PUBLISH_WINDOW)
        raise BookingError(
            _(
                "Events are advertised no more than four weeks before their date. This "
                "event starts on %(start)s, so it can be published from %(earliest)s. A "
                "manager can override this rule."
            )
            % {
                "start": date_format(timezone.localtime(event.starts_at), "j F Y"),
                "earliest": date_format(earliest, "j F Y"),
            },
            code="publish_too_early",
        )
    event.status = Event.Status.PUBLISHED
    event.published_at = now
    event.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="event.published" + (".override" if override else ""),
        obj=event,
        reason=reason,
    )
    if event.rerun_of_id:
        rerun_offer_waiting_locked(rerun=event, now=now)
    from talenthub.core.queueing import enqueue_on_commit

    from ..tasks import announce_event_task

    enqueue_on_commit(announce_event_task, event.pk)
    return event


def rerun_offer_waiting_locked(*, rerun: Event, now=None) -> list[Booking]:
    """Give the people still waiting for ``rerun.rerun_of`` the re-run's places, in their
    order, up to its capacity, under the re-run's policy (a place or an offer).

    Nobody loses their place in the original's queue for being offered the re-run: their
    waiting entry there stays as it is (same priority and time joined, so the same
    position) and the re-run booking points to it (``rerun_source``). It ends only when
    they take the re-run place: at once under the automatic policy, or when they accept
    the offer (``offer_accept``). Declining, or letting the offer lapse, leaves them
    waiting for the original where they were. The emails say it is a re-run and what
    happens to the original entry. The caller holds both locks (original first)."""
    now = now or timezone.now()
    original = rerun.rerun_of
    moved = []
    for entry in (
        original.bookings.waiting().in_queue_order().select_related("member")[: rerun.capacity]
    ):
        if rerun.bookings.active().filter(member=entry.member).exists():
            continue
        booking = Booking.objects.create(
            event=rerun,
            member=entry.member,
            status=Booking.Status.WAITING,
            priority=entry.priority,
            joined_at=entry.joined_at,
            rerun_source=entry,
        )
        if rerun.promotion_policy == Event.PromotionPolicy.AUTOMATIC:
            # The place is taken at once: end the original entry before the "promoted"
            # email is rendered, so that it can say so.
            rerun_source_end_locked(booking=booking, now=now)
        moved.append(place_offer_or_confirm(event=rerun, booking=booking, now=now))
    return moved


@transaction.atomic
def event_rerun_create(*, event: Event, actor=None, starts_at=None, ends_at=None) -> Event:
    """A draft copy of ``event`` (by default four weeks later) linked as its re-run.
    Publishing it offers its places to the original's waiting list first."""
    starts_at = starts_at or event.starts_at + timedelta(weeks=4)
    ends_at = ends_at or starts_at + (event.ends_at - event.starts_at)
    shift = starts_at - event.starts_at
    rerun = Event(
        title=event.title,
        slug=_unique_slug(f"{event.title} re-run"),
        programme=event.programme,
        organiser=event.organiser,
        theme=event.theme,
        summary=event.summary,
        description=event.description,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=event.venue,
        online_link=event.online_link,
        capacity=event.capacity,
        booking_opens_at=timezone.now(),
        booking_closes_at=event.booking_closes_at + shift,
        promotion_policy=event.promotion_policy,
        offer_hours=event.offer_hours,
        rerun_of=event,
    )
    _clean(rerun)
    rerun.save()
    audit_record(actor=actor, action="event.rerun_created", obj=rerun, data={"of": event.pk})
    return rerun


@transaction.atomic
def event_cancel(*, event: Event, actor=None, reason: str = "", now=None) -> Event:
    """Cancel the event: every place, offer and waiting entry ends and each person is
    emailed once (key ``booking.event-cancelled:<booking>``). Idempotent."""
    now = now or timezone.now()
    event = lock_event(event.pk)
    if event.status == Event.Status.CANCELLED:
        return event
    event.status = Event.Status.CANCELLED
    event.cancelled_at = now
    event.cancellation_reason = reason
    event.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    for booking in event.bookings.active().select_related("member"):
        booking.event = event
        booking.status = Booking.Status.CANCELLED
        booking.ended_at = now
        booking.end_reason = _("The event was cancelled")
        booking.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
        notify_booking(booking, EVENT_CANCELLED, reason=reason)
        transfers_cancel_locked(booking=booking, now=now, actor=actor)
    audit_record(actor=actor, action="event.cancelled", obj=event, reason=reason)
    return event


def announcement_batches(event: Event, batch_size: int = ANNOUNCEMENT_BATCH_SIZE):
    """Yield ``(first_id, last_id)`` ranges of ``batch_size`` opted-in members, reading
    the ids with a server-side iterator so memory stays flat for any number of members."""
    return fanout.id_ranges(announcement_recipients(event), batch_size)


def announcement_recipients(event: Event):
    """Active members who asked for event announcements, are in the event's audience and
    hold no entry on it yet. The audience (``programmes.selectors.audience_q``): the
    organiser's region or network and, for an event of a programme, that programme's
    career levels, functional areas and sectors."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, profile__email_event_announcements=True)
        .filter(audience_q(provider=event.organiser, programme_id=event.programme_id))
        .exclude(Exists(Booking.objects.active().filter(event=event, member=OuterRef("pk"))))
    )


def event_announce_batch(*, event_id: int, first_id: int, last_id: int) -> int:
    """Email one batch of members about a published, upcoming event: one outbox row per
    member under ``event.announced:<event>:<user>``, so a repeated batch sends nothing
    twice, each with List-Unsubscribe headers and a one-click link. One transaction per
    batch, and the same few queries whatever its size (``notify_many``). Returns the
    number of emails newly queued."""
    event = Event.objects.select_related("organiser").filter(pk=event_id).first()
    if event is None or event.status != Event.Status.PUBLISHED or event.has_started():
        return 0
    # The places left and whether booking opens later are worked out when the batch is
    # sent, not when the event was published: a re-run's places may have gone to its
    # original's waiting list in the meantime.
    return fanout.queue_batch(
        recipients=announcement_recipients(event),
        first_id=first_id,
        last_id=last_id,
        key_prefix=announcement_key_prefix(event),
        template=ANNOUNCED.template_name,
        context={
            "event": event,
            "places_left": places_left(event),
            "opens_later": event.booking_opens_at > timezone.now(),
        },
        unsubscribe_kind="events",
    )


def announcements_unfinished(now=None):
    """Published, upcoming events announced in the last week (and at least five minutes
    ago) with a member who should have been emailed and has no email queued: the fan-out
    was cut short (a worker killed mid-batch, a task lost with Redis). One query each."""
    now = now or timezone.now()
    candidates = Event.objects.filter(
        status=Event.Status.PUBLISHED,
        published_at__gte=now - timedelta(days=7),
        published_at__lte=now - timedelta(minutes=5),
        starts_at__gt=now,
    ).order_by("pk")
    for event in candidates:
        if fanout.unsent_exists(announcement_recipients(event), announcement_key_prefix(event)):
            yield event
