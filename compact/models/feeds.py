"""A group member's secret calendar feed of their groups' meetings, private ones
included. The token is the only key (calendar apps cannot sign in) and is stored only as
its digest (``talenthub.core.tokens``, as the API's tokens): nobody, staff included, can
read it back or open the feed without it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact


class MeetingFeed(TimeStampedModel):
    """One member's feed address for one compact. Reset makes a new row (the old one is
    revoked); leaving their last group, deactivation and erasure revoke it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feeds"
    )
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="meeting_feeds")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting feed")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "compact"],
                condition=Q(revoked_at__isnull=True),
                name="meetingfeed_one_live_per_member",
                violation_error_code="meetingfeed_one_live_per_member",
                violation_error_message=_("You already have a feed address for this compact."),
            ),
            models.CheckConstraint(
                condition=~Q(digest=""),
                name="meetingfeed_digest_set",
            ),
        ]

    def __str__(self):
        return f"Meeting feed of {self.user} ({self.compact})"

    # Deliberately no get_absolute_url(): the address holds the secret, which is not
    # stored; only the member sees it, once, when it is made.
