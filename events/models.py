"""Events, bookings and waiting lists.

The rules that must always hold live here as database constraints where a constraint can
express them (one active booking per member per event, an open offer has an expiry, an
event ends after it starts). The capacity rule "confirmed places + open offers <=
capacity" spans many rows, so it is enforced by the services in ``events.services``,
which change places only while holding a lock on the event row.
"""

import functools
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talenthub.core.aggregates import related_count
from talenthub.core.models import BulkMessage, Organisation, TimeStampedModel
from talenthub.core.questions import Question, choice_constraint


class PeoplePlanTheme(models.TextChoices):
    """The themes of the NHS People Plan around which the HPMA London Academy built its
    2021/22 core programme ("supporting workforce professionals to turn the People Plan
    into reality")."""

    LOOKING_AFTER_OUR_PEOPLE = "looking_after_our_people", _("Looking after our people")
    BELONGING_IN_THE_NHS = "belonging_in_the_nhs", _("Belonging in the NHS")
    NEW_WAYS_OF_WORKING = "new_ways_of_working", _("New ways of working and delivering care")
    GROWING_FOR_THE_FUTURE = "growing_for_the_future", _("Growing for the future")
    WORKFORCE_PLANNING = "workforce_planning", _("Workforce planning and intelligence")


# Statuses that hold a member's single entry on an event (the partial unique constraint).
ACTIVE_STATUSES = ("confirmed", "offered", "waiting")
# Statuses that use one of the event's places.
PLACE_STATUSES = ("confirmed", "offered")


# Six characters a person can read off a screen and type on a phone: no 0/O, 1/I/L.
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(6))


