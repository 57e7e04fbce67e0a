"""Meetings as iCalendar events: a meeting's .ics file and a group's subscribable feed.
The VCALENDAR wrapping and the response are core's (``talenthub.core.ical``), shared
with the events app."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Event as ICalEvent

from talenthub.core.ical import ical_document

from .models import Meeting

# Meetings have a start time only; calendars are given this length.
MEETING_LENGTH = datetime.timedelta(hours=2)


def meeting_vevent(meeting: Meeting) -> ICalEvent:
    """One VEVENT for ``meeting`` (its group and compact selected). A moved or cancelled
    meeting is CANCELLED, so a subscribed calendar drops it (the moved one's replacement
    is an event of its own); the sequence grows with every change."""
    vevent = ICalEvent()
    vevent.add("uid", f"compact-meeting-{meeting.pk}@talenthub")
    vevent.add("summary", f"{meeting.group.name}, {meeting.group.compact.name}")
    start = timezone.localtime(meeting.starts_at)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + MEETING_LENGTH)
    vevent.add("dtstamp", meeting.updated_at or timezone.now())
    vevent.add("sequence", int((meeting.updated_at or timezone.now()).timestamp()))
    vevent.add("location", meeting.place)
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    vevent.add("url", url)
    description = url
    if meeting.status in (Meeting.Status.MOVED, Meeting.Status.CANCELLED):
        vevent.add("status", "CANCELLED")
        description = f"{meeting.get_status_display()}: {meeting.status_reason}\n\n{url}"
    vevent.add("description", description)
    return vevent


def meetings_calendar(meetings, *, name: str) -> bytes:
    return ical_document(
        (meeting_vevent(meeting) for meeting in meetings),
        name=name,
        prodid="-//TalentHub//Compact meetings//EN",
    )
