"""Meetings in calendars (issue 19, item 4): an .ics file per meeting and a subscribable
feed per group, through core's iCalendar wrapper (shared with events)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from compact import services
from tests.compact.factories import GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_meeting_ics_for_whoever_may_see_it(client, world):
    soon = timezone.now() + datetime.timedelta(days=9)
    public = MeetingFactory(
        group=world.steering, status="scheduled", starts_at=soon, is_public=True
    )
    private = MeetingFactory(group=world.steering, status="scheduled", starts_at=soon)
    url = lambda m: reverse("compact:meeting_ics", args=[world.compact.slug, m.pk])  # noqa: E731
    (vevent,) = _events(client.get(url(public)))
    assert str(vevent["location"]) == public.place
    assert vevent["uid"] == f"compact-meeting-{public.pk}@talenthub"
    assert client.get(url(private)).status_code == 404  # members only
    client.force_login(world.org_member)
    assert len(_events(client.get(url(private)))) == 1
    client.force_login(world.other_secretariat)
    assert client.get(url(private)).status_code == 404


def test_a_group_feed_lists_its_meetings_and_a_cancellation(client, world):
    soon = timezone.now() + datetime.timedelta(days=9)
    kept = MeetingFactory(group=world.steering, status="scheduled", starts_at=soon, is_public=True)
    dropped = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=soon + datetime.timedelta(days=30),
        is_public=True,
    )
    MeetingFactory(group=world.steering, status="scheduled", starts_at=soon)  # members only
    subgroup = GroupFactory(
        compact=world.compact,
        name="Apprenticeships",
        kind="task_and_finish",
        priority=world.statement.priorities.get(),
        reports_to=world.steering,
    )
    MeetingFactory(group=subgroup, is_public=True)
    services.meeting_cancel(meeting=dropped, reason="No business")
    url = reverse("compact:group_meetings_ics", args=[world.compact.slug, world.steering.pk])
    events = {str(e["uid"]): e for e in _events(client.get(url))}
    assert set(events) == {
        f"compact-meeting-{kept.pk}@talenthub",
        f"compact-meeting-{dropped.pk}@talenthub",
    }
    assert str(events[f"compact-meeting-{dropped.pk}@talenthub"]["status"]) == "CANCELLED"
    client.force_login(world.steering_member)
    assert len(_events(client.get(url))) == 3
    other_group = GroupFactory(compact=world.other, name="Steering Q")
    other = reverse("compact:group_meetings_ics", args=[world.compact.slug, other_group.pk])
    assert client.get(other).status_code == 404
