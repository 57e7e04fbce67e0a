from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Booking, Event
from talenthub.core.models import AuditLog
from tests.factories import MemberFactory, ProviderFactory

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_list_shows_published_upcoming_not_drafts(client):
    upcoming = EventFactory(title="Compassionate leadership")
    EventFactory(title="Secret draft", status="draft")
    EventFactory(
        title="Long ago",
        starts_at=timezone.now() - timedelta(days=30),
        booking_opens_at=timezone.now() - timedelta(days=60),
    )
    response = client.get("/events/")
    assert response.status_code == 200
    body = response.content.decode()
    assert upcoming.title in body
    assert "Secret draft" not in body and "Long ago" not in body
    past = client.get("/events/past/").content.decode()
    assert "Long ago" in past and upcoming.title not in past


def test_list_filters(client):
    full = EventFactory(title="Full event", capacity=1, theme="belonging_in_the_nhs")
    BookingFactory(event=full)
    online = EventFactory(title="Online event", venue="", online_link="https://meet.example/x")
    assert "Full event" not in client.get("/events/?has_places=on").content.decode()
    body = client.get("/events/?theme=belonging_in_the_nhs").content.decode()
    assert "Full event" in body and "Online event" not in body
    body = client.get("/events/?mode=online").content.decode()
    assert online.title in body and "Full event" not in body


def test_manager_sees_own_draft_only(client, manager, provider):
    EventFactory(title="Our draft", status="draft", organiser=provider)
    EventFactory(title="Their draft", status="draft", organiser=ProviderFactory())
    client.force_login(manager)
    body = client.get("/events/").content.decode()
    assert "Our draft" in body and "Their draft" not in body


def test_detail_draft_is_404_for_members(client, member):
    draft = EventFactory(status="draft")
    client.force_login(member)
    assert client.get(f"/events/{draft.slug}/").status_code == 404


def test_online_link_only_for_place_holders(client, member):
    event = EventFactory(venue="", online_link="https://meet.example/secret-room")
    assert "secret-room" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(member)
    BookingFactory(event=event, member=member, status="waiting")
    assert "secret-room" not in client.get(event.get_absolute_url()).content.decode()
    Booking.objects.filter(member=member).update(status="confirmed", confirmed_at=timezone.now())
    assert "secret-room" in client.get(event.get_absolute_url()).content.decode()
    assert b"secret-room" in client.get(f"/events/{event.slug}/event.ics").content


