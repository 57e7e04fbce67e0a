"""A member's meeting feed: found by its token only, and the meetings it shows."""

import datetime

from django.db.models import Q
from django.utils import timezone

from talenthub.core.tokens import secret_token_digest

from ..models import Compact, GroupMembership, Meeting, MeetingFeed


def member_seats(*, user, compact: Compact, on: datetime.date | None = None):
    """The user's seats on the compact's groups on ``on`` (today)."""
    on = on or timezone.localdate()
    return (
        GroupMembership.objects.current(on)
        .filter(group__compact=compact, person=user)
        .select_related("group")
    )


def member_feed_live(*, user, compact: Compact) -> MeetingFeed | None:
    return MeetingFeed.objects.filter(user=user, compact=compact, revoked_at__isnull=True).first()


def member_feed_by_token(*, compact: Compact, raw: str) -> MeetingFeed | None:
    """The live feed whose token is ``raw``, of an active account, for this compact; None
    otherwise. The token is the only key: who is signed in plays no part."""
    return (
        MeetingFeed.objects.filter(
            digest=secret_token_digest(raw),
            compact=compact,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "compact")
        .first()
    )


def member_feed_meetings(*, feed: MeetingFeed, on: datetime.date | None = None):
    """The meetings of the groups the feed's owner sits on today (private ones too), from
    a year ago on, soonest first: worked out at each read, so a group they have left
    drops out at once."""
    on = on or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=365)
    groups = (
        GroupMembership.objects.current(on)
        .filter(person_id=feed.user_id, group__compact_id=feed.compact_id)
        .values("group_id")
    )
    return (
        Meeting.objects.filter(group_id__in=groups, starts_at__gte=since)
        .filter(Q(group__compact_id=feed.compact_id))
        .select_related("group__compact")
        .order_by("starts_at")
    )
