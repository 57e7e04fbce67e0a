"""Queries compiled once per process and run for each viewer (talenthub.core.compiled_once,
issue 16): each viewer gets what the ORM's own query gives them, and the ORM builds the
query once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists
from django.utils import timezone

from alumni.models import VIEWER_ROLES, _viewer_roles, is_alumnus
from alumni.moderation import moderation_permissions_of
from cohorts.models import Participant
from events.models import Booking, PlaceTransfer
from events.selectors import my_bookings_outline
from talenthub.core.compiled_once import CompiledOnce
from talenthub.core.models import User
from tests.alumni.factories import make_alumnus, make_moderator
from tests.cohorts.factories import CompletedParticipantFactory, ParticipantFactory
from tests.events.factories import BookingFactory, CalendarFeedFactory, PlaceTransferFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_viewer_roles_are_the_orms_for_every_viewer():
    """Alumnus or not, moderator through a group, directly or not at all: the compiled
    query answers as the ORM's query built for that viewer (seen failing with only the
    first place the viewer's id goes filled in: every moderator answered False)."""
    moderate = Permission.objects.get(codename="moderate_contributions")
    direct = MemberFactory()
    direct.user_permissions.add(moderate)
    other_group = Group.objects.create(name="Editors")
    other_group.permissions.add(Permission.objects.exclude(pk=moderate.pk).first())
    in_other_group = make_alumnus()
    in_other_group.groups.add(other_group)
    withdrawn = MemberFactory()
    ParticipantFactory(user=withdrawn, status=Participant.Status.WITHDRAWN)
    alumnus_moderator = make_moderator()
    CompletedParticipantFactory(user=alumnus_moderator)
    viewers = [
        MemberFactory(),
        make_alumnus(),
        make_moderator(),
        direct,
        in_other_group,
        withdrawn,
        alumnus_moderator,
    ]
    answers = {v.pk: tuple(map(bool, VIEWER_ROLES.first_row(v.pk))) for v in viewers}
    expected = {v.pk: (is_alumnus(v), moderation_permissions_of(v).exists()) for v in viewers}
    assert answers == expected
    assert sorted(answers.values()) == [
        (False, False),
        (False, False),
        (False, True),
        (False, True),
        (True, False),
        (True, False),
        (True, True),
    ]
    orm = {v.pk: tuple(_viewer_roles(v.pk).get()) for v in viewers}
    assert answers == orm
    assert VIEWER_ROLES.first_row(User.objects.order_by("-pk").first().pk + 1) is None


def test_the_outline_of_my_bookings_is_the_orms_for_every_member():
    """No feed yet; a feed and nothing else; bookings; an offer made; an offer received;
    an offer still pending past its deadline (counted: the page's list leaves it out)."""
    now = timezone.now()
    nobody = MemberFactory()
    bare, booked, offering, offered, lapsed = (CalendarFeedFactory().user for _ in range(5))
    BookingFactory(member=booked, status=Booking.Status.CANCELLED)
    transfer = PlaceTransferFactory(booking=BookingFactory(member=offering))
    PlaceTransferFactory(recipient=offered)
    PlaceTransferFactory(recipient=lapsed, expires_at=now - timedelta(hours=1))

    def orm(member):
        feed = getattr(member, "calendar_feed", None)
        if feed is None:
            return None
        pending = PlaceTransfer.objects.pending()
        return (
            feed.token,
            Booking.objects.filter(member=member).exists(),
            pending.filter(recipient=member).exists()
            or pending.filter(booking__member=member).exists(),
        )

    members = [nobody, bare, booked, offering, offered, lapsed, transfer.recipient]
    assert {m.pk: my_bookings_outline(m) for m in members} == {m.pk: orm(m) for m in members}
    assert my_bookings_outline(nobody) is None
    assert my_bookings_outline(bare)[1:] == (False, False)
    assert my_bookings_outline(offering)[1:] == (True, True)
    assert my_bookings_outline(lapsed)[1:] == (False, True)


def test_the_orm_builds_the_query_once_and_it_must_name_the_viewer(django_assert_num_queries):
    built = []

    def build(viewer_id):
        built.append(viewer_id)
        return User.objects.filter(pk=viewer_id).values_list(
            Exists(Booking.objects.filter(member=viewer_id))
        )

    query = CompiledOnce(build)
    first, second = MemberFactory(), MemberFactory()
    BookingFactory(member=second)
    with django_assert_num_queries(2):
        assert [bool(query.first_row(m.pk)[0]) for m in (first, second)] == [False, True]
    assert len(built) == 1
    unnamed = CompiledOnce(lambda viewer_id: User.objects.values_list("pk"))
    with pytest.raises(ValueError, match="does not name the viewer"):
        unnamed.first_row(first.pk)
