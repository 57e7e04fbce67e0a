"""Reads, scoped to what the user may see. Lists annotate their counts in one query so
page query counts do not grow with bookings."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.choices import Region
from talenthub.core.compiled_once import CompiledOnce
from talenthub.core.models import OutboundEmail
from talenthub.core.permissions import is_programme_manager, provider_scoped, user_provider

from .models import Booking, CalendarFeed, Event, PlaceTransfer


def events_visible(user):
    """Published and cancelled events for everyone; drafts too for the managers of the
    organiser (and superusers)."""
    queryset = Event.objects.select_related("organiser", "programme")
    if getattr(user, "is_superuser", False):
        return queryset
    provider = user_provider(user) if is_programme_manager(user) else None
    if provider is not None:
        return queryset.filter(Q(status__in=["published", "cancelled"]) | Q(organiser=provider))
    return queryset.visible()


def event_list(user, *, past: bool = False):
    queryset = (
        events_visible(user)
        .with_place_counts()
        .annotate(places_left=F("capacity") - F("confirmed_count") - F("offered_count"))
    )
    return queryset.past() if past else queryset.upcoming()


def events_upcoming_for_programme(user, programme, limit: int = 10) -> list[Event]:
    """The next published events of ``programme`` that ``user`` may see, soonest first,
    with their place counts (for the programme page)."""
    return list(event_list(user).filter(programme=programme, status=Event.Status.PUBLISHED)[:limit])


def event_get(user, slug: str, *, with_counts: bool = True) -> Event:
    """The event ``user`` may see (else a 404). ``with_counts``: annotate the place
    counts the event page shows; a write that counts under the lock itself (booking)
    skips them."""
    queryset = events_visible(user)
    if with_counts:
        queryset = queryset.with_place_counts()
    event = queryset.filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event


def booking_for_member(user, event: Event) -> Booking | None:
    """The member's active entry on the event, with their waiting position."""
    if not user.is_authenticated:
        return None
    return with_positions(event.bookings.active().filter(member=user)).first()


def booking_get_for_member(user, pk: int) -> Booking:
    """A booking of the signed-in member; anyone else's is a 404."""
    booking = (
        Booking.objects.select_related("event", "event__organiser")
        .filter(pk=pk, member=user)
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    return booking


def with_positions(bookings):
    """Annotate ``position`` (1 = first in line) on waiting entries, in one query."""
    ahead = (
        Booking.objects.filter(event=OuterRef("event"), status=Booking.Status.WAITING)
        .filter(
            Q(priority__gt=OuterRef("priority"))
            | Q(priority=OuterRef("priority"), joined_at__lt=OuterRef("joined_at"))
            | Q(
                priority=OuterRef("priority"),
                joined_at=OuterRef("joined_at"),
                pk__lt=OuterRef("pk"),
            )
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return bookings.annotate(
        position=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1
    )


def member_bookings(user):
    """The member's bookings with their events, positions and offers, newest event
    first within upcoming/past (split by the view)."""
    return with_positions(
        Booking.objects.filter(member=user).select_related("event", "event__organiser")
    ).order_by("event__starts_at", "pk")


def cpd_bookings_of(user):
    """The events ``user`` attended (attendance recorded), oldest first: their CPD from
    events."""
    return (
        Booking.objects.filter(member=user, attendance=Booking.Attendance.ATTENDED)
        .select_related("event__organiser")
        .order_by("event__starts_at", "pk")
    )


def member_upcoming_and_past(user, now=None):
    """The member's bookings split into upcoming (soonest first) and past (latest
    first). Waiting entries carry ``position``: computed by a second, small query only
    when the member is waiting somewhere (most are not), so the bookings query stays
    simple to compile."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(member=user)
        .select_related("event", "event__organiser")
        .order_by("event__starts_at", "pk")
    )
    waiting = [b.pk for b in bookings if b.status == Booking.Status.WAITING]
    if waiting:
        positions = dict(
            with_positions(Booking.objects.filter(pk__in=waiting)).values_list("pk", "position")
        )
        for booking in bookings:
            if booking.pk in positions:
                booking.position = positions[booking.pk]
    upcoming = [b for b in bookings if b.event.ends_at >= now and b.is_active]
    past = [b for b in bookings if b not in upcoming]
    past.reverse()
    return upcoming, past


def my_bookings_outline(user) -> tuple[str, bool, bool] | None:
    """For My bookings, in one query: the member's calendar feed token, whether they have
    any booking, and whether any offer of a place they made or were made is pending (a
    superset of what ``transfers_pending_of`` shows, which also leaves out those past
    their deadline); None if they have no feed yet. So a member with neither bookings nor
    offers costs one query, not three."""
    row = _MY_BOOKINGS_OUTLINE.first_row(user.pk)
    return None if row is None else (row[0], bool(row[1]), bool(row[2]))


def _my_bookings_outline(member_id):
    return (
        CalendarFeed.objects.filter(user=member_id)
        .annotate(
            has_bookings=Exists(Booking.objects.filter(member=member_id)),
            has_transfers=Exists(_transfers_pending_of(member_id)),
        )
        .values_list("token", "has_bookings", "has_transfers")[:1]
    )


# Asked on every visit: compiled once per process (building it cost more than the
# page-speed baseline's whole query).
_MY_BOOKINGS_OUTLINE = CompiledOnce(_my_bookings_outline)


def feed_events(user):
    """Events in a member's private feed: those they hold a place or an offer on, or are
    waiting for (an event cancelled ends its bookings, so it leaves the feed)."""
    return (
        Event.objects.filter(
            bookings__member=user,
            bookings__status__in=["confirmed", "offered", "waiting"],
        )
        .select_related("organiser")
        .distinct()
        .order_by("starts_at")
    )


def demand_report(user, threshold: int, now=None):
    """Upcoming or recent published events of the manager's provider whose waiting list
    is at least ``threshold`` long, longest first."""
    queryset = events_visible(user).filter(status=Event.Status.PUBLISHED).with_place_counts()
    if not getattr(user, "is_superuser", False):
        queryset = queryset.filter(organiser=user_provider(user))
    return queryset.filter(waiting_count__gte=threshold).order_by("-waiting_count", "starts_at")


def announcement_audience(event: Event) -> list[str]:
    """The event's audience in words, one line per dimension (the rule is
    ``programmes.selectors.audience_q``), for the manager confirming a publication."""
    organiser = event.organiser
    if organiser.region == Region.NATIONAL:
        lines = [_("Every region (the organiser is national)")]
    else:
        lines = [
            _("Members in %(region)s, or in %(organiser)s's network")
            % {"region": organiser.get_region_display(), "organiser": organiser}
        ]
    programme = event.programme
    if programme is not None:
        levels = programme.career_level_values()
        areas = [str(area) for area in programme.functional_areas.all()]
        sectors = [str(label) for label in programme.sector_labels()]
        lines += [
            _("Career levels: %s") % (", ".join(map(str, levels)) or _("all")),
            _("Functional areas: %s") % ("; ".join(areas) or _("all")),
            _("Sectors: %s") % ("; ".join(sectors) or _("all")),
        ]
    return lines


def announcement_key_prefix(event: Event) -> str:
    """Every announcement email of ``event`` has a key starting with this."""
    return f"event.announced:{event.pk}:"


def announcement_progress(event: Event) -> dict[str, int]:
    """How the event's announcement emails stand, from the outbox rows under its key
    prefix (``event.announced:<event>:``), in one query: ``queued`` (waiting to be sent),
    ``sending`` (being handed to the mail server now; one left there long is in doubt:
    ``manage.py check_outbox``), ``sent``, ``failed`` and ``total``."""
    Status = OutboundEmail.Status
    return OutboundEmail.objects.filter(key__startswith=announcement_key_prefix(event)).aggregate(
        queued=Count("pk", filter=Q(status=Status.PENDING)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        total=Count("pk"),
    )


def booking_answers(booking: Booking) -> list:
    """The booking's answers with their questions, in the event's order (one query)."""
    from .models import BookingAnswer

    return list(
        BookingAnswer.objects.filter(booking=booking)
        .select_related("question")
        .order_by("question__order", "question_id")
    )


def events_managed_by(user):
    """The events a manager runs: their provider's (every event for a superuser)."""
    return provider_scoped(Event.objects.all(), user, "organiser")


def event_managed_get(user, slug: str) -> Event:
    """An event ``user`` manages, else a 404 (another provider's event included)."""
    event = events_managed_by(user).select_related("organiser").filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event


def door_list(event: Event, search: str = ""):
    """The confirmed places of ``event`` in name order with each person's organisation,
    for the door list; ``search`` matches any part of the name or the email address."""
    bookings = (
        Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED)
        .select_related("member__profile__organisation", "event")
        .order_by("member__full_name", "pk")
    )
    search = " ".join(search.split())
    if search:
        bookings = bookings.filter(
            Q(member__full_name__icontains=search) | Q(member__email__icontains=search)
        )
    return bookings


def door_list_counts(event: Event) -> dict[str, int]:
    """``booked`` and ``checked_in`` of the event's confirmed places, in one query."""
    return Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED).aggregate(
        booked=Count("pk"),
        checked_in=Count("pk", filter=Q(attendance=Booking.Attendance.ATTENDED)),
    )