@functools.cache
def _place_counts() -> dict:
    """``with_place_counts``'s three subqueries, built once: each ``annotate()`` resolves
    its own copy of them (an expression is not changed by being used), as the cohorts'
    (cohorts.models._place_counts; docs/benchmarks.md, "Sixth round")."""
    return {
        f"{status}_count": related_count(Booking.objects.filter(status=status), link="event")
        for status in ("confirmed", "offered", "waiting")
    }


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def visible(self):
        """What visitors may see: published and cancelled events (a cancelled event stays
        visible so that people who booked can see that it is off)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def booking_open(self, now=None):
        """Published events taking bookings now (the queryset twin of
        ``Event.is_booking_open``)."""
        now = now or timezone.now()
        return self.filter(
            status=Event.Status.PUBLISHED,
            booking_opens_at__lte=now,
            booking_closes_at__gt=now,
            starts_at__gt=now,
        )

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_place_counts(self):
        """Annotate ``confirmed_count``, ``offered_count`` and ``waiting_count`` in one
        query (lists must not count per row). Each is its own subquery, so the counts stay
        right and linear when a filter or prefetch joins another one-to-many relation
        (a compact's good-practice events did; issue 21)."""
        return self.annotate(**_place_counts())


class Event(TimeStampedModel):
    """A one-off development event with a capacity and a waiting list."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class PromotionPolicy(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic: the first person waiting gets the place")
        OFFER = "offer", _("Offer: the place is held for the first person waiting")

    class TransferPolicy(models.TextChoices):
        """Whether someone holding a place may pass it to a colleague (issue 18)."""

        OFF = "off", _("No transfers")
        ORGANISATION = "organisation", _("To a member of the same organisation")
        ANYONE = "anyone", _("To any member, by email address")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        help_text=_("The programme or event series this event belongs to, if any."),
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="events_organised",
        limit_choices_to={"is_provider": True},
        help_text=_("The provider running the event."),
    )
    theme = models.CharField(_("People Plan theme"), max_length=40, choices=PeoplePlanTheme.choices)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(
        max_length=250, blank=True, help_text=_("Leave blank for an online event.")
    )
    online_link = models.URLField(blank=True, help_text=_("Shown only to people who hold a place."))
    capacity = models.PositiveIntegerField(help_text=_("The number of places."))
    booking_opens_at = models.DateTimeField(_("booking opens"))
    booking_closes_at = models.DateTimeField(_("booking closes"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    promotion_policy = models.CharField(
        max_length=20, choices=PromotionPolicy.choices, default=PromotionPolicy.AUTOMATIC
    )
    offer_hours = models.PositiveSmallIntegerField(
        default=48, help_text=_("How long an offered place is held (offer policy).")
    )
    transfer_policy = models.CharField(
        _("place transfers"),
        max_length=20,
        choices=TransferPolicy.choices,
        default=TransferPolicy.OFF,
        help_text=_(
            "Whether someone holding a place may pass it to a colleague, who must accept "
            "it, until the event starts. Off unless you choose."
        ),
    )
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="reruns",
        null=True,
        blank=True,
        help_text=_("The full event this one re-runs; its waiting list is offered places first."),
    )
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Hours of continuing professional development. Blank: the event's length."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    checkin_code = models.CharField(
        _("self check-in code"),
        max_length=12,
        default=_new_checkin_code,
        help_text=_(
            "Shown at the door on the day: a member holding a place enters it on the event "
            "page to check themselves in."
        ),
    )
    revision = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Counts material changes (time, place) that people holding places are told of."
        ),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_code="event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="event_booking_window_order",
                violation_error_code="event_booking_window_order",
                violation_error_message=_("Booking must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_code="event_capacity_positive",
                violation_error_message=_("An event needs at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1),
                name="event_offer_hours_positive",
                violation_error_code="event_offer_hours_positive",
                violation_error_message=_("An offer must stay open for at least one hour."),
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_link=""),
                name="event_has_venue_or_link",
                violation_error_code="event_has_venue_or_link",
                violation_error_message=_("Give a venue, an online link, or both."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_starts_idx"),
            # The default ordering, which bookings are listed by too (Booking.Meta and the
            # booking admin: "event" means the event's date): with it PostgreSQL walks
            # events in date order into their bookings instead of joining and sorting
            # them all (issue 16: 0.8 s -> 7 ms for a page of 250,000 bookings).
            models.Index(fields=["starts_at", "id"], name="event_starts_at_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %b %Y})"

    @property
    def cpd_hours_awarded(self) -> Decimal:
        """The CPD hours attending earns: as set, else the event's length in whole half
        hours."""
        if self.cpd_hours is not None:
            return self.cpd_hours
        minutes = int((self.ends_at - self.starts_at).total_seconds() // 60)
        return Decimal(max(minutes, 0) // 30) / 2

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        """Booking closes no later than the event starts (nobody books a place at an event
        already under way). The window's own order is the ``event_booking_window_order``
        constraint's, told by ``full_clean``."""
        super().clean()
        closes, starts = self.booking_closes_at, self.starts_at
        if closes and starts and closes > starts:
            raise ValidationError(
                {
                    "booking_closes_at": ValidationError(
                        _("Booking must close before the event starts."),
                        code="booking_closes_after_start",
                    )
                }
            )

    @property
    def is_online(self) -> bool:
        return not self.venue

    def is_booking_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.booking_opens_at <= now < self.booking_closes_at
            and now < self.starts_at
        )

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def places_left_annotated(self) -> int:
        """Places left from ``with_place_counts()`` annotations (for lists)."""
        return max(0, self.capacity - self.confirmed_count - self.offered_count)


class BookingQuerySet(models.QuerySet):
    def attended(self):
        return self.filter(status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.ATTENDED)

    def not_attended(self):
        """No-shows: confirmed places on an event that has ended, not checked in (derived;
        a manager's explicit "no-show" counts too)."""
        return self.filter(
            status=Booking.Status.CONFIRMED, event__ends_at__lt=timezone.now()
        ).exclude(attendance=Booking.Attendance.ATTENDED)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def holding_place(self):
        return self.filter(status__in=PLACE_STATUSES)

    def waiting(self):
        return self.filter(status=Booking.Status.WAITING)

    def in_queue_order(self):
        """The waiting-list order, everywhere: higher priority first, then earlier
        ``joined_at``, then lower id (a total order, so nobody can be skipped)."""
        return self.order_by("-priority", "joined_at", "pk")


