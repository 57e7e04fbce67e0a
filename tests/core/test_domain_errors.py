"""The one error shape: DomainError's codes and field errors, clean_or_raise, how a form
shows it, the view mixin's flash message, and named constraints told in plain words."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.test import RequestFactory

from events.exceptions import BookingError
from events.models import Event
from talenthub.core.exceptions import DomainError, clean_or_raise, constraint_error
from talenthub.core.view_mixins import DomainErrorFormMixin
from tests.helpers import raises_code


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_validation_error_keeps_its_fields_its_code_and_its_non_field_messages():
    exc = ValidationError(
        {
            "name": [ValidationError("Too long.", code="name_too_long")],
            NON_FIELD_ERRORS: [ValidationError("Pick another slot.", code="slot_taken")],
        }
    )
    error = BookingError.from_validation_error(exc)
    assert isinstance(error, DomainError)
    assert error.code == "name_too_long"
    assert error.field_errors == {"name": ["Too long."]}
    assert error.non_field_errors == ["Pick another slot."]
    assert BookingError.from_validation_error(exc, code="mine").code == "mine"
    # No code from Django: the class's own.
    assert BookingError.from_validation_error(ValidationError("Plain.")).code == "booking"


def test_a_form_shows_field_errors_by_their_field_and_the_rest_at_the_top_once():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    DomainError(
        "Name too long. Unknown field.",
        field_errors={"name": ["Name too long."], "elsewhere": ["Unknown field."]},
        non_field_errors=[],
    ).add_to_form(form)
    assert form.errors["name"] == ["Name too long."]
    assert form.non_field_errors() == ["Unknown field."]

    form = NameForm({"name": "Ada"})
    form.is_valid()
    DomainError("Booking for this event is closed.", code="booking_closed").add_to_form(form)
    assert form.non_field_errors() == ["Booking for this event is closed."]
    assert "name" not in form.errors


@pytest.mark.django_db
def test_clean_or_raise_turns_full_clean_into_the_apps_error():
    from tests.events.factories import EventFactory

    event = EventFactory.build(capacity=0)
    with raises_code(BookingError, "event_capacity_positive") as error:
        clean_or_raise(event, BookingError, exclude=["organiser", "programme", "rerun_of"])
    assert error.value.message == "An event needs at least one place."
    clean_or_raise(EventFactory(), BookingError)  # a valid object: nothing raised


def test_a_named_constraint_is_told_in_its_plain_message():
    exc = IntegrityError(
        'new row for relation "events_event" violates check constraint "event_ends_after_start"'
    )
    error = constraint_error(exc, [Event])
    assert error.code == "event_ends_after_start"
    assert error.message == "An event must end after it starts."
    # Any other integrity error is a fault, not a refusal.
    assert constraint_error(IntegrityError("disk full"), [Event]) is None


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_view_mixin_flashes_a_refusal_and_leaves_the_block():
    view = DomainErrorFormMixin()
    view.request = _request()
    reached = []

    def refuse():
        raise BookingError("This offer is no longer open.", code="offer_not_open")

    with view.domain_error_message() as refused:
        refuse()
        reached.append(True)
    assert refused and refused.error.code == "offer_not_open"
    assert reached == []  # the rest of the block was skipped
    assert [m.message for m in get_messages(view.request)] == ["This offer is no longer open."]
    with view.domain_error_message() as refused:
        pass
    assert not refused


def test_the_view_mixin_never_catches_a_fault():
    view = DomainErrorFormMixin()
    view.request = _request()
    with pytest.raises(RuntimeError), view.domain_error_message():
        raise RuntimeError("a bug")
    assert list(get_messages(view.request)) == []