def test_book_requires_sign_in_then_books_or_waits(client, member):
    event = EventFactory(capacity=1)
    response = client.post(f"/events/{event.slug}/book/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    response = client.post(f"/events/{event.slug}/book/", follow=True)
    assert "Your place is booked" in response.content.decode()
    other = MemberFactory()
    client.force_login(other)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page
    response = client.post(f"/events/{event.slug}/book/", follow=True)
    assert "number 1 in line" in response.content.decode()
    # Booking twice is a clear message, not an error page.
    response = client.post(f"/events/{event.slug}/book/", follow=True)
    assert response.status_code == 200


def test_cancel_own_booking_only(client, member):
    booking = BookingFactory(member=member)
    someone_else = BookingFactory()
    client.force_login(member)
    assert client.get(f"/events/bookings/{someone_else.pk}/cancel/").status_code == 404
    assert client.post(f"/events/bookings/{someone_else.pk}/cancel/").status_code == 404
    assert client.get(f"/events/bookings/{booking.pk}/cancel/").status_code == 200
    response = client.post(f"/events/bookings/{booking.pk}/cancel/")
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_offer_page_accept_and_decline(client, member):
    event = EventFactory(capacity=2, promotion_policy="offer")
    offer = BookingFactory(event=event, member=member, status="offered", offer_number=1)
    other_offer = BookingFactory(event=event, status="offered", offer_number=1)
    client.force_login(member)
    assert client.get(f"/events/bookings/{other_offer.pk}/accept/").status_code == 404
    assert client.post(f"/events/bookings/{other_offer.pk}/decline/").status_code == 404
    page = client.get(f"/events/bookings/{offer.pk}/accept/").content.decode()
    assert "Accept the place" in page
    client.post(f"/events/bookings/{offer.pk}/accept/")
    assert Booking.objects.get(pk=offer.pk).status == "confirmed"
    # Accepting again is a message, not an error.
    response = client.post(f"/events/bookings/{offer.pk}/accept/", follow=True)
    assert "no longer open" in response.content.decode()


def test_my_bookings_shows_positions_and_offers(client, member):
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    now = timezone.now()
    BookingFactory(event=event, status="waiting", joined_at=now - timedelta(hours=2))
    BookingFactory(event=event, status="waiting", joined_at=now - timedelta(hours=1))
    BookingFactory(event=event, member=member, status="waiting", joined_at=now)
    offer_event = EventFactory(title="Offer event", promotion_policy="offer")
    BookingFactory(event=offer_event, member=member, status="offered", offer_number=1)
    assert client.get("/events/my-bookings/").status_code == 302
    client.force_login(member)
    body = client.get("/events/my-bookings/").content.decode()
    assert "You are 3rd in line" in body
    assert "Reply by" in body


def test_calendar_feed_by_token_and_reset(client, member):
    event = EventFactory(title="Feed event")
    BookingFactory(event=event, member=member)
    client.force_login(member)
    client.get("/events/my-bookings/")
    token = member.calendar_feed.token
    client.logout()
    response = client.get(f"/events/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"Feed event" in response.content
    assert client.get("/events/calendar/not-a-token.ics").status_code == 404
    client.force_login(member)
    client.post("/events/calendar/reset/")
    client.logout()
    assert client.get(f"/events/calendar/{token}.ics").status_code == 404


def test_event_ics_download(client):
    event = EventFactory(title="Belonging in the NHS masterclass")
    response = client.get(f"/events/{event.slug}/event.ics")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    from icalendar import Calendar

    calendar = Calendar.from_ical(response.content)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)


def test_demand_report_permissions_and_scope(client, member, manager, provider, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "EVENT_RERUN_WAITING_THRESHOLD": 2}
    ours = EventFactory(title="Our popular event", capacity=1, organiser=provider)
    theirs = EventFactory(title="Their popular event", capacity=1)
    quiet = EventFactory(title="Our quiet event", capacity=1, organiser=provider)
    for event in (ours, theirs):
        BookingFactory(event=event)
        BookingFactory.create_batch(3, event=event, status="waiting")
    BookingFactory(event=quiet, status="waiting")
    assert client.get("/events/manage/demand/").status_code == 302
    client.force_login(member)
    assert client.get("/events/manage/demand/").status_code == 403
    client.force_login(manager)
    body = client.get("/events/manage/demand/").content.decode()
    assert "Our popular event" in body
    assert "Their popular event" not in body and "Our quiet event" not in body


# Query counts: the same number of queries with 2x the rows.


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_constant(client, member, django_assert_max_num_queries):
    client.force_login(member)
    for _ in range(5):
        BookingFactory.create_batch(3, event=EventFactory(capacity=2))
    small = _queries(client, "/events/")
    for _ in range(10):
        BookingFactory.create_batch(3, event=EventFactory(capacity=2))
    assert _queries(client, "/events/") == small
    with django_assert_max_num_queries(12):
        client.get("/events/")


def test_detail_query_count_constant(client, member, django_assert_max_num_queries):
    event = EventFactory(capacity=5)
    BookingFactory.create_batch(5, event=event)
    BookingFactory(event=event, member=member, status="waiting")
    client.force_login(member)
    small = _queries(client, event.get_absolute_url())
    BookingFactory.create_batch(20, event=event, status="waiting")
    assert _queries(client, event.get_absolute_url()) == small
    with django_assert_max_num_queries(10):
        client.get(event.get_absolute_url())


def test_my_bookings_query_count_constant(client, member, django_assert_max_num_queries):
    client.force_login(member)
    for _ in range(3):
        event = EventFactory(capacity=1)
        BookingFactory(event=event)
        BookingFactory(event=event, member=member, status="waiting")
    client.get("/events/my-bookings/")  # the first visit creates the calendar feed
    small = _queries(client, "/events/my-bookings/")
    for _ in range(10):
        event = EventFactory(capacity=1)
        BookingFactory(event=event)
        BookingFactory(event=event, member=member, status="waiting")
    BookingFactory.create_batch(3, member=member, status="cancelled")
    assert _queries(client, "/events/my-bookings/") == small
    # Session, user, the feed's token with whether there are bookings and open offers of
    # places, the bookings, the waiting positions (the offers only when there are some).
    with django_assert_max_num_queries(5):
        client.get("/events/my-bookings/")


# Admin


def test_admin_scoped_to_managers_provider(client, manager, provider):
    EventFactory(title="Our event", organiser=provider)
    EventFactory(title="Their event")
    client.force_login(manager)
    body = client.get("/admin/events/event/").content.decode()
    assert "Our event" in body and "Their event" not in body


def test_admin_change_page_lists_bookings_in_order_with_audit(client, manager, provider):
    event = EventFactory(organiser=provider, capacity=1)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    client.force_login(manager)
    response = client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200
    assert "Bookings and waiting list, in order" in response.content.decode()
    # Changing priority without a reason is refused; with one it is audited.
    url = f"/admin/events/booking/{waiting.pk}/priority/"
    response = client.post(url, {"priority": 3, "reason": ""})
    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    response = client.post(url, {"priority": 3, "reason": "Redeployed"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=waiting.pk).priority == 3
    entry = AuditLog.objects.get(action="booking.priority_changed")
    assert entry.actor == manager and entry.reason == "Redeployed"
    page = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Redeployed" in page


def test_admin_other_providers_booking_is_404(client, manager):
    booking = BookingFactory()
    client.force_login(manager)
    response = client.get(f"/admin/events/booking/{booking.pk}/change/")
    assert response.status_code in (302, 404)
    assert "Booking" not in response.get("Location", "")


def test_admin_csv_export_and_cancel_action(
    client, manager, provider, django_capture_on_commit_callbacks
):
    event = EventFactory(organiser=provider)
    booking = BookingFactory(event=event, member=MemberFactory(full_name="Ada Okafor"))
    client.force_login(manager)
    response = client.post(
        "/admin/events/event/",
        {"action": "export_attendees", "_selected_action": [event.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Ada Okafor" in response.content.decode()
    # The action first asks for a reason.
    response = client.post(
        "/admin/events/event/", {"action": "cancel_events", "_selected_action": [event.pk]}
    )
    assert response.status_code == 200 and "Reason" in response.content.decode()
    assert Event.objects.get(pk=event.pk).status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/events/event/",
            {
                "action": "cancel_events",
                "_selected_action": [event.pk],
                "apply": "1",
                "reason": "The speaker is unwell.",
            },
        )
    assert Event.objects.get(pk=event.pk).status == "cancelled"
    from django.core import mail

    assert len(mail.outbox) == 1 and "The speaker is unwell." in mail.outbox[0].body
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_admin_publish_four_week_rule_message(client, manager, provider):
    event = EventFactory(
        organiser=provider, status="draft", starts_at=timezone.now() + timedelta(weeks=8)
    )
    client.force_login(manager)
    response = client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [event.pk], "apply": "1"},
        follow=True,
    )
    assert "no more than four weeks" in response.content.decode()
    assert Event.objects.get(pk=event.pk).status == "draft"
    client.post(
        "/admin/events/event/",
        {"action": "publish_override", "_selected_action": [event.pk], "apply": "1"},
    )
    assert Event.objects.get(pk=event.pk).status == "published"


def test_admin_mark_attendance(client, manager, provider):
    """From the day of the event only: the bulk action used to accept an event two weeks
    ahead (issue 18; this test's second half fails on the code before the fix)."""
    today = EventFactory(organiser=provider, starts_at=timezone.now())
    booking = BookingFactory(event=today)
    future = BookingFactory(event=EventFactory(organiser=provider))
    client.force_login(manager)
    client.post(
        "/admin/events/booking/",
        {"action": "mark_attended", "_selected_action": [booking.pk, future.pk]},
    )
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"
    assert Booking.objects.get(pk=future.pk).attendance == ""


def _event_form_data(event, **overrides):
    from django.utils import timezone as tz

    def dt(value):
        local = tz.localtime(value)
        return {"0": local.strftime("%Y-%m-%d"), "1": local.strftime("%H:%M:%S")}

    data = {
        "title": event.title,
        "slug": event.slug,
        "programme": "",
        "organiser": event.organiser_id,
        "theme": event.theme,
        "summary": event.summary,
        "description": event.description,
        "venue": event.venue,
        "online_link": event.online_link,
        "capacity": event.capacity,
        "promotion_policy": event.promotion_policy,
        "offer_hours": event.offer_hours,
        "transfer_policy": event.transfer_policy,
        "rerun_of": "",
        "change_reason": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "bookings-TOTAL_FORMS": "0",
        "bookings-INITIAL_FORMS": "0",
        "bookings-MIN_NUM_FORMS": "0",
        "bookings-MAX_NUM_FORMS": "0",
    }
    for name in ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at"):
        parts = dt(getattr(event, name))
        data[f"{name}_0"], data[f"{name}_1"] = parts["0"], parts["1"]
    data.update(overrides)
    return data


def test_admin_add_and_change_event_emails_holders_once(
    client, manager, provider, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(manager)
    assert client.get("/admin/events/event/add/").status_code == 200
    template = EventFactory.build(organiser=provider, slug="new-admin-event", title="New one")
    response = client.post("/admin/events/event/add/", _event_form_data(template))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="new-admin-event")
    assert event.status == "draft" and event.organiser == provider
    Event.objects.filter(pk=event.pk).update(status="published")
    event.refresh_from_db()
    booking = BookingFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/events/event/{event.pk}/change/",
            _event_form_data(event, venue="Guy's Hospital, London", change_reason="Room move"),
        )
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).venue == "Guy's Hospital, London"
    assert [m.to for m in mail.outbox] == [[booking.member.email]]
    assert AuditLog.objects.filter(action="event.changed", reason="Room move").exists()