def transfer_for_holder(user, pk: int) -> PlaceTransfer:
    """An offer ``user`` made of their place (else a 404: anyone else's, the colleague's
    included, is not theirs to withdraw)."""
    transfer = (
        PlaceTransfer.objects.select_related("booking__event", "recipient")
        .filter(pk=pk, booking__member=user)
        .first()
    )
    if transfer is None:
        raise Http404("No such offer")
    return transfer


def transfer_for_recipient(user, pk: int) -> PlaceTransfer:
    """An offer of a place made to ``user`` (else a 404: the holder and everyone else
    cannot answer it)."""
    if not user.is_authenticated:
        raise Http404("No such offer")
    transfer = (
        PlaceTransfer.objects.select_related("booking__event__organiser", "booking__member")
        .filter(pk=pk, recipient=user)
        .first()
    )
    if transfer is None:
        raise Http404("No such offer")
    return transfer


def transfer_pending_for_booking(booking: Booking) -> PlaceTransfer | None:
    """The pending offer of ``booking``'s place to a colleague, if any."""
    return booking.transfers.pending().select_related("recipient").first()


def _transfers_pending_of(user):
    """Offers of places ``user`` (a user or their id) made or was made, not yet taken up,
    declined, withdrawn or lapsed by the sweep (some may be past their deadline)."""
    return PlaceTransfer.objects.pending().filter(Q(booking__member=user) | Q(recipient=user))


def transfers_pending_of(user, now=None) -> tuple[dict[int, PlaceTransfer], list[PlaceTransfer]]:
    """Still-open offers of places, in one query (for My bookings): those ``user`` made
    of their own places, by booking id, and those colleagues made to ``user``, soonest
    event first."""
    transfers = list(
        _transfers_pending_of(user)
        .filter(expires_at__gt=now or timezone.now())
        .select_related("booking__event", "booking__member", "recipient")
        .order_by("booking__event__starts_at", "pk")
    )
    made = {t.booking_id: t for t in transfers if t.booking.member_id == user.pk}
    received = [t for t in transfers if t.recipient_id == user.pk]
    return made, received
