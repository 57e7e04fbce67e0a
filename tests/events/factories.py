"""Factories for events and bookings."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.models import Booking, CalendarFeed, Event, PeoplePlanTheme, PlaceTransfer
from tests.factories import MemberFactory, ProviderFactory


class EventFactory(DjangoModelFactory):
    """A published, bookable event two weeks ahead (booking open now)."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Development event {n}")
    slug = factory.Sequence(lambda n: f"development-event-{n}")
    organiser = factory.SubFactory(ProviderFactory)
    theme = PeoplePlanTheme.LOOKING_AFTER_OUR_PEOPLE
    summary = "A development event for HR and OD professionals."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue = "200 Aldersgate, London"
    capacity = 10
    booking_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    booking_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(hours=1))
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory)
    member = factory.SubFactory(MemberFactory)
    status = Booking.Status.CONFIRMED
    joined_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda o: o.joined_at if o.status == Booking.Status.CONFIRMED else None
    )
    offer_expires_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + timedelta(hours=48) if o.status == Booking.Status.OFFERED else None
        )
    )


class CalendarFeedFactory(DjangoModelFactory):
    """A member's private calendar feed (the token comes from the model's default)."""

    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(MemberFactory)


class PlaceTransferFactory(DjangoModelFactory):
    """A pending offer of a confirmed place on an event that allows transfers to anyone,
    to another member."""

    class Meta:
        model = PlaceTransfer

    booking = factory.SubFactory(
        BookingFactory,
        event=factory.SubFactory(EventFactory, transfer_policy=Event.TransferPolicy.ANYONE),
    )
    recipient = factory.SubFactory(MemberFactory)
    status = PlaceTransfer.Status.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))
