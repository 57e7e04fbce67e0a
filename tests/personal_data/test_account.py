"""The whole account: every section in the download, erasure in one transaction, and the
delete page going through every app's eraser."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create
from compact.models import BulletinSubscription, CompactRole
from events.models import Booking, CalendarFeed
from events.services import booking_create, calendar_feed_get_or_create
from resources.models import CareerConversation
from talenthub.core import personal_data
from talenthub.core.models import User
from tests.compact.factories import CompactFactory, RoleFactory
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, MemberFactory
from tests.resources.factories import CareerConversationFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    "account",
    "alumni",
    "api",
    "cohorts",
    "compact",
    "equality_monitoring",
    "events",
    "programmes",
    "resources",
}


def give_records(user, *, event, compact, words):
    booking_create(event=event, member=user)
    calendar_feed_get_or_create(user=user)
    CareerConversationFactory(member=user, aspirations=words)
    RoleFactory(compact=compact, user=user)
    BulletinSubscription.objects.create(compact=compact, user=user)
    api_token_create(user=user, name=f"{words} token", scope="read", expires_in_days=30)


def test_every_app_registers_a_section():
    assert {s.name for s in personal_data.sections()} == SECTIONS


def test_download_has_every_section_and_nobody_else(client):
    me = MemberFactory(full_name="Alex Morgan")
    other = MemberFactory(full_name="Jordan Baker")
    event, compact = EventFactory(title="Growing for the future"), CompactFactory()
    give_records(me, event=event, compact=compact, words="Become a Head of HR")
    give_records(other, event=event, compact=compact, words="Lead an OD team")
    url = reverse("personal_data_download")
    assert client.get(url).status_code == 302

    client.force_login(me)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert set(data["sections"]) == SECTIONS
    sections = data["sections"]
    assert sections["events"]["bookings"][0]["event"] == "Growing for the future"
    assert sections["events"]["calendar_feed"]["token"] == me.calendar_feed.token
    conversation = sections["resources"]["career_conversations"][0]
    assert conversation["aspirations"] == "Become a Head of HR"
    assert sections["compact"]["roles"][0]["compact"] == compact.name
    token = ApiToken.objects.get(user=me)
    assert sections["api"]["access_tokens"][0]["starts_with"] == token.hint
    assert token.digest not in response.content.decode()
    body = response.content.decode()
    for theirs in (other.full_name, other.email, "Lead an OD team", other.calendar_feed.token):
        assert theirs not in body


def test_erase_account_is_one_transaction(monkeypatch, django_capture_on_commit_callbacks):
    """If any eraser fails, nothing is erased: no booking cancelled, no place given away,
    no record deleted, no email queued to be sent."""
    event = EventFactory(capacity=1)
    me, next_in_line = MemberFactory(full_name="Alex Morgan"), MemberFactory()
    give_records(me, event=event, compact=CompactFactory(), words="Become a Head of HR")
    booking_create(event=event, member=next_in_line)

    def fail(user):
        raise RuntimeError("disk full")

    # "aaa" sorts first, so it runs after every app's eraser and before the core one.
    monkeypatch.setitem(
        personal_data._sections,
        "aaa",
        personal_data.Section(name="aaa", exporter=lambda user: None, eraser=fail),
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        personal_data.erase_account(me)

    assert callbacks == []
    assert Booking.objects.get(member=me).status == Booking.Status.CONFIRMED
    assert Booking.objects.get(member=next_in_line).status == Booking.Status.WAITING
    assert CalendarFeed.objects.filter(user=me).exists()
    assert CareerConversation.objects.filter(member=me).exists()
    assert CompactRole.objects.filter(user=me).exists()
    me.refresh_from_db()
    assert me.full_name == "Alex Morgan" and me.is_active


def test_delete_page_erases_every_section(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    me, next_in_line = MemberFactory(), MemberFactory()
    give_records(me, event=event, compact=CompactFactory(), words="Become a Head of HR")
    booking_create(event=event, member=next_in_line)
    my_email = me.email
    mail.outbox.clear()
    client.force_login(me)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    me = User.objects.get(pk=me.pk)
    assert not me.is_active and me.full_name == ""
    assert Booking.objects.get(member=me).status == Booking.Status.CANCELLED
    assert Booking.objects.get(member=next_in_line).status == Booking.Status.CONFIRMED
    assert not CalendarFeed.objects.filter(user=me).exists()
    assert not CareerConversation.objects.filter(member=me).exists()
    assert not CompactRole.objects.filter(user=me).exists()
    assert not BulletinSubscription.objects.filter(user=me).exists()
    assert not ApiToken.objects.filter(user=me).exists()
    recipients = [address for message in mail.outbox for address in message.to]
    assert next_in_line.email in recipients and my_email not in recipients
    # Signed out: the download needs signing in again.
    assert client.get(reverse("personal_data_download")).status_code == 302
