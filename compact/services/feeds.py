"""Group members' secret meeting feeds: made (or reset) by the member, revoked by them,
on leaving their last group of the compact, on deactivation and on erasure. The token is
shown once and stored as its digest (``talenthub.core.tokens``, as the API's tokens)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.services import audit_record
from talenthub.core.tokens import secret_token_digest, secret_token_hint, secret_token_new

from .. import selectors
from ..exceptions import CompactError
from ..models import Compact, GroupMembership, MeetingFeed


@transaction.atomic
def member_feed_create(*, user, compact: Compact) -> tuple[MeetingFeed, str]:
    """A new secret feed address for a member of one of the compact's groups; the one
    they had stops working at once (a reset). Returns the feed and its token, which is
    not stored and cannot be shown again. Serialised per user (their row is locked), so
    two clicks leave one live feed."""
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if not selectors.member_seats(user=user, compact=compact).exists():
        raise CompactError(
            _("Only members of the compact's groups have a meeting feed."),
            code="feed_not_a_group_member",
        )
    resetting = _revoke(user=user, compact=compact)
    raw = secret_token_new()
    feed = MeetingFeed.objects.create(
        user=user, compact=compact, digest=secret_token_digest(raw), hint=secret_token_hint(raw)
    )
    audit_record(
        actor=user,
        action="compact.member_feed_reset" if resetting else "compact.member_feed_created",
        obj=feed,
    )
    return feed, raw


def _revoke(*, user, compact: Compact | None) -> int:
    feeds = MeetingFeed.objects.filter(user=user, revoked_at__isnull=True)
    if compact is not None:
        feeds = feeds.filter(compact=compact)
    return feeds.update(revoked_at=timezone.now())


@transaction.atomic
def member_feed_revoke(*, user, compact: Compact | None = None, actor, reason: str) -> int:
    """Revoke the user's live feed of ``compact`` (of every compact when None): its
    address stops working at once. Audited with the reason; returns how many."""
    revoked = _revoke(user=user, compact=compact)
    if revoked:
        audit_record(actor=actor, action="compact.member_feed_revoked", obj=user, reason=reason)
    return revoked


@transaction.atomic
def member_feed_revoke_if_seatless(
    *, person, compact: Compact, after: datetime.date, actor=None
) -> int:
    """Revoke the person's feed of ``compact`` when they hold no seat on its groups after
    ``after`` (their last seat ends that day): a member who has left keeps no key."""
    later = GroupMembership.objects.filter(group__compact=compact, person=person).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=after)
    )
    if later.exists():
        return 0
    return member_feed_revoke(
        user=person, compact=compact, actor=actor, reason="Left the compact's groups."
    )
