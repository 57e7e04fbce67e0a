"""Passing a place to a colleague (issue 18, item 5): the services, each refusal by its
code, the swap on accept (capacity unchanged, no promotion), expiry, and what other
booking services and erasure do to a pending offer."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from events import services, tasks
from events.models import Booking, BookingAnswer, Event, EventQuestion, PlaceTransfer
from talenthub.core.models import AuditLog, OutboundEmail
from talenthub.core.personal_data import erase_account, export_personal_data
from tests.factories import MemberFactory, OrganisationFactory
from tests.helpers import raises_code

from .factories import BookingFactory, EventFactory, PlaceTransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and its after-commit work (promotion task, email sending)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def keys():
    return sorted(OutboundEmail.objects.values_list("key", flat=True))


def audit_actions(transfer):
    return list(
        AuditLog.objects.filter(object_type="events.placetransfer", object_id=str(transfer.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def colleagues(policy=Event.TransferPolicy.ORGANISATION, **event_fields):
    """A holder with a confirmed place, and a colleague at the same organisation."""
    organisation = OrganisationFactory()
    event = EventFactory(transfer_policy=policy, **event_fields)
    holder = MemberFactory(profile__organisation=organisation)
    colleague = MemberFactory(profile__organisation=organisation)
    booking = BookingFactory(event=event, member=holder)
    return event, booking, holder, colleague


def offer(booking, holder, colleague, **kwargs):
    return services.place_transfer_offer(
        booking=booking, holder=holder, email=colleague.email, **kwargs
    )


# --- offering ------------------------------------------------------------------------------


def test_an_offer_is_pending_emailed_once_and_audited():
    event, booking, holder, colleague = colleagues()
    transfer = services.place_transfer_offer(
        booking=booking, holder=holder, email=f"  {colleague.email.upper()} "
    )
    assert transfer.status == PlaceTransfer.Status.PENDING
    assert transfer.recipient == colleague
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED  # still the holder's until accepted
    assert keys() == [f"event.transfer-offered:{transfer.pk}:pending"]
    email = OutboundEmail.objects.get()
    assert email.recipient == colleague
    assert f"/events/transfers/{transfer.pk}/" in email.body_text
    assert audit_actions(transfer) == ["transfer.offered"]


def test_an_offer_lapses_after_the_offer_hours_or_at_the_start_whichever_first(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "TRANSFER_OFFER_HOURS": 48}
    now = timezone.now()
    _event, booking, holder, colleague = colleagues(
        starts_at=now + timedelta(days=10), booking_closes_at=now + timedelta(days=9)
    )
    assert offer(booking, holder, colleague, now=now).expires_at == now + timedelta(hours=48)
    soon = now + timedelta(hours=20)
    _event, booking, holder, colleague = colleagues(
        starts_at=soon, booking_closes_at=now + timedelta(hours=1)
    )
    assert offer(booking, holder, colleague, now=now).expires_at == soon


def test_transfers_are_allowed_after_booking_closes_until_the_event_starts():
    now = timezone.now()
    _event, booking, holder, colleague = colleagues(
        starts_at=now + timedelta(hours=5), booking_closes_at=now - timedelta(hours=1)
    )
    assert offer(booking, holder, colleague).status == PlaceTransfer.Status.PENDING


def test_refused_when_the_organiser_allows_no_transfers():
    _event, booking, holder, colleague = colleagues(policy=Event.TransferPolicy.OFF)
    with raises_code(services.BookingError, "transfers_off"):
        offer(booking, holder, colleague)
    assert not PlaceTransfer.objects.exists()


def test_the_default_is_no_transfers():
    assert EventFactory().transfer_policy == Event.TransferPolicy.OFF


@pytest.mark.parametrize("what", ["started", "cancelled"])
def test_refused_once_the_event_has_started_or_is_cancelled(what):
    event, booking, holder, colleague = colleagues()
    if what == "started":
        with (
            time_machine.travel(event.starts_at + timedelta(minutes=1)),
            raises_code(services.BookingError, "transfer_closed"),
        ):
            offer(booking, holder, colleague)
    else:
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
        with raises_code(services.BookingError, "transfer_closed"):
            offer(booking, holder, colleague)


@pytest.mark.parametrize("status", ["waiting", "offered", "cancelled"])
def test_refused_for_a_booking_that_is_not_a_confirmed_place(status):
    event, booking, holder, colleague = colleagues()
    Booking.objects.filter(pk=booking.pk).update(
        status=status,
        confirmed_at=None,
        offer_expires_at=timezone.now() + timedelta(hours=1) if status == "offered" else None,
    )
    with raises_code(services.BookingError, "transfer_not_confirmed"):
        offer(booking, holder, colleague)


def test_refused_to_yourself():
    _event, booking, holder, _colleague = colleagues()
    with raises_code(services.BookingError, "transfer_to_self") as info:
        offer(booking, holder, holder)
    assert "email" in info.value.field_errors  # shown next to the address field


@pytest.mark.parametrize("how", ["unknown", "deactivated"])
def test_refused_to_an_address_with_no_active_member(how):
    _event, booking, holder, colleague = colleagues(policy=Event.TransferPolicy.ANYONE)
    if how == "deactivated":
        colleague.is_active = False
        colleague.save(update_fields=["is_active"])
        email = colleague.email
    else:
        email = "nobody@example.org"
    with raises_code(services.BookingError, "recipient_not_member"):
        services.place_transfer_offer(booking=booking, holder=holder, email=email)


def test_same_organisation_refuses_a_member_of_another_organisation():
    _event, booking, holder, _colleague = colleagues()
    stranger = MemberFactory()  # another organisation
    with raises_code(services.BookingError, "recipient_other_organisation"):
        offer(booking, holder, stranger)


def test_same_organisation_does_not_tell_which_addresses_have_accounts():
    """Under "same organisation", an outside address with an account and one without get
    the same words: the form is no way to learn who has a TalentHub account."""
    _event, booking, holder, _colleague = colleagues()
    stranger = MemberFactory()  # another organisation
    with raises_code(services.BookingError, "recipient_other_organisation") as outsider:
        offer(booking, holder, stranger)
    with raises_code(services.BookingError, "recipient_not_member") as unknown:
        services.place_transfer_offer(booking=booking, holder=holder, email="nobody@example.org")
    assert str(outsider.value.message) == str(unknown.value.message)
    assert outsider.value.field_errors == unknown.value.field_errors


def test_same_organisation_refuses_when_the_holder_has_no_organisation():
    _event, booking, holder, colleague = colleagues()
    holder.profile.organisation = None
    holder.profile.save(update_fields=["organisation"])
    colleague.profile.organisation = None
    colleague.profile.save(update_fields=["organisation"])
    with raises_code(services.BookingError, "recipient_other_organisation"):
        offer(booking, holder, colleague)


def test_anyone_allows_a_member_of_another_organisation():
    _event, booking, holder, _colleague = colleagues(policy=Event.TransferPolicy.ANYONE)
    stranger = MemberFactory()
    assert offer(booking, holder, stranger).recipient == stranger


@pytest.mark.parametrize("status", ["confirmed", "waiting"])
def test_refused_to_someone_who_already_holds_a_booking(status):
    event, booking, holder, colleague = colleagues()
    BookingFactory(event=event, member=colleague, status=status)
    with raises_code(services.BookingError, "recipient_already_booked"):
        offer(booking, holder, colleague)


def test_one_pending_offer_per_place():
    event, booking, holder, colleague = colleagues()
    offer(booking, holder, colleague)
    other = MemberFactory(profile__organisation=colleague.profile.organisation)
    with raises_code(services.BookingError, "transfer_pending"):
        offer(booking, holder, other)
    # The database refuses it too (partial unique constraint).
    with pytest.raises(IntegrityError):
        PlaceTransferFactory(booking=booking, recipient=other)


def test_a_lapsed_offer_the_sweep_has_not_reached_does_not_block_a_new_one():
    _event, booking, holder, colleague = colleagues()
    first = offer(booking, holder, colleague)
    later = first.expires_at + timedelta(minutes=1)
    second = offer(booking, holder, colleague, now=later)
    first.refresh_from_db()
    assert first.status == PlaceTransfer.Status.EXPIRED
    assert second.status == PlaceTransfer.Status.PENDING


def test_only_the_holder_can_offer_their_place():
    _event, booking, _holder, colleague = colleagues()
    with raises_code(services.BookingError, "not_your_booking"):
        offer(booking, colleague, MemberFactory())


def test_an_accepted_transfer_must_name_the_new_booking():
    transfer = PlaceTransferFactory()
    with pytest.raises(IntegrityError):
        PlaceTransfer.objects.filter(pk=transfer.pk).update(
            status=PlaceTransfer.Status.ACCEPTED, ended_at=timezone.now()
        )


# --- accepting -----------------------------------------------------------------------------


def test_accepting_swaps_the_place_without_the_waiting_list(commit):
    """Full event with someone waiting: the holder's booking ends, the colleague holds
    the place, places held stay at capacity and the person waiting is still waiting."""
    event, booking, holder, colleague = colleagues(capacity=1)
    waiting = BookingFactory(event=event, status=Booking.Status.WAITING)
    transfer = offer(booking, holder, colleague)
    new_booking = commit(services.place_transfer_accept, transfer=transfer, member=colleague)

    booking.refresh_from_db()
    waiting.refresh_from_db()
    transfer.refresh_from_db()
    assert booking.status == Booking.Status.TRANSFERRED
    assert booking.ended_at is not None
    assert new_booking.member == colleague
    assert new_booking.status == Booking.Status.CONFIRMED
    assert transfer.status == PlaceTransfer.Status.ACCEPTED
    assert transfer.new_booking == new_booking
    assert event.bookings.holding_place().count() == event.capacity == 1
    assert waiting.status == Booking.Status.WAITING
    assert keys() == sorted(
        [
            f"event.transfer-offered:{transfer.pk}:pending",
            f"event.transfer-holder:{transfer.pk}:accepted",
            f"event.transfer-recipient:{transfer.pk}:accepted",
        ]
    )
    assert audit_actions(transfer) == ["transfer.offered", "transfer.accepted"]


def _questions(event):
    access = EventQuestion.objects.create(
        event=event, order=1, text="Access needs?", kind="text", required=False
    )
    lunch = EventQuestion.objects.create(
        event=event,
        order=2,
        text="Lunch",
        kind="choice",
        options="Standard\nVegan",
        required=True,
    )
    return access, lunch


def test_the_colleague_answers_the_questions_themselves():
    event, booking, holder, colleague = colleagues()
    access, lunch = _questions(event)
    BookingAnswer.objects.create(booking=booking, question=access, text="Hearing loop")
    BookingAnswer.objects.create(booking=booking, question=lunch, text="Vegan")
    transfer = offer(booking, holder, colleague)
    new_booking = services.place_transfer_accept(
        transfer=transfer, member=colleague, answers={lunch.pk: "Standard"}
    )
    assert {a.question_id: a.text for a in new_booking.answers.all()} == {lunch.pk: "Standard"}


def test_a_required_question_left_unanswered_changes_nothing():
    event, booking, holder, colleague = colleagues()
    _access, lunch = _questions(event)
    transfer = offer(booking, holder, colleague)
    with raises_code(services.BookingError, "answers_invalid") as info:
        services.place_transfer_accept(transfer=transfer, member=colleague, answers={})
    assert f"question_{lunch.pk}" in info.value.field_errors
    booking.refresh_from_db()
    transfer.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert transfer.status == PlaceTransfer.Status.PENDING
    assert not event.bookings.filter(member=colleague).exists()


def test_only_the_named_colleague_can_accept():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    for someone in (holder, MemberFactory()):
        with raises_code(services.BookingError, "not_your_transfer"):
            services.place_transfer_accept(transfer=transfer, member=someone)


def test_an_expired_offer_cannot_be_accepted_even_before_the_sweep():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    with (
        time_machine.travel(transfer.expires_at + timedelta(seconds=1)),
        raises_code(services.BookingError, "transfer_expired"),
    ):
        services.place_transfer_accept(transfer=transfer, member=colleague)


def test_accept_rechecks_the_rules_the_colleague_booked_meanwhile():
    event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    BookingFactory(event=event, member=colleague, status=Booking.Status.WAITING)
    with raises_code(services.BookingError, "recipient_already_booked"):
        services.place_transfer_accept(transfer=transfer, member=colleague)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_accept_rechecks_the_rules_the_organiser_switched_transfers_off():
    event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    Event.objects.filter(pk=event.pk).update(transfer_policy=Event.TransferPolicy.OFF)
    with raises_code(services.BookingError, "transfers_off"):
        services.place_transfer_accept(transfer=transfer, member=colleague)


def test_a_declined_offer_cannot_then_be_accepted():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    services.place_transfer_decline(transfer=transfer, member=colleague)
    with raises_code(services.BookingError, "transfer_not_open"):
        services.place_transfer_accept(transfer=transfer, member=colleague)


# --- declining, withdrawing, the holder cancelling ----------------------------------------


def test_declining_keeps_the_place_with_the_holder_who_is_told():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    services.place_transfer_decline(transfer=transfer, member=colleague)
    transfer.refresh_from_db()
    booking.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.DECLINED
    assert booking.status == Booking.Status.CONFIRMED
    email = OutboundEmail.objects.get(key=f"event.transfer-holder:{transfer.pk}:declined")
    assert email.recipient == holder
    assert audit_actions(transfer) == ["transfer.offered", "transfer.declined"]
    with raises_code(services.BookingError, "not_your_transfer"):
        services.place_transfer_decline(transfer=transfer, member=holder)


def test_the_holder_withdraws_and_the_colleague_is_told():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    with raises_code(services.BookingError, "not_your_transfer"):
        services.place_transfer_withdraw(transfer=transfer, holder=colleague)
    services.place_transfer_withdraw(transfer=transfer, holder=holder)
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.WITHDRAWN
    email = OutboundEmail.objects.get(key=f"event.transfer-recipient:{transfer.pk}:withdrawn")
    assert email.recipient == colleague
    assert audit_actions(transfer) == ["transfer.offered", "transfer.withdrawn"]
    with raises_code(services.BookingError, "transfer_not_open"):
        services.place_transfer_withdraw(transfer=transfer, holder=holder)
    # The place can be offered again once the first offer has ended.
    assert offer(booking, holder, colleague).status == PlaceTransfer.Status.PENDING


def test_cancelling_the_place_ends_the_offer(commit):
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    commit(services.booking_cancel, booking=booking, actor=holder)
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.CANCELLED
    assert OutboundEmail.objects.filter(
        key=f"event.transfer-recipient:{transfer.pk}:cancelled", recipient=colleague
    ).exists()
    with raises_code(services.BookingError, "transfer_not_open"):
        services.place_transfer_accept(transfer=transfer, member=colleague)


def test_cancelling_the_event_ends_the_offer():
    event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    services.event_cancel(event=event, reason="Venue closed")
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.CANCELLED


# --- expiry -----------------------------------------------------------------------------


def test_expiry_ends_due_offers_once_and_leaves_others():
    _event, booking, holder, colleague = colleagues()
    due = offer(booking, holder, colleague)
    later = PlaceTransferFactory(expires_at=timezone.now() + timedelta(days=5))
    after = due.expires_at + timedelta(minutes=1)
    assert services.transfers_expire(now=after) == 1
    assert services.transfers_expire(now=after) == 0  # a second run finds nothing due
    due.refresh_from_db()
    later.refresh_from_db()
    booking.refresh_from_db()
    assert due.status == PlaceTransfer.Status.EXPIRED
    assert later.status == PlaceTransfer.Status.PENDING
    assert booking.status == Booking.Status.CONFIRMED
    assert OutboundEmail.objects.filter(key__contains=f":{due.pk}:expired").count() == 2
    assert audit_actions(due) == ["transfer.offered", "transfer.expired"]


def test_the_expiry_task_runs_twice_harmlessly():
    transfer = PlaceTransferFactory(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_transfers_task.run() == 1
    assert tasks.expire_transfers_task.run() == 0
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.EXPIRED
    assert OutboundEmail.objects.filter(key__contains=f":{transfer.pk}:expired").count() == 2


# --- personal data -------------------------------------------------------------------------


def test_transfers_are_in_both_peoples_data_export():
    _event, booking, holder, colleague = colleagues()
    offer(booking, holder, colleague)
    made = export_personal_data(holder)["sections"]["events"]["place_transfers"]
    received = export_personal_data(colleague)["sections"]["events"]["place_transfers"]
    assert [(t["direction"], t["status"]) for t in made] == [("offered", "pending")]
    assert [(t["direction"], t["status"]) for t in received] == [("received", "pending")]
    assert received[0]["other_party"] == holder.get_full_name()


def test_erasing_the_colleague_ends_offers_to_them_and_the_holder_keeps_the_place():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    erase_account(colleague)
    transfer.refresh_from_db()
    booking.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.CANCELLED
    assert booking.status == Booking.Status.CONFIRMED
    assert OutboundEmail.objects.filter(
        key=f"event.transfer-holder:{transfer.pk}:cancelled", recipient=holder
    ).exists()


def test_erasing_the_holder_ends_their_offers():
    _event, booking, holder, colleague = colleagues()
    transfer = offer(booking, holder, colleague)
    erase_account(holder)
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.CANCELLED
