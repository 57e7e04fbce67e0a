"""The members' charter: dated versions, and the organisations that signed one (their
membership of the compact)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel

from .compacts import Compact


class CharterVersion(TimeStampedModel):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="charters")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    text = models.TextField()
    minimum_meetings_per_year = models.PositiveSmallIntegerField(default=2)
    minimum_membership_months = models.PositiveSmallIntegerField(default=12)

    class Meta:
        ordering = ["compact", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "starts_on"], name="charterversion_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="charterversion_period"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%Y}–{self.ends_on:%Y})"


class CharterSignatoryQuerySet(models.QuerySet):
    def current(self, on: datetime.date):
        """Member organisations on ``on``: signed, and not yet past renewal or withdrawal."""
        return self.filter(joined_on__lte=on, renewal_due_on__gte=on, withdrawn_on__isnull=True)


class CharterSignatory(TimeStampedModel):
    """An organisation's signature of one charter version: its membership of the compact."""

    charter = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="signatories"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="charter_signatures"
    )
    signatory_name = models.CharField(max_length=150, help_text=_("Who signed, and as what."))
    joined_on = models.DateField()
    board_endorsed_on = models.DateField(null=True, blank=True)
    senior_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="charter_representative_of",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="charter_deputy_of",
        null=True,
        blank=True,
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="charter_champion_of",
        null=True,
        blank=True,
    )
    renewal_due_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    objects = CharterSignatoryQuerySet.as_manager()

    class Meta:
        ordering = ["charter", "organisation__name"]
        verbose_name_plural = _("charter signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "organisation"], name="chartersignatory_once_per_charter"
            ),
            models.CheckConstraint(
                condition=Q(renewal_due_on__gt=models.F("joined_on")),
                name="chartersignatory_renewal_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=models.F("senior_representative")),
                name="chartersignatory_deputy_not_representative",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.charter}"
