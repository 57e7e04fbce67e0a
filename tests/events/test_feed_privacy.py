"""A member's calendar feed address is a credential: no staff account reaches it through
the admin ("view on site", the change page) and no model with a secret has a public URL."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from compact import services as compact_services
from compact.models import CompactRole
from events.models import CalendarFeed
from events.services import calendar_feed_get_or_create, calendar_feed_url
from talenthub.core.permissions import INSIGHTS_ANALYSTS
from tests.compact.factories import CompactFactory
from tests.factories import ManagerFactory, MemberFactory, UserFactory
from tests.programmes.factories import FranchiseFactory, ProgrammeFactory

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


def _franchisee_manager():
    manager = ManagerFactory()
    FranchiseFactory(programme=ProgrammeFactory(), franchisee=manager.profile.organisation)
    return manager


def _analyst():
    analyst = MemberFactory(is_staff=True)
    analyst.groups.add(Group.objects.get_or_create(name=INSIGHTS_ANALYSTS)[0])
    return analyst


def _compact_secretariat():
    person = MemberFactory()
    compact_services.role_grant(
        compact=CompactFactory(), user=person, role=CompactRole.Role.SECRETARIAT
    )
    person.refresh_from_db()
    assert person.is_staff
    return person


STAFF = {
    "franchisee manager": _franchisee_manager,
    "analyst": _analyst,
    "compact secretariat": _compact_secretariat,
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
}


@pytest.fixture
def feed():
    member = MemberFactory()
    BookingFactory(event=EventFactory(title="Private coaching session"), member=member)
    return calendar_feed_get_or_create(user=member)


@pytest.mark.parametrize("kind", STAFF)
def test_view_on_site_does_not_lead_staff_to_a_members_feed(client, feed, kind):
    client.force_login(STAFF[kind]())
    content_type = ContentType.objects.get_for_model(CalendarFeed)
    response = client.get(f"/admin/r/{content_type.pk}/{feed.pk}/", follow=True)
    assert response.status_code == 404
    for _url, _status in response.redirect_chain:
        assert feed.token not in _url
    body = response.content.decode()
    assert feed.token not in body and "Private coaching session" not in body


def test_feed_admin_never_shows_the_token(admin_client, feed):
    for url in (
        "/admin/events/calendarfeed/",
        f"/admin/events/calendarfeed/{feed.pk}/change/",
        f"/admin/events/calendarfeed/{feed.pk}/history/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert feed.token not in response.content.decode(), url
    # Posting a token of one's choosing changes nothing.
    admin_client.post(f"/admin/events/calendarfeed/{feed.pk}/change/", {"token": "chosen-by-staff"})
    feed.refresh_from_db()
    assert feed.token != "chosen-by-staff"


def test_the_members_own_page_still_gives_the_feed_address(client, feed):
    client.force_login(feed.user)
    body = client.get("/events/my-bookings/").content.decode()
    assert calendar_feed_url(feed=feed) in body
    assert client.get(f"/events/calendar/{feed.token}.ics").status_code == 200


SECRET_NAMES = ("token", "secret", "password")  # (Action.code is a plan number: public)


def test_no_model_with_a_secret_field_has_a_public_url():
    """``/admin/r/<content type>/<id>/`` redirects any staff account to
    ``get_absolute_url()``: a model holding a credential must not have one."""
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if hasattr(model, "get_absolute_url")
        for field in model._meta.concrete_fields
        if any(name in field.name for name in SECRET_NAMES)
    ]
    assert offenders == []