class Booking(TimeStampedModel):
    """A member's place, offer or waiting-list entry on an event. A member has at most
    one active (confirmed, offered or waiting) booking per event; ended bookings
    (cancelled, declined, expired) stay as history and a member may book again."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        OFFERED = "offered", _("Place offered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Offer declined")
        EXPIRED = "expired", _("Offer expired")
        # The place went to a colleague (``PlaceTransfer``): ended, no place freed.
        TRANSFERRED = "transferred", _("Passed to a colleague")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_bookings"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    priority = models.SmallIntegerField(
        default=0, help_text=_("Higher priority is served first on the waiting list.")
    )
    joined_at = models.DateTimeField(
        default=timezone.now, help_text=_("When the member joined; orders equal priorities.")
    )
    offer_number = models.PositiveSmallIntegerField(
        default=0, help_text=_("How many offers this booking has had (keys its offer emails).")
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=250, blank=True)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    reminder_7d_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1d_sent_at = models.DateTimeField(null=True, blank=True)
    rerun_source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="rerun_bookings",
        null=True,
        blank=True,
        help_text=_(
            "On a re-run: the member's waiting-list entry on the original event that this "
            "place was offered from. That entry is kept until this place is taken."
        ),
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["event", "-priority", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="booking_one_active_per_member",
                violation_error_code="booking_one_active_per_member",
                violation_error_message=_("You already have a place or waiting-list entry."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="booking_offer_has_expiry",
                violation_error_code="booking_offer_has_expiry",
                violation_error_message=_("An offered place needs a deadline for accepting it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="booking_confirmed_has_time",
                violation_error_code="booking_confirmed_has_time",
                violation_error_message=_("A confirmed place needs the time it was confirmed."),
            ),
            models.CheckConstraint(
                condition=Q(attendance="") | Q(status="confirmed"),
                name="booking_attendance_only_when_confirmed",
                violation_error_code="booking_attendance_only_when_confirmed",
                violation_error_message=_("Attendance is recorded only for confirmed places."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "priority", "joined_at"], name="booking_queue_idx"
            ),
            models.Index(fields=["status", "offer_expires_at"], name="booking_offer_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.member} – {self.event.title} ({self.status_label()})"

    def status_label(self) -> str:
        """``get_status_display()``, read from ``Status`` (one translation) instead of a
        dict Django builds from every choice on each call, hashing, so translating, each
        lazy label: that was most of ``__str__``, the label of every row's checkbox on
        the admin's booking list (issue 16). A value that is not a choice is shown as it
        is, as ``get_status_display()`` shows it."""
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return self.get_status_display()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def holds_place(self) -> bool:
        return self.status in PLACE_STATUSES

    def attendance_derived(self, now=None) -> str:
        """Attendance as the organiser reads it: what was recorded, or, once the event
        has ended, "no-show" for a confirmed place nobody checked in (never stored: a
        late check-in by a manager still counts)."""
        if self.attendance or self.status != self.Status.CONFIRMED:
            return self.attendance
        if self.event.ends_at < (now or timezone.now()):
            return self.Attendance.NO_SHOW
        return self.Attendance.UNKNOWN

    def attendance_derived_display(self, now=None) -> str:
        return str(self.Attendance(self.attendance_derived(now)).label)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(TimeStampedModel):
    """A member's private iCalendar feed of their bookings. The token is the only
    credential (calendar apps cannot sign in), so it can be reset at any time, and it is
    shown to nobody but the member: not in the admin, not through a "view on site" link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    reset_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    # Deliberately no get_absolute_url(): the admin's "view on site" (/admin/r/<ct>/<id>/)
    # would hand the secret feed address to any staff account. The address is built by
    # ``events.services.calendar_feed_url`` for the member's own page only.


