"""Booking questions: the answers a member gives when booking an event. The questions
themselves are the organiser's (``EventQuestion``, edited inline on the event in the
admin); how a question is asked and an answer checked is shared with the cohorts'
application questions (``talenthub.core.questions``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.questions import clean_answers

from ..exceptions import BookingError
from ..models import Booking, BookingAnswer, Event
from .bookings import booking_create


def booking_answers_check(*, event: Event, answers: dict[int, str]) -> dict[int, str]:
    """The answers to store for ``event``'s questions, or ``BookingError`` (code
    ``answers_invalid``) with each question's GOV.UK message as a field error
    (``question_<id>``). Reads only; no lock needed."""
    cleaned, errors = clean_answers(event.questions.all(), answers)
    if errors:
        raise BookingError(
            _("Check your answers to the event's questions."),
            code="answers_invalid",
            field_errors=errors,
            non_field_errors=[],
        )
    return cleaned


@transaction.atomic
def booking_create_with_answers(
    *, event: Event, member, answers: dict[int, str], now=None
) -> Booking:
    """``booking_create`` (same guarantees: capacity, one entry, queue order, one email)
    with the member's answers to the event's questions stored in the same transaction:
    a refused answer books nothing, a refused booking stores no answers. The answers are
    checked before the event is locked, so the lock is held no longer than without
    questions."""
    cleaned = booking_answers_check(event=event, answers=answers)
    booking = booking_create(event=event, member=member, now=now)
    BookingAnswer.objects.bulk_create(
        BookingAnswer(booking=booking, question_id=question_id, text=text)
        for question_id, text in cleaned.items()
        if text
    )
    return booking
