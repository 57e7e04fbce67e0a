"""The transfer pages (issue 18, item 5): who may open them (anonymous → sign in, anyone
but the holder or the named colleague → 404), the happy paths, refusals shown as form
errors, and query counts that do not grow with bookings and offers."""

import pytest
from django.urls import reverse

from events.models import Booking, Event, EventQuestion, PlaceTransfer
from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory, OrganisationFactory

from .factories import BookingFactory, EventFactory, PlaceTransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    organisation = OrganisationFactory()
    event = EventFactory(transfer_policy=Event.TransferPolicy.ORGANISATION, capacity=5)
    holder = MemberFactory(profile__organisation=organisation)
    colleague = MemberFactory(profile__organisation=organisation)
    booking = BookingFactory(event=event, member=holder)
    return event, booking, holder, colleague


def test_anonymous_is_sent_to_sign_in(client, pair):
    _event, booking, _holder, _colleague = pair
    transfer = PlaceTransferFactory()
    for url in (
        reverse("events:transfer_offer", args=[booking.pk]),
        reverse("events:transfer_respond", args=[transfer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ("transfer_decline", "transfer_withdraw"):
        response = client.post(reverse(f"events:{name}", args=[transfer.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_the_holder_opens_the_offer_page_and_withdraws(client, pair):
    _event, booking, holder, colleague = pair
    transfer = PlaceTransferFactory(booking=booking, recipient=colleague)
    for someone in (colleague, MemberFactory()):
        client.force_login(someone)
        assert client.get(reverse("events:transfer_offer", args=[booking.pk])).status_code == 404
        response = client.post(reverse("events:transfer_withdraw", args=[transfer.pk]))
        assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.PENDING


def test_only_the_named_colleague_opens_accepts_or_declines(client, pair):
    _event, booking, holder, colleague = pair
    transfer = PlaceTransferFactory(booking=booking, recipient=colleague)
    for someone in (holder, MemberFactory()):
        client.force_login(someone)
        url = reverse("events:transfer_respond", args=[transfer.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        response = client.post(reverse("events:transfer_decline", args=[transfer.pk]))
        assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.PENDING


def test_holder_offers_then_withdraws(client, pair):
    event, booking, holder, colleague = pair
    client.force_login(holder)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:transfer_offer", args=[booking.pk]) in page
    url = reverse("events:transfer_offer", args=[booking.pk])
    response = client.post(url, {"email": colleague.email}, follow=True)
    assert response.status_code == 200
    transfer = PlaceTransfer.objects.get()
    assert transfer.recipient == colleague
    body = response.content.decode()
    assert "Withdraw the offer" in body and colleague.get_full_name() in body
    response = client.post(reverse("events:transfer_withdraw", args=[transfer.pk]), follow=True)
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.WITHDRAWN
    assert "Offer my place" in response.content.decode()


def test_a_refusal_is_a_form_error_on_the_address(client, pair):
    _event, booking, holder, _colleague = pair
    client.force_login(holder)
    url = reverse("events:transfer_offer", args=[booking.pk])
    response = client.post(url, {"email": MemberFactory().email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert "<title>Error: Pass your place" in response.content.decode()
    assert not PlaceTransfer.objects.exists()


def test_no_form_when_the_organiser_allows_no_transfers(client):
    event = EventFactory()  # transfers off by default
    booking = BookingFactory(event=event)
    client.force_login(booking.member)
    assert (
        reverse("events:transfer_offer", args=[booking.pk])
        not in client.get(event.get_absolute_url()).content.decode()
    )
    response = client.get(reverse("events:transfer_offer", args=[booking.pk]))
    assert response.status_code == 200
    assert response.context["can_offer"] is False
    assert 'name="email"' not in response.content.decode()


def test_colleague_accepts_answering_the_required_question(client, pair):
    event, booking, holder, colleague = pair
    lunch = EventQuestion.objects.create(
        event=event, order=1, text="Lunch", kind="choice", options="Standard\nVegan", required=True
    )
    transfer = PlaceTransferFactory(booking=booking, recipient=colleague)
    client.force_login(colleague)
    url = reverse("events:transfer_respond", args=[transfer.pk])
    page = client.get(url).content.decode()
    assert "Lunch" in page and "Accept the place" in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert "<title>Error: A place offered to you" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    response = client.post(url, {f"question_{lunch.pk}": "Vegan"})
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.TRANSFERRED
    mine = Booking.objects.get(event=event, member=colleague)
    assert mine.status == Booking.Status.CONFIRMED
    assert [a.text for a in mine.answers.all()] == ["Vegan"]


def test_colleague_declines(client, pair):
    _event, booking, holder, colleague = pair
    transfer = PlaceTransferFactory(booking=booking, recipient=colleague)
    client.force_login(colleague)
    response = client.post(reverse("events:transfer_decline", args=[transfer.pk]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == PlaceTransfer.Status.DECLINED
    assert OutboundEmail.objects.filter(recipient=holder).exists()
    page = client.get(reverse("events:transfer_respond", args=[transfer.pk])).content.decode()
    assert "no longer open" in page and "Accept the place" not in page


def test_my_bookings_shows_offers_made_and_received_in_constant_queries(
    client, django_assert_max_num_queries
):
    """Many bookings with offers made, many offers received: the query count is the same
    as with one of each (an N+1 on either list would show)."""
    organisation = OrganisationFactory()
    member = MemberFactory(profile__organisation=organisation)

    def add_rows(n):
        for _ in range(n):
            event = EventFactory(transfer_policy=Event.TransferPolicy.ANYONE)
            booking = BookingFactory(event=event, member=member)
            PlaceTransferFactory(booking=booking)
            PlaceTransferFactory(recipient=member)

    client.force_login(member)
    add_rows(1)
    client.get(reverse("events:my_bookings"))  # the calendar feed is made on first visit
    with django_assert_max_num_queries(50) as few:
        client.get(reverse("events:my_bookings"))
    add_rows(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:my_bookings"))
    body = response.content.decode()
    assert body.count("Offered to ") == 7
    assert body.count("offers you their place") == 7


def test_offer_and_respond_pages_in_constant_queries(client, pair, django_assert_max_num_queries):
    event, booking, holder, colleague = pair
    for order in range(1, 6):
        EventQuestion.objects.create(
            event=event, order=order, text=f"Q{order}", kind="text", required=False
        )
    BookingFactory.create_batch(4, event=event)
    transfer = PlaceTransferFactory(booking=booking, recipient=colleague)
    client.force_login(holder)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("events:transfer_offer", args=[booking.pk])).status_code == 200
    client.force_login(colleague)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:transfer_respond", args=[transfer.pk]))
    assert response.status_code == 200