def offer_deadline(event: Event, now=None):
    return (now or timezone.now()) + timedelta(hours=event.offer_hours)


class EventQuestion(Question):
    """A question the organiser asks everyone booking ``event`` (access needs, dietary
    needs, an organisation-specific question). Answers are kept per booking."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="eventquestion_unique_order",
                violation_error_code="eventquestion_unique_order",
                violation_error_message=_("Two questions of an event cannot share an order."),
            ),
            choice_constraint("eventquestion_choice_has_options"),
        ]


class BookingAnswer(TimeStampedModel):
    """A booker's answer to one of the event's questions (the text, the chosen option, or
    yes/no). Kept with the booking; erased (blanked) with the account."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(EventQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "question"],
                name="bookinganswer_unique",
                violation_error_code="bookinganswer_unique",
                violation_error_message=_("A booking answers each question once."),
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.text[:50]}"

    @property
    def display(self) -> str:
        return self.question.answer_display(self.text)


class EventMessage(BulkMessage):
    """A custom email an organiser sent to an event's attendees (the shared fields and
    the token rule: ``talenthub.core.models.BulkMessage``)."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Everyone with a place")
        WAITING = "waiting", _("Everyone on the waiting list")
        ATTENDED = "attended", _("Everyone who attended")
        NOT_ATTENDED = "not_attended", _("Everyone with a place who did not attend")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="messages")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_messages_sent"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)


class BookingOpensAlert(TimeStampedModel):
    """A member's "tell me when booking opens" on a published event whose booking opens
    later. Emailed once when the window opens (``booking_alerts_send``, a beat sweep:
    due rows, not a memory of what ran), then ``sent_at`` is set; the member may stop it
    before then."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="opening_alerts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_opens_alerts"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                name="bookingopensalert_one_per_member",
                violation_error_code="bookingopensalert_one_per_member",
                violation_error_message=_("You have already asked to hear when booking opens."),
            )
        ]

    def __str__(self):
        return f"{self.member} – when booking opens for {self.event.title}"


class PlaceTransferQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PlaceTransfer.Status.PENDING)


class PlaceTransfer(TimeStampedModel):
    """A member holding a confirmed place (``booking``) offers it to a colleague
    (``recipient``), who accepts or declines. Accepting ends the holder's booking
    (``Booking.Status.TRANSFERRED``) and gives the colleague a confirmed one
    (``new_booking``) in one transaction, so the place never passes through the waiting
    list. At most one pending offer per booking; an offer lapses at ``expires_at``
    (``TRANSFER_OFFER_HOURS`` after it was made, never past the event's start)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        # The holder's booking ended another way (cancelled, event cancelled, erased).
        CANCELLED = "cancelled", _("Cancelled")

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="transfers")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="place_transfers_received"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    new_booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        related_name="transferred_in",
        null=True,
        blank=True,
        help_text=_("The colleague's booking, once the offer is accepted."),
    )

    objects = PlaceTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(status="pending"),
                name="placetransfer_one_pending_per_booking",
                violation_error_code="transfer_pending",
                violation_error_message=_("This place already has an offer waiting."),
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", new_booking__isnull=False)
                | (~Q(status="accepted") & Q(new_booking__isnull=True)),
                name="placetransfer_accepted_has_new_booking",
                violation_error_code="placetransfer_accepted_has_new_booking",
                violation_error_message=_("An accepted transfer names the new booking."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", ended_at__isnull=True)
                | (~Q(status="pending") & Q(ended_at__isnull=False)),
                name="placetransfer_ended_has_time",
                violation_error_code="placetransfer_ended_has_time",
                violation_error_message=_("An ended transfer needs the time it ended."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="placetransfer_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.booking.event.title}: place offered to {self.recipient}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()
