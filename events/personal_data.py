"""The events section of a member's personal data (see ``talenthub.core.personal_data``).
Registered by ``EventsConfig.ready()``.

Erasure keeps every booking row, so attendance counts, waiting-list history and the
capacity accounting stay correct. The member's *active* entries on events that have not
started (a place, an offer or a waiting-list entry), and any open offer, are cancelled
through ``booking_cancel``, so a freed place goes to the next person in line with the
usual guarantees (event lock, queue order, one email each). The cancellation email that
service queues for the deleted member is never sent, and their calendar feed is deleted.
Offers to pass a place on (``PlaceTransfer``) are exported, made and received; on erasure
pending offers to the member end (``transfers_received_cancel``) and those they made end
with their cancelled bookings; the rows stay as the place's history.
"""

from django.db.models import Q
from django.utils import timezone

from talenthub.core import personal_data

ERASED_REASON = "Account deleted"


def export_events(user) -> dict:
    from .models import Booking, BookingOpensAlert, CalendarFeed, PlaceTransfer
    from .services import waiting_position

    bookings = (
        Booking.objects.filter(member=user)
        .select_related("event")
        .prefetch_related("answers__question")
        .order_by("event__starts_at", "joined_at", "pk")
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    transfers = (
        PlaceTransfer.objects.filter(Q(booking__member=user) | Q(recipient=user))
        .select_related("booking__event", "booking__member", "recipient")
        .order_by("created_at", "pk")
    )
    alerts = BookingOpensAlert.objects.filter(member=user).select_related("event")
    return {
        "booking_opens_alerts": [
            {"event": a.event.title, "asked_at": a.created_at, "sent_at": a.sent_at}
            for a in alerts.order_by("created_at", "pk")
        ],
        "bookings": [
            {
                "event": b.event.title,
                "starts_at": b.event.starts_at,
                "ends_at": b.event.ends_at,
                "venue": b.event.venue,
                "status": b.status,
                "joined_at": b.joined_at,
                "priority": b.priority,
                "waiting_position": waiting_position(b),
                "confirmed_at": b.confirmed_at,
                "offers_made": b.offer_number,
                "offer_expires_at": b.offer_expires_at,
                "ended_at": b.ended_at,
                "end_reason": b.end_reason,
                "attendance": b.attendance,
                "answers": [
                    {"question": a.question.text, "answer": a.display} for a in b.answers.all()
                ],
                "cpd_hours": str(b.event.cpd_hours_awarded) if b.attendance == "attended" else "0",
            }
            for b in bookings
        ],
        # Offers to pass a place on, made or received; the other party by name only.
        "place_transfers": [
            {
                "event": t.booking.event.title,
                "direction": "offered" if t.booking.member_id == user.pk else "received",
                "other_party": (
                    t.recipient if t.booking.member_id == user.pk else t.booking.member
                ).get_full_name(),
                "status": t.status,
                "offered_at": t.created_at,
                "expires_at": t.expires_at,
                "ended_at": t.ended_at,
            }
            for t in transfers
        ],
        "calendar_feed": None
        if feed is None
        else {
            # The member's own secret: theirs to see (the feed page shows it to them too).
            "token": feed.token,
            "created_at": feed.created_at,
            "reset_at": feed.reset_at,
        },
    }


def erase_events(user) -> None:
    from talenthub.core.models import OutboundEmail

    from .models import Booking, BookingAnswer, BookingOpensAlert, CalendarFeed
    from .services import booking_cancel, transfers_received_cancel

    now = timezone.now()
    # Places offered to this person: the offers end (each holder keeps their place and
    # is told). Offers this person made end with their bookings, cancelled below.
    transfers_received_cancel(recipient=user, now=now)
    # Entries on events still to come; and an open offer on any event (otherwise the
    # expiry job would end it later and email the erased address). Places held on events
    # that have started stay as they are: attendance is recorded on them.
    active = Booking.objects.active().filter(
        Q(event__starts_at__gt=now) | Q(status=Booking.Status.OFFERED), member=user
    )
    cancelled = []
    for booking in active.order_by("pk"):
        # Through the service: it locks the event, frees the place and, after commit,
        # promotes the first person waiting (who is emailed as usual).
        cancelled.append(
            booking_cancel(
                booking=booking,
                actor=user,
                reason=ERASED_REASON,
                now=now,
                # Erasure waits for the lock: SET LOCAL would bound every later lock
                # wait of the whole erasure, and "busy" is no answer to a deletion.
                bounded_wait=False,
            )
        )
    # booking_cancel queued a "cancelled" email to the member: it must not go out. The
    # send task sends only pending rows, so marking them failed stops it.
    OutboundEmail.objects.filter(
        recipient=user,
        status=OutboundEmail.Status.PENDING,
        key__in=[f"booking.cancelled:{b.pk}" for b in cancelled],
    ).update(status=OutboundEmail.Status.FAILED, last_error="Not sent: the account was deleted.")
    # Free text about the person (a manager's reason for removing them) goes; the row,
    # its status and attendance stay.
    Booking.objects.filter(member=user).exclude(end_reason__in=["", ERASED_REASON]).update(
        end_reason="(erased)"
    )
    # Answers to booking questions (access and dietary needs among them) are the
    # person's words: blanked, the row kept so the booking's shape stays.
    BookingAnswer.objects.filter(booking__member=user).update(text="")
    CalendarFeed.objects.filter(user=user).delete()
    BookingOpensAlert.objects.filter(member=user).delete()


def register() -> None:
    personal_data.register("events", exporter=export_events, eraser=erase_events)
