"""Issue 18 leftovers on events: a member changes their answers to the booking questions
while the booking is live and before the event starts; an organiser resets the self
check-in code (audited; the old code stops working)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Booking, BookingAnswer, Event
from talenthub.core.models import AuditLog
from tests.factories import ManagerFactory, MemberFactory
from tests.helpers import raises_code

from .factories import BookingFactory, EventFactory, event_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    event = EventFactory(title="Leading with O'Neill's model")
    access, lunch, first = event_questions(event)
    booking = BookingFactory(event=event)
    BookingAnswer.objects.create(booking=booking, question=lunch, text="Standard")
    BookingAnswer.objects.create(booking=booking, question=first, text="yes")
    return booking, access, lunch, first


# --- answers: service --------------------------------------------------------------------


def _lunch(booking, lunch):
    return BookingAnswer.objects.get(booking=booking, question=lunch).text


def test_answers_are_changed_added_and_removed(booked):
    booking, access, lunch, first = booked
    member = booking.member
    answers = services.booking_answers_update(
        booking=booking,
        member=member,
        answers={access.pk: "Step-free access", lunch.pk: "Vegan", first.pk: "yes"},
    )
    assert [(a.question_id, a.text) for a in answers] == [
        (access.pk, "Step-free access"),
        (lunch.pk, "Vegan"),
        (first.pk, "yes"),
    ]
    kept = {lunch.pk: "Vegan", first.pk: "no"}
    services.booking_answers_update(booking=booking, member=member, answers=kept)
    assert dict(BookingAnswer.objects.values_list("question_id", "text")) == kept
    entries = AuditLog.objects.filter(action="booking.answers_changed")
    assert entries.count() == 2
    assert "Step-free" not in str(list(entries.values_list("data", flat=True)))
    # Nothing changed: nothing audited.
    services.booking_answers_update(booking=booking, member=member, answers=kept)
    assert entries.count() == 2


def test_answers_are_checked_as_when_booking(booked):
    booking, _access, lunch, first = booked
    with raises_code(services.BookingError, "answers_invalid") as info:
        services.booking_answers_update(
            booking=booking, member=booking.member, answers={lunch.pk: "Pizza", first.pk: "yes"}
        )
    assert list(info.value.field_errors) == [f"question_{lunch.pk}"]
    with raises_code(services.BookingError, "answers_invalid"):
        services.booking_answers_update(booking=booking, member=booking.member, answers={})
    assert _lunch(booking, lunch) == "Standard"


def test_refused_once_the_event_starts_after_the_booking_ends_and_for_others(booked):
    booking, _access, lunch, first = booked
    answers = {lunch.pk: "Vegan", first.pk: "yes"}
    with raises_code(services.BookingError, "answers_not_yours"):
        services.booking_answers_update(booking=booking, member=MemberFactory(), answers=answers)
    started = booking.event.starts_at + timedelta(minutes=1)
    with raises_code(services.BookingError, "answers_event_started"):
        services.booking_answers_update(
            booking=booking, member=booking.member, answers=answers, now=started
        )
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    with raises_code(services.BookingError, "answers_booking_ended"):
        services.booking_answers_update(booking=booking, member=booking.member, answers=answers)
    assert _lunch(booking, lunch) == "Standard"


def test_a_waiting_list_entry_may_change_its_answers(booked):
    _booking, _access, lunch, first = booked
    waiting = BookingFactory(event=lunch.event, status=Booking.Status.WAITING)
    services.booking_answers_update(
        booking=waiting, member=waiting.member, answers={lunch.pk: "Vegan", first.pk: "no"}
    )
    assert _lunch(waiting, lunch) == "Vegan"


# --- answers: pages ----------------------------------------------------------------------


def test_the_member_changes_answers_from_the_event_page(client, booked):
    booking, access, lunch, first = booked
    client.force_login(booking.member)
    page = client.get(booking.event.get_absolute_url()).content.decode()
    url = reverse("events:booking_answers", args=[booking.pk])
    assert url in page and "Change your answers" in page
    form = client.get(url)
    assert form.status_code == 200 and 'value="Standard" checked' in form.content.decode()
    response = client.post(url, {f"question_{lunch.pk}": "Pizza", f"question_{first.pk}": "yes"})
    assert response.status_code == 200
    assert "Select one of the options for “Lunch”" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        url,
        {
            f"question_{lunch.pk}": "Vegetarian",
            f"question_{access.pk}": "Hearing loop",
            f"question_{first.pk}": "no",
        },
    )
    assert response.status_code == 302 and response["Location"] == booking.event.get_absolute_url()
    assert dict(BookingAnswer.objects.values_list("question_id", "text")) == {
        access.pk: "Hearing loop",
        lunch.pk: "Vegetarian",
        first.pk: "no",
    }


def test_nobody_else_changes_them_and_not_after_the_start(client, booked):
    booking, _access, lunch, first = booked
    url = reverse("events:booking_answers", args=[booking.pk])
    data = {f"question_{lunch.pk}": "Vegan", f"question_{first.pk}": "no"}
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(booking.member)
    Event.objects.filter(pk=booking.event.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    response = client.post(url, data, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Change your answers" not in response.content.decode()
    assert _lunch(booking, lunch) == "Standard"


# --- the self check-in code --------------------------------------------------------------


def test_reset_code_the_old_one_stops_working_and_it_is_audited(manager):
    booking = BookingFactory()
    event = booking.event
    old = event.checkin_code
    event = services.event_checkin_code_reset(event=event, actor=manager)
    assert event.checkin_code != old
    assert Event.objects.get(pk=event.pk).checkin_code == event.checkin_code
    entry = AuditLog.objects.get(action="event.checkin_code_reset")
    assert entry.actor == manager and old not in str(entry.data)
    day = event.starts_at
    with raises_code(services.BookingError, "checkin_wrong_code"):
        services.booking_self_check_in(event=event, member=booking.member, code=old, now=day)
    services.booking_self_check_in(
        event=event, member=booking.member, code=event.checkin_code, now=day
    )
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"


def test_reset_is_refused_for_a_cancelled_event(manager):
    event = EventFactory(status=Event.Status.CANCELLED)
    old = event.checkin_code
    with raises_code(services.BookingError, "event_cancelled"):
        services.event_checkin_code_reset(event=event, actor=manager)
    assert Event.objects.get(pk=event.pk).checkin_code == old


def test_the_door_list_resets_the_code_for_its_organisers_only(client, manager, provider, member):
    now = timezone.now()
    event = EventFactory(
        organiser=provider,
        starts_at=now,
        booking_opens_at=now - timedelta(days=3),
        booking_closes_at=now - timedelta(hours=1),
    )
    old = event.checkin_code
    url = reverse("events:checkin_code_reset", args=[event.slug])
    client.force_login(ManagerFactory())  # another provider's manager
    assert client.post(url).status_code == 404
    client.force_login(member)
    assert client.post(url).status_code == 403
    assert Event.objects.get(pk=event.pk).checkin_code == old
    client.force_login(manager)
    door = client.get(reverse("events:door_list", args=[event.slug])).content.decode()
    assert url in door and "Reset the code" in door
    response = client.post(url, follow=True)
    new = Event.objects.get(pk=event.pk).checkin_code
    assert new != old
    page = response.content.decode()
    assert new in page and old not in page
