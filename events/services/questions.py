"""Booking questions: the answers a member gives when booking an event. The questions
themselves are the organiser's (``EventQuestion``, edited inline on the event in the
admin); how a question is asked and an answer checked is shared with the cohorts'
application questions (``talenthub.core.questions``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.questions import clean_answers
from talenthub.core.services import audit_record

from ..exceptions import BookingError
from ..models import Booking, BookingAnswer, Event
from .bookings import _lock_booking, booking_create


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


def booking_answers_refusal(booking: Booking, now=None) -> BookingError | None:
    """Why the member cannot change their answers now (the error
    ``booking_answers_update`` would raise), or None: the booking must be live (a place,
    an offer or a waiting-list entry) on a published event with questions that has not
    started."""
    now = now or timezone.now()
    event = booking.event
    if not booking.is_active:
        return BookingError(_("This booking has ended."), code="answers_booking_ended")
    if event.status != Event.Status.PUBLISHED or event.has_started(now):
        return BookingError(
            _("Answers can be changed until the event starts."), code="answers_event_started"
        )
    return None


@transaction.atomic
def booking_answers_update(
    *, booking: Booking, member, answers: dict[int, str], now=None
) -> list[BookingAnswer]:
    """The member changes their answers to the event's questions while their booking is
    live and before the event starts: every question is checked again as when booking
    (``answers_invalid`` with field errors), a blank optional answer removes the old one.
    Under the event's lock (as booking and cancelling), so an answer is never changed on
    a booking being cancelled. Audited with the questions changed, not the answers
    (access and dietary needs are the person's)."""
    if booking.member_id != member.pk:
        raise BookingError(_("This is not your booking."), code="answers_not_yours")
    event, booking = _lock_booking(booking.pk)
    booking.event = event
    refusal = booking_answers_refusal(booking, now)
    if refusal:
        raise refusal
    cleaned = booking_answers_check(event=event, answers=answers)
    existing = {a.question_id: a for a in BookingAnswer.objects.filter(booking=booking)}
    changed = []
    for question_id, text in cleaned.items():
        answer = existing.get(question_id)
        if not text:
            if answer is not None:
                answer.delete()
                changed.append(question_id)
        elif answer is None:
            BookingAnswer.objects.create(booking=booking, question_id=question_id, text=text)
            changed.append(question_id)
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text", "updated_at"])
            changed.append(question_id)
    if changed:
        audit_record(
            actor=member, action="booking.answers_changed", obj=booking, data={"questions": changed}
        )
    return list(
        BookingAnswer.objects.filter(booking=booking)
        .select_related("question")
        .order_by("question__order", "question_id")
    )
