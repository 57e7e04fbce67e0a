"""Issue 18, items 1–3 on events: booking questions, "Email the attendees", check-in."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Booking, BookingAnswer, EventMessage, EventQuestion
from talenthub.core.models import AuditLog, OutboundEmail
from talenthub.core.personal_data import export_personal_data
from tests.factories import ManagerFactory, MemberFactory
from tests.helpers import raises_code

from .factories import BookingFactory, EventFactory, event_questions

pytestmark = pytest.mark.django_db


def _past_event(**kwargs):
    starts = timezone.now() - timedelta(days=2)
    return EventFactory(starts_at=starts, booking_opens_at=starts - timedelta(days=10), **kwargs)


_questions = event_questions


# --- questions: service ------------------------------------------------------------------


def test_answers_are_checked_before_anything_is_booked():
    event = EventFactory()
    access, diet, first = _questions(event)
    member = MemberFactory()
    with raises_code(services.BookingError, "answers_invalid") as info:
        services.booking_create_with_answers(
            event=event, member=member, answers={diet.pk: "Pescatarian", first.pk: ""}
        )
    assert set(info.value.field_errors) == {f"question_{diet.pk}", f"question_{first.pk}"}
    assert not Booking.objects.exists() and not BookingAnswer.objects.exists()


def test_answers_are_stored_with_the_booking():
    event = EventFactory()
    access, diet, first = _questions(event)
    booking = services.booking_create_with_answers(
        event=event,
        member=MemberFactory(),
        answers={access.pk: "  Step-free access  ", diet.pk: "Vegan", first.pk: "yes"},
    )
    stored = {a.question_id: a.display for a in booking.answers.all()}
    assert stored == {access.pk: "Step-free access", diet.pk: "Vegan", first.pk: "Yes"}


def test_a_refused_booking_stores_no_answers():
    event = EventFactory()
    _access, diet, first = _questions(event)
    member = MemberFactory()
    answers = {diet.pk: "Vegan", first.pk: "no"}
    services.booking_create_with_answers(event=event, member=member, answers=answers)
    with raises_code(services.BookingError, "already_booked"):
        services.booking_create_with_answers(event=event, member=member, answers=answers)
    assert BookingAnswer.objects.count() == 2


def test_a_choice_question_needs_options():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        EventQuestion.objects.create(event=EventFactory(), order=1, text="Lunch", kind="choice")


def test_answers_are_exported_and_erased_with_the_account():
    from talenthub.core.services import account_erase

    event = _past_event()
    access, *_ = _questions(event)
    booking = BookingFactory(event=event)
    BookingAnswer.objects.create(booking=booking, question=access, text="Hearing loop")
    exported = export_personal_data(booking.member)["sections"]["events"]["bookings"][0]["answers"]
    assert exported == [{"question": access.text, "answer": "Hearing loop"}]
    account_erase(user=booking.member)
    assert BookingAnswer.objects.get().text == ""


# --- questions: views and export ------------------------------------------------------


def test_member_answers_on_the_booking_form(client):
    event = EventFactory()
    access, diet, first = _questions(event)
    member = MemberFactory()
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Do you have any access needs? (optional)" in page and "Vegetarian" in page
    url = reverse("events:book", args=[event.slug])
    response = client.post(url, {f"question_{diet.pk}": "Vegan"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Select your answer to “Is this your first academy event”" in body
    assert "<title>Error:" in body
    assert not Booking.objects.exists()
    response = client.post(
        url,
        {f"question_{access.pk}": "Wheelchair user", f"question_{diet.pk}": "Vegan",
         f"question_{first.pk}": "yes"},
    )  # fmt: skip
    assert response.status_code == 302
    booking = Booking.objects.get(member=member)
    assert booking.answers.count() == 3
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Your answers" in page and "Wheelchair user" in page


def test_event_without_questions_books_as_before(client):
    event = EventFactory()
    client.force_login(MemberFactory())
    assert client.post(reverse("events:book", args=[event.slug])).status_code == 302
    assert Booking.objects.filter(event=event, status="confirmed").exists()


def test_attendee_export_has_a_column_per_question(client, manager, provider):
    event = EventFactory(organiser=provider)
    access, diet, first = _questions(event)
    booking = BookingFactory(event=event)
    BookingAnswer.objects.create(booking=booking, question=access, text="Hearing loop")
    BookingAnswer.objects.create(booking=booking, question=first, text="no")
    client.force_login(manager)
    response = client.post(
        "/admin/events/event/", {"action": "export_attendees", "_selected_action": [event.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == [access.text, diet.text, first.text]
    assert rows[1][-3:] == ["Hearing loop", "", "No"]


def test_organiser_sees_answers_on_the_booking_page(client, manager, provider):
    event = EventFactory(organiser=provider)
    access, *_ = _questions(event)
    booking = BookingFactory(event=event)
    BookingAnswer.objects.create(booking=booking, question=access, text="Hearing loop")
    client.force_login(manager)
    page = client.get(reverse("admin:events_booking_change", args=[booking.pk])).content
    assert b"Hearing loop" in page and b"Do you have any access needs?" in page
    other = ManagerFactory()
    client.force_login(other)
    response = client.get(reverse("admin:events_booking_change", args=[booking.pk]))
    assert response.status_code in (302, 404) and b"Hearing loop" not in response.content


def test_an_answered_question_cannot_be_deleted_in_the_admin(client, manager, provider):
    event = EventFactory(organiser=provider)
    access, *_ = _questions(event)
    BookingAnswer.objects.create(booking=BookingFactory(event=event), question=access, text="x")
    client.force_login(manager)
    url = reverse("admin:events_event_change", args=[event.pk])
    form = client.get(url).context["adminform"].form
    from tests.events.test_views import _event_form_data

    data = _event_form_data(event)
    data.update({"questions-TOTAL_FORMS": "3", "questions-INITIAL_FORMS": "3"})
    for i, question in enumerate(event.questions.order_by("order")):
        data.update(
            {
                f"questions-{i}-id": question.pk,
                f"questions-{i}-event": event.pk,
                f"questions-{i}-order": question.order,
                f"questions-{i}-kind": question.kind,
                f"questions-{i}-required": "on" if question.required else "",
                f"questions-{i}-text": question.text,
                f"questions-{i}-options": question.options,
            }
        )
    data["questions-0-DELETE"] = "on"
    assert form is not None
    response = client.post(url, data)
    assert response.status_code == 200
    # Django's own refusal for a PROTECTed relation, as a form error on the inline.
    assert "would require deleting the following protected" in response.content.decode()
    assert EventQuestion.objects.filter(pk=access.pk).exists()


# --- check-in ----------------------------------------------------------------------------


def test_check_in_only_from_the_day_of_the_event():
    manager = ManagerFactory()
    booking = BookingFactory()
    event = booking.event
    with raises_code(services.BookingError, "checkin_not_open"):
        services.booking_check_in(booking=booking, actor=manager)
    on_the_day = timezone.localtime(event.starts_at).replace(hour=7, minute=0)
    services.booking_check_in(booking=booking, actor=manager, now=on_the_day)
    services.booking_check_in(booking=booking, actor=manager, now=on_the_day)  # double tap
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"
    assert AuditLog.objects.filter(action="booking.checked_in").count() == 1


def test_only_confirmed_places_are_checked_in():
    booking = BookingFactory(status="waiting")
    with raises_code(services.BookingError, "attendance_not_confirmed"):
        services.booking_check_in(
            booking=booking, actor=ManagerFactory(), now=booking.event.starts_at
        )


def test_self_check_in_with_the_code_on_the_day():
    booking = BookingFactory()
    event = booking.event
    with raises_code(services.BookingError, "checkin_not_open"):
        services.booking_self_check_in(event=event, member=booking.member, code=event.checkin_code)
    day = event.starts_at
    with raises_code(services.BookingError, "checkin_wrong_code"):
        services.booking_self_check_in(event=event, member=booking.member, code="WRONG1", now=day)
    with raises_code(services.BookingError, "checkin_no_place"):
        services.booking_self_check_in(
            event=event, member=MemberFactory(), code=event.checkin_code, now=day
        )
    code = f" {event.checkin_code.lower()[:3]} {event.checkin_code.lower()[3:]} "
    services.booking_self_check_in(event=event, member=booking.member, code=code, now=day)
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"
    after = event.ends_at + timedelta(days=1)
    with raises_code(services.BookingError, "checkin_not_open"):
        services.booking_self_check_in(
            event=event, member=booking.member, code=event.checkin_code, now=after
        )


def test_no_show_is_derived_after_the_event():
    booking = BookingFactory()
    assert booking.attendance_derived() == ""
    assert booking.attendance_derived(booking.event.ends_at + timedelta(minutes=1)) == "no_show"
    booking.attendance = "attended"
    assert booking.attendance_derived(booking.event.ends_at + timedelta(days=1)) == "attended"


def test_each_event_has_its_own_check_in_code():
    assert EventFactory().checkin_code != EventFactory().checkin_code


def _today_event(provider, **kwargs):
    now = timezone.now()
    return EventFactory(
        organiser=provider,
        starts_at=now,
        booking_opens_at=now - timedelta(days=3),
        booking_closes_at=now - timedelta(hours=1),
        **kwargs,
    )


def test_door_list_search_and_one_button_check_in(
    client, manager, provider, django_assert_max_num_queries
):
    event = _today_event(provider, capacity=60)
    alice = BookingFactory(event=event, member=MemberFactory(full_name="Alice Adeyemi"))
    for i in range(40):
        BookingFactory(event=event, member=MemberFactory(full_name=f"Person {i:02}"))
    client.force_login(manager)
    url = reverse("events:door_list", args=[event.slug])
    client.get(url)  # warm the session and the user's groups
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "0 of 41 people with a place checked in" in page
    assert event.checkin_code in page and "Person 39" in page
    page = client.get(url, {"q": "adeyemi"}).content.decode()
    assert "Alice Adeyemi" in page and "Person 01" not in page
    check_in = reverse("events:check_in", args=[event.slug, alice.pk])
    response = client.post(check_in, {"q": "adeyemi", "page": "1"})
    assert response.status_code == 302 and "q=adeyemi" in response["Location"]
    assert Booking.objects.get(pk=alice.pk).attendance == "attended"
    assert "1 of 41" in client.get(url).content.decode()


def test_door_list_refuses_check_in_before_the_day(client, manager, provider):
    event = EventFactory(organiser=provider)
    booking = BookingFactory(event=event)
    client.force_login(manager)
    page = client.get(reverse("events:door_list", args=[event.slug])).content.decode()
    assert "Check-in opens on the day of the event" in page
    assert reverse("events:check_in", args=[event.slug, booking.pk]) not in page
    response = client.post(reverse("events:check_in", args=[event.slug, booking.pk]), follow=True)
    assert "Attendance can be recorded from the day of the event" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).attendance == ""


def test_door_list_empty_state(client, manager, provider):
    event = EventFactory(organiser=provider)
    client.force_login(manager)
    page = client.get(reverse("events:door_list", args=[event.slug])).content.decode()
    assert "Nobody has a place on this event yet." in page


def test_door_list_is_the_organisers_only(client, member, provider):
    event = _today_event(provider)
    booking = BookingFactory(event=event)
    other = ManagerFactory()
    client.force_login(other)
    assert client.get(reverse("events:door_list", args=[event.slug])).status_code == 404
    response = client.post(reverse("events:check_in", args=[event.slug, booking.pk]))
    assert response.status_code == 404
    client.force_login(member)
    assert client.get(reverse("events:door_list", args=[event.slug])).status_code == 403
    client.logout()
    assert client.get(reverse("events:door_list", args=[event.slug])).status_code == 302
    assert Booking.objects.get(pk=booking.pk).attendance == ""


def test_member_checks_in_on_the_event_page(client, provider):
    event = _today_event(provider)
    booking = BookingFactory(event=event)
    client.force_login(booking.member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'name="code"' in page
    url = reverse("events:self_check_in", args=[event.slug])
    response = client.post(url, {"code": "NOPE00"}, follow=True)
    assert "Enter the check-in code shown at the event" in response.content.decode()
    response = client.post(url, {"code": event.checkin_code}, follow=True)
    assert "You are checked in" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).attendance == "attended"


# --- email the attendees -----------------------------------------------------------------


def test_message_goes_once_to_each_person_in_the_audience(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    confirmed = [BookingFactory(event=event) for _ in range(2)]
    waiting = BookingFactory(event=event, status="waiting")
    manager = ManagerFactory(profile__organisation=event.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.event_message_send(
            event=event, actor=manager, audience="confirmed", subject="Parking",
            body="Use the O'Neill Road car park.", token="t1",
        )  # fmt: skip
    assert message.recipient_count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.member.email for b in confirmed)
    assert waiting.member.email not in [m.to[0] for m in mail.outbox]
    assert "Use the O'Neill Road car park." in mail.outbox[0].body
    # The same confirmation again: nothing more is sent or logged.
    again = services.event_message_send(
        event=event, actor=manager, audience="confirmed", subject="Parking", body="x", token="t1"
    )
    assert again.pk == message.pk and EventMessage.objects.count() == 1
    assert OutboundEmail.objects.filter(key__startswith="event.message:").count() == 2


def test_message_audiences_and_refusals():
    event = _past_event()
    attended = BookingFactory(event=event, attendance="attended")
    absent = BookingFactory(event=event)
    manager = ManagerFactory(profile__organisation=event.organiser)
    assert list(services.event_message_recipients(event, "attended")) == [attended.member]
    assert list(services.event_message_recipients(event, "not_attended")) == [absent.member]
    with raises_code(services.BookingError, "message_no_recipients"):
        services.event_message_send(
            event=event, actor=manager, audience="waiting", subject="s", body="b", token="t"
        )
    with raises_code(services.BookingError, "message_incomplete"):
        services.event_message_send(
            event=event, actor=manager, audience="attended", subject=" ", body="b", token="t"
        )


def test_email_the_attendees_page_previews_then_sends(
    client, manager, provider, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    event = EventFactory(organiser=provider)
    for _ in range(5):
        BookingFactory(event=event)
    client.force_login(manager)
    url = reverse("admin:events_event_email", args=[event.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    token = response.context["form"]["token"].value()
    data = {"audience": "confirmed", "subject": "Room change", "body": "We are in room 2.",
            "token": token}  # fmt: skip
    response = client.post(url, {**data, "preview": "1"})
    page = response.content.decode()
    assert "It will be emailed to 5 people" in page and "We are in room 2." in page
    assert not OutboundEmail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "send": "1"})
    assert response.status_code == 302
    assert len(mail.outbox) == 5
    client.post(url, {**data, "send": "1"})  # resubmitted: nothing more
    assert OutboundEmail.objects.count() == 5
    change = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "Room change" in change and "5 emails" in change


def test_email_page_refuses_empty_audience_as_a_form_error(client, manager, provider):
    event = EventFactory(organiser=provider)
    client.force_login(manager)
    url = reverse("admin:events_event_email", args=[event.pk])
    response = client.post(
        url,
        {"audience": "waiting", "subject": "s", "body": "b", "token": "tok", "send": "1"},
    )
    assert response.status_code == 200
    assert "Nobody is in this audience" in response.content.decode()
    assert not EventMessage.objects.exists()


def test_email_page_is_the_organisers_only(client, provider):
    event = EventFactory(organiser=provider)
    BookingFactory(event=event)
    client.force_login(ManagerFactory())
    url = reverse("admin:events_event_email", args=[event.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"audience": "confirmed", "subject": "s", "body": "b", "token": "t", "send": "1"}
    )
    assert response.status_code == 404 and not EventMessage.objects.exists()
