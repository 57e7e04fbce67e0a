"""The e-bulletin: subscriptions, issues, their news items and the listings copied when
an issue is sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact


class BulletinSubscription(TimeStampedModel):
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulletin_subscriptions"
    )

    class Meta:
        ordering = ["compact", "user"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "user"], name="bulletinsubscription_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.compact}"


class Bulletin(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="bulletins")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["compact", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "number"], name="bulletin_number"),
            models.CheckConstraint(
                condition=Q(status="draft", sent_at__isnull=True)
                | Q(status="sent", sent_at__isnull=False),
                name="bulletin_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.compact} e-bulletin {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse(
            "compact:bulletin_detail", kwargs={"slug": self.compact.slug, "number": self.number}
        )


class NewsItem(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["bulletin", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "order"], name="newsitem_order"),
        ]

    def __str__(self):
        return self.title


class BulletinListing(models.Model):
    """One upcoming public meeting or good-practice event as an e-bulletin announced it.
    Copied once, when sending starts (``services.bulletin_send``), so every batch of
    emails and the archived issue show what subscribers were sent, whatever later
    happens to the meeting or event."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Good-practice event")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="listings")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    path = models.CharField(
        max_length=300, blank=True, help_text=_("Its page on this site when it was sent.")
    )

    class Meta:
        ordering = ["bulletin", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "order"], name="bulletinlisting_order"),
        ]

    def __str__(self):
        return f"{self.title}, {self.starts_at:%d %B %Y}"
