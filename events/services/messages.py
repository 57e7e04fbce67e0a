"""“Email the attendees”: an organiser's own subject and text to one audience of an event
(everyone with a place, the waiting list, those who attended, those who did not), through
the outbox, one email per person, logged as an ``EventMessage``."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils.translation import gettext as _

from talenthub.core.notifications import notify_many, progress_by_key_prefix
from talenthub.core.services import audit_record

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


def message_key_prefix(message: EventMessage) -> str:
    return f"event.message:{message.pk}:"


def event_message_progress(message: EventMessage) -> dict[str, int]:
    return progress_by_key_prefix(message_key_prefix(message))


def _context(event, audience, subject, body) -> dict:
    return {
        "event": event,
        "message_subject": subject.strip(),
        "message_body": body.strip(),
        "audience_reason": AUDIENCE_REASON[audience],
    }


def _check(subject: str, body: str) -> None:
    errors = {}
    if not subject.strip():
        errors["subject"] = [_("Enter a subject")]
    if not body.strip():
        errors["body"] = [_("Enter the message")]
    if errors:
        raise BookingError(
            _("Enter a subject and the message."),
            code="message_incomplete",
            field_errors=errors,
            non_field_errors=[],
        )


def event_message_preview(*, event: Event, audience: str, subject: str, body: str, viewer):
    """``(subject, text, count)``: the email as the first recipient will read it (as
    ``viewer`` when there is nobody), and how many people it will go to. Reads only."""
    _check(subject, body)
    recipients = event_message_recipients(event, audience)
    count = recipients.count()
    first = recipients.first() or viewer
    context = {**_context(event, audience, subject, body), "user": first}
    rendered = get_template(f"emails/{MESSAGE.template_name}.txt").render(context)
    preview_subject, _sep, text = rendered.lstrip().partition("\n")
    return preview_subject.strip(), text.strip(), count


@transaction.atomic
def event_message_send(
    *, event: Event, actor, audience: str, subject: str, body: str, token: str
) -> EventMessage:
    """Email ``audience`` of ``event`` the organiser's ``subject`` and ``body``: one
    outbox row per person (key ``event.message:<message>:<user>``, so nobody gets it
    twice), logged as an ``EventMessage`` with who sent it and the count. ``token`` comes
    from the confirmation form: the same token again (a double click, a resubmitted
    POST) returns the first message and sends nothing. Refused for an empty audience."""
    existing = EventMessage.objects.filter(token=token).first()
    if existing is not None:
        return existing
    _check(subject, body)
    recipients = list(
        event_message_recipients(event, audience).only("pk", "email", "full_name", "is_active")
    )
    if not recipients:
        raise BookingError(
            _("Nobody is in this audience: there is no one to email."),
            code="message_no_recipients",
        )
    try:
        with transaction.atomic():
            message = EventMessage.objects.create(
                event=event,
                sent_by=actor,
                audience=audience,
                subject=subject.strip()[:150],
                body=body.strip(),
                recipient_count=len(recipients),
                token=token,
            )
    except IntegrityError:
        # The same confirmation posted twice at once: the other request sends it.
        return EventMessage.objects.get(token=token)
    prefix = message_key_prefix(message)
    notify_many(
        template=MESSAGE.template_name,
        context=_context(event, audience, subject, body),
        recipients=[(f"{prefix}{user.pk}", user) for user in recipients],
    )
    audit_record(
        actor=actor,
        action="event.message_sent",
        obj=event,
        data={"message": message.pk, "audience": audience, "recipients": len(recipients)},
    )
    return message
