""" "Tell me when booking opens": a member asks on an event whose booking opens later and
is emailed once when it opens (issue 18, item 5)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import alerts

from ..exceptions import BookingError
from ..models import BookingOpensAlert, Event
from .promotion import BOOKING_OPENED


def booking_alert_refusal(event: Event, now=None) -> str | None:
    """Why a member cannot ask to hear when booking opens (None: they can)."""
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED or event.has_started(now):
        return _("This event is not taking bookings.")
    if event.booking_opens_at <= now:
        return _("Booking for this event is already open.")
    return None


@transaction.atomic
def booking_alert_subscribe(*, event: Event, member, now=None) -> BookingOpensAlert:
    """Ask to be emailed when booking opens. Idempotent: asking twice keeps one alert."""
    refusal = booking_alert_refusal(event, now)
    if refusal:
        raise BookingError(refusal, code="booking_alert_not_needed")
    return alerts.alert_subscribe(
        BookingOpensAlert, error_class=BookingError, event=event, member=member
    )


@transaction.atomic
def booking_alert_unsubscribe(*, event: Event, member) -> bool:
    """Stop an alert not yet sent. Returns whether there was one."""
    return alerts.alert_unsubscribe(BookingOpensAlert, event=event, member=member)


def booking_alerts_send(*, now=None) -> int:
    """Beat: email every alert whose event's booking has opened (published, window open,
    not started), once each: outbox key ``event.booking-opened:<alert>``, then
    ``sent_at``. A query for due rows, so running it late or twice gives the same
    result. Returns the number of alerts sent."""
    now = now or timezone.now()
    due = BookingOpensAlert.objects.filter(
        event__status=Event.Status.PUBLISHED,
        event__booking_opens_at__lte=now,
        event__booking_closes_at__gt=now,
        event__starts_at__gt=now,
    ).select_related("event", "member")
    return alerts.alerts_send(
        due=due,
        key_prefix="event.booking-opened:",
        template=BOOKING_OPENED.template_name,
        context=lambda alert: {"event": alert.event},
        now=now,
    )