def test_admin_move_in_waiting_list_and_create_rerun(client, manager, provider):
    event = EventFactory(organiser=provider, capacity=1)
    BookingFactory(event=event)
    now = timezone.now()
    queue = [
        BookingFactory(event=event, status="waiting", joined_at=now + timedelta(seconds=i))
        for i in range(3)
    ]
    client.force_login(manager)
    response = client.post(
        f"/admin/events/booking/{queue[2].pk}/move/", {"position": 1, "reason": "Presenting"}
    )
    assert response.status_code == 302
    assert list(event.bookings.waiting().in_queue_order()) == [queue[2], queue[0], queue[1]]
    client.post("/admin/events/event/", {"action": "create_rerun", "_selected_action": [event.pk]})
    rerun = Event.objects.get(rerun_of=event)
    assert rerun.status == "draft" and rerun.starts_at == event.starts_at + timedelta(weeks=4)


def test_admin_refuses_capacity_below_places_held(client, manager, provider):
    event = EventFactory(organiser=provider, capacity=3)
    BookingFactory.create_batch(2, event=event)
    client.force_login(manager)
    response = client.post(
        f"/admin/events/event/{event.pk}/change/", _event_form_data(event, capacity=1)
    )
    assert response.status_code == 200
    assert "Capacity cannot be below the 2 places" in response.content.decode()
    assert Event.objects.get(pk=event.pk).capacity == 3
