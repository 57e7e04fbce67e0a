"""“Email the attendees”: an organiser's own subject and text to one audience of an event
(everyone with a place, the waiting list, those who attended, those who did not), through
the outbox, one email per person, logged as an ``EventMessage``. The sending itself (its
checks, keys and token rule) is ``talenthub.core.messages``, shared with cohorts."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from talenthub.core.messages import BulkMessageKind, bulk_message_preview, bulk_message_send

from ..exceptions import BookingError
from ..models import Booking, Event, EventMessage
from .promotion import MESSAGE

Audience = EventMessage.Audience

AUDIENCE_REASON = {
    Audience.CONFIRMED: _("have a place on it"),
    Audience.WAITING: _("are on its waiting list"),
    Audience.ATTENDED: _("attended it"),
    Audience.NOT_ATTENDED: _("had a place on it"),
}


def _audience_bookings(event: Event, audience: str):
    bookings = Booking.objects.filter(event=event)
    if audience == Audience.CONFIRMED:
        return bookings.filter(status=Booking.Status.CONFIRMED)
    if audience == Audience.WAITING:
        return bookings.waiting()
    if audience == Audience.ATTENDED:
        return bookings.attended()
    if audience == Audience.NOT_ATTENDED:
        return bookings.not_attended()
    raise BookingError(_("Choose who to email."), code="message_audience")


def event_message_recipients(event: Event, audience: str):
    """The active accounts in ``audience`` of ``event``, each once, by id."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, event_bookings__in=_audience_bookings(event, audience))
        .distinct()
        .order_by("pk")
    )


EVENT_MESSAGE = BulkMessageKind(
    model=EventMessage,
    parent_field="event",
    key="event.message",
    template=MESSAGE.template_name,
    error=BookingError,
    audit_action="event.message_sent",
    recipients=event_message_recipients,
    audience_reason=AUDIENCE_REASON,
)


def message_key_prefix(message: EventMessage) -> str:
    return EVENT_MESSAGE.key_prefix(message)


def event_message_progress(message: EventMessage) -> dict[str, int]:
    return EVENT_MESSAGE.progress(message)


def event_message_preview(*, event: Event, audience: str, subject: str, body: str, viewer):
    """``(subject, text, count)``: the email as the first recipient will read it (as
    ``viewer`` when there is nobody), and how many people it will go to. Reads only."""
    return bulk_message_preview(
        kind=EVENT_MESSAGE,
        parent=event,
        audience=audience,
        subject=subject,
        body=body,
        viewer=viewer,
    )


def event_message_send(
    *, event: Event, actor, audience: str, subject: str, body: str, token: str
) -> EventMessage:
    """Email ``audience`` of ``event`` the organiser's ``subject`` and ``body``: one
    outbox row per person (key ``event.message:<message>:<user>``, so nobody gets it
    twice), logged as an ``EventMessage`` with who sent it and the count. ``token`` comes
    from the confirmation form: the same token again (a double click, a resubmitted
    POST) returns the first message and sends nothing. Refused for an empty audience.
    One transaction (``bulk_message_send``)."""
    return bulk_message_send(
        kind=EVENT_MESSAGE,
        parent=event,
        actor=actor,
        audience=audience,
        subject=subject,
        body=body,
        token=token,
    )
