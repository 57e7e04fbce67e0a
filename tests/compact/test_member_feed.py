"""Group members' secret meeting feeds (issue 19, item 5): the token is stored only as
its digest and is the only key (a staff or superuser session gets nothing without it
and nothing more with it); the feed shows the private meetings of the groups the member
sits on; leaving the last group, deactivation and erasure revoke it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import selectors, services
from compact.exceptions import CompactError
from compact.models import GroupMembership, MeetingFeed
from talenthub.core.models import AuditLog
from talenthub.core.personal_data import erase_account, export_personal_data
from tests.compact.factories import GroupFactory, MeetingFactory, MembershipFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SOON = datetime.timedelta(days=10)


def feed_url(world, raw):
    return reverse("compact:member_meetings_feed", args=[world.compact.slug, raw])


@pytest.fixture
def meetings(world):
    """A private steering meeting (the member's group), a private meeting of a sub-group
    they do not sit on, and a public one of that sub-group."""
    subgroup = GroupFactory(
        compact=world.compact,
        name="Apprenticeships",
        kind="task_and_finish",
        priority=world.statement.priorities.get(),
        reports_to=world.steering,
    )
    soon = timezone.now() + SOON
    return {
        "steering": MeetingFactory(
            group=world.steering, starts_at=soon, place="Private steering room", is_public=False
        ),
        "other_private": MeetingFactory(
            group=subgroup, starts_at=soon, place="Private subgroup room", is_public=False
        ),
        "other_public": MeetingFactory(
            group=subgroup, starts_at=soon, place="Public subgroup hall", is_public=True
        ),
        "subgroup": subgroup,
    }


def test_the_token_is_stored_only_as_its_digest(world):
    feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    stored = MeetingFeed.objects.filter(pk=feed.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert feed.digest != raw and len(feed.digest) == 64 and raw.startswith(feed.hint)
    assert selectors.member_feed_by_token(compact=world.compact, raw=raw) == feed
    assert selectors.member_feed_by_token(compact=world.compact, raw=feed.digest) is None
    assert selectors.member_feed_by_token(compact=world.other, raw=raw) is None
    assert AuditLog.objects.filter(action="compact.member_feed_created", object_id=str(feed.pk))


def test_only_group_members_have_a_feed(world):
    for who in [world.secretariat, world.representative, world.org_member, world.outsider]:
        with pytest.raises(CompactError) as refused:
            services.member_feed_create(user=who, compact=world.compact)
        assert refused.value.code == "feed_not_a_group_member"
    assert not MeetingFeed.objects.exists()


def test_the_feed_shows_the_private_meetings_of_the_members_groups(client, world, meetings):
    _feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    body = client.get(feed_url(world, raw)).content.decode()
    assert "Private steering room" in body
    assert "Private subgroup room" not in body and "Public subgroup hall" not in body
    # Seated on the sub-group too: its meetings join the feed, private ones included.
    seat = MembershipFactory(
        group=meetings["subgroup"], person=world.steering_member, organisation=world.council
    )
    body = client.get(feed_url(world, raw)).content.decode()
    assert "Private subgroup room" in body and "Public subgroup hall" in body
    # Leaving the sub-group: its meetings drop out; the feed goes on (a seat remains).
    services.group_membership_end(
        membership=seat, ends_on=timezone.localdate() - datetime.timedelta(days=1), actor=None
    )
    GroupMembership.objects.filter(pk=seat.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    response = client.get(feed_url(world, raw))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Private steering room" in body and "Private subgroup room" not in body


def test_a_reset_stops_the_old_address(client, world):
    _old, old_raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    new, new_raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    assert client.get(feed_url(world, old_raw)).status_code == 404
    assert client.get(feed_url(world, new_raw)).status_code == 200
    assert MeetingFeed.objects.filter(revoked_at__isnull=True).get() == new
    assert AuditLog.objects.filter(action="compact.member_feed_reset", object_id=str(new.pk))
    services.member_feed_revoke(
        user=world.steering_member, compact=world.compact, actor=world.steering_member, reason=""
    )
    assert client.get(feed_url(world, new_raw)).status_code == 404


def test_leaving_the_last_group_revokes_the_feed(client, world):
    _feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    seat = GroupMembership.objects.get(group=world.steering, person=world.steering_member)
    services.group_membership_end(
        membership=seat, ends_on=timezone.localdate(), actor=world.secretariat
    )
    assert client.get(feed_url(world, raw)).status_code == 404
    assert AuditLog.objects.filter(action="compact.member_feed_revoked", actor=world.secretariat)


def test_a_withdrawal_that_ends_the_seats_revokes_the_feed(client, world):
    _feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    services.charter_signatory_withdraw(
        signature=world.charter.signatories.get(organisation=world.council),
        withdrawn_on=timezone.localdate(),
        actor=world.secretariat,
        end_seats=True,
    )
    assert client.get(feed_url(world, raw)).status_code == 404


def test_deactivation_revokes_the_feed_for_good(client, world):
    member = world.steering_member
    _feed, raw = services.member_feed_create(user=member, compact=world.compact)
    member.is_active = False
    member.save()
    assert client.get(feed_url(world, raw)).status_code == 404
    member.is_active = True
    member.save()
    assert client.get(feed_url(world, raw)).status_code == 404


def test_erasure_deletes_the_feed_and_the_export_holds_no_token(client, world):
    member = world.steering_member
    _feed, raw = services.member_feed_create(user=member, compact=world.compact)
    exported = str(export_personal_data(member))
    assert "meeting_feeds" in exported and raw not in exported
    erase_account(member)
    assert not MeetingFeed.objects.filter(user=member).exists()
    assert client.get(feed_url(world, raw)).status_code == 404


def test_a_staff_session_gets_nothing_from_a_members_feed(client, world, meetings, admin_user):
    """The earlier bug: a staff account read members' private calendar feeds. The token
    is the only key: without it a superuser gets a 404, with it no more than anyone."""
    _feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    anonymous_body = client.get(feed_url(world, raw)).content
    staff = MemberFactory(is_staff=True)
    for who in [admin_user, staff, world.secretariat]:
        client.force_login(who)
        for guess in ["", "x", raw[:-1], raw.upper(), MeetingFeed.objects.get().digest]:
            if guess:
                assert client.get(feed_url(world, guess)).status_code == 404, (who, guess)
        # Their own feed page shows nothing of anyone else's (no seat: 404).
        assert (
            client.get(reverse("compact:member_feed", args=[world.compact.slug])).status_code == 404
        )
        assert client.get(feed_url(world, raw)).content == anonymous_body
        # No admin page lists feeds (tests/core/test_admin.py keeps it out of the admin).
        assert client.get("/admin/compact/meetingfeed/").status_code in (302, 404)
    assert b"Private steering room" in anonymous_body


def test_the_feed_page(client, world, meetings):
    url = reverse("compact:member_feed", args=[world.compact.slug])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for who in [world.outsider, world.org_member, world.other_secretariat, world.secretariat]:
        client.force_login(who)
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"action": "create"}).status_code == 404, who
    assert not MeetingFeed.objects.exists()
    client.force_login(world.steering_member)
    assert "no feed address" in client.get(url).content.decode()
    response = client.post(url, {"action": "create"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    shown = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())[1]
    raw = shown.rsplit("/", 1)[1].removesuffix(".ics")
    assert raw not in client.get(url).content.decode()  # shown once
    client.logout()
    assert b"Private steering room" in client.get(feed_url(world, raw)).content
    client.force_login(world.steering_member)
    assert client.post(url, {"action": "revoke"}).status_code == 302
    assert client.get(feed_url(world, raw)).status_code == 404


def test_the_feed_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(15):
        group = GroupFactory(
            compact=world.compact,
            name=f"Group {n}",
            kind="task_and_finish",
            priority=world.statement.priorities.get(),
            reports_to=world.steering,
        )
        MembershipFactory(group=group, person=world.steering_member)
        MeetingFactory(group=group, starts_at=timezone.now() + SOON, is_public=False)
    _feed, raw = services.member_feed_create(user=world.steering_member, compact=world.compact)
    with django_assert_max_num_queries(4):
        response = client.get(feed_url(world, raw))
    assert response.content.decode().count("BEGIN:VEVENT") == 15
