"""The events emails are plain text: names and titles with apostrophes, ampersands or
angle brackets come out as typed, not HTML-escaped ("O&#x27;Brien")."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from events import services
from talenthub.core.models import OutboundEmail
from talenthub.core.notifications import notify
from tests.factories import MemberFactory, ProviderFactory

from .factories import BookingFactory, EventFactory, PlaceTransferFactory

pytestmark = pytest.mark.django_db

TITLE = "Guy's & St Thomas' \"People Plan\" day <live>"
TRUST = "Guy's & St Thomas' NHS Foundation Trust"
HTML_ENTITIES = ("&#x27;", "&#39;", "&amp;", "&quot;", "&lt;", "&gt;")
EVENT_TEMPLATES = sorted(
    path.stem for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("events_*.txt")
)


def assert_plain(email: OutboundEmail):
    for text in (email.subject, email.body_text):
        assert not [entity for entity in HTML_ENTITIES if entity in text], text
    assert TITLE in email.subject + email.body_text


@pytest.fixture
def obrien():
    return MemberFactory(full_name="O'Brien")


@pytest.fixture
def event():
    return EventFactory(
        title=TITLE,
        summary='Tea & talk: "belonging" in Guy\'s',
        venue="Guy's & St Thomas' Hospital, Great Maze Pond",
        organiser=ProviderFactory(name=TRUST),
        promotion_policy="offer",
    )


def test_there_are_event_templates_to_check():
    assert len(EVENT_TEMPLATES) >= 10 and "events_offered" in EVENT_TEMPLATES


@pytest.mark.parametrize("template", EVENT_TEMPLATES)
@pytest.mark.parametrize("on_rerun", [False, True], ids=["event", "rerun"])
def test_every_events_email_is_plain_text(template, on_rerun, obrien, event):
    if on_rerun:
        original = event
        event = EventFactory(
            title=TITLE, rerun_of=original, starts_at=original.starts_at.replace(year=2099)
        )
        source = BookingFactory(event=original, member=obrien, status="waiting")
        booking = BookingFactory(
            event=event, member=obrien, status="offered", offer_number=1, rerun_source=source
        )
    else:
        booking = BookingFactory(
            event=event,
            member=obrien,
            status="offered",
            offer_number=1,
            end_reason="The speaker's train & the strike",
        )
    # The place-transfer emails: O'Brien's place offered to a colleague called O'Neill.
    transfer = PlaceTransferFactory(
        booking=booking, recipient=MemberFactory(full_name="Niamh O'Neill & Co")
    )
    email = notify(
        key=f"test:{template}",
        user=obrien,
        template=template,
        context={
            "transfer": transfer,
            "holder": obrien,
            "recipient": transfer.recipient,
            "has_questions": True,
            "booking": booking,
            "event": event,
            "position": 2,
            "days": 7,
            "by_manager": True,
            "changed": ["venue"],
            "reason": "The speaker's train & the strike",
        },
    )
    assert_plain(email)
    assert "Dear O'Brien," in email.body_text


def test_booking_and_waiting_emails_from_the_services_are_plain_text(
    obrien, event, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    # booking_create queues its email after commit (never under the event lock).
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, member=MemberFactory())
        booking = services.booking_create(event=event, member=obrien)
    email = OutboundEmail.objects.get(key=f"booking.waiting:{booking.pk}")
    assert_plain(email)
    assert email.subject.endswith(f"You are on the waiting list: {TITLE}")
    assert "Dear O'Brien," in email.body_text


def test_the_message_sent_is_plain_text(obrien, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, member=obrien)
    [message] = mail.outbox
    assert message.subject.endswith(f"Your place is booked: {TITLE}")
    assert "Guy's & St Thomas' Hospital" in message.body
    assert "&#x27;" not in message.subject + message.body
