"""Private calendar feeds and the iCalendar documents for events."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Event as ICalEvent

from talenthub.core.ical import ical_document

from ..models import CalendarFeed, Event, _new_token


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_url(*, feed: CalendarFeed | None = None, token: str | None = None) -> str:
    """The secret address of ``feed`` (or of its ``token``; absolute, for calendar apps).
    For the member's own page only: whoever holds it reads the member's bookings and
    online links."""
    token = feed.token if feed is not None else token
    return settings.SITE_URL + reverse("events:calendar_feed", kwargs={"token": token})


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """Give the member a new secret feed token; the old feed URL stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = _new_token()
    feed.reset_at = timezone.now()
    feed.save(update_fields=["token", "reset_at", "updated_at"])
    return feed


def ical_event(event: Event, *, site_url: str, show_link: bool) -> ICalEvent:
    """One VEVENT. The online link goes in only for someone holding a place."""
    vevent = ICalEvent()
    vevent.add("uid", f"event-{event.pk}@talenthub")
    vevent.add("summary", event.title)
    # Local (Europe/London) times with a VTIMEZONE, so calendars show the event at the
    # wall-clock time it is advertised at, across the clock change.
    vevent.add("dtstart", timezone.localtime(event.starts_at))
    vevent.add("dtend", timezone.localtime(event.ends_at))
    vevent.add("dtstamp", event.updated_at or timezone.now())
    vevent.add("sequence", event.revision)
    url = f"{site_url}{event.get_absolute_url()}"
    vevent.add("url", url)
    location = event.venue or (event.online_link if show_link else "Online")
    vevent.add("location", location)
    description = event.summary
    if show_link and event.online_link:
        description += f"\n\nJoin online: {event.online_link}"
    vevent.add("description", f"{description}\n\n{url}")
    if event.status == Event.Status.CANCELLED:
        vevent.add("status", "CANCELLED")
    return vevent


def ical_calendar(events, *, site_url: str, name: str, links_for=frozenset()) -> bytes:
    """A VCALENDAR of ``events``; ``links_for`` holds the ids of events whose online link
    may be shown."""
    return ical_document(
        (ical_event(event, site_url=site_url, show_link=event.pk in links_for) for event in events),
        name=name,
        prodid="-//TalentHub//Events//EN",
    )
