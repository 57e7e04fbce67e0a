"""iCalendar documents, shared by every app that offers a calendar file or feed (events'
.ics and private feeds, compact meetings): one way to wrap events in a VCALENDAR with
their time zones, and one HTTP response for them. Each app builds its own VEVENTs."""

from django.http import HttpResponse
from icalendar import Calendar


def ical_document(vevents, *, name: str, prodid: str) -> bytes:
    """A VCALENDAR of ``vevents`` named ``name`` (shown by calendar apps), with a
    VTIMEZONE for every zone the events' local times use."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for vevent in vevents:
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_response(content: bytes, filename: str) -> HttpResponse:
    """An .ics download (a calendar app subscribing reads the same body)."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
