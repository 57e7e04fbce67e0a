"""Terms of reference: dated versions, each with its numbered aims."""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact


class TermsOfReferenceQuerySet(models.QuerySet):
    def adopted(self):
        """Versions that were adopted (a draft is the secretariat's until it is)."""
        return self.filter(status=TermsOfReference.Status.ADOPTED)

    def in_force(self, on: datetime.date):
        """Versions adopted on or before ``on``, newest first: ``.first()`` is in force.
        A draft is never in force."""
        return self.adopted().filter(adopted_on__lte=on).order_by("-adopted_on", "-version")


class TermsOfReference(TimeStampedModel):
    """One dated version of a compact's terms of reference. The version in force on a
    date is the latest adopted on or before it. A new version is drafted by the
    secretariat (no dates yet, seen only by editors) and then adopted with its adoption
    and review dates (``services.terms_adopt``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="terms")
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ADOPTED)
    adopted_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(
        null=True, blank=True, help_text=_("The terms are reviewed every year.")
    )
    purpose = models.TextField()
    mode_of_operation = models.TextField()
    steering_group_role = models.TextField(_("role of the steering group"))
    membership = models.TextField(blank=True)
    vcs_participation = models.TextField(
        _("participation of the voluntary and community sector"), blank=True
    )
    equality_and_diversity = models.TextField(blank=True)
    change_note = models.TextField(blank=True, help_text=_("What changed from the previous one."))

    objects = TermsOfReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["compact", "version"]
        verbose_name = _("terms of reference version")
        constraints = [
            models.UniqueConstraint(fields=["compact", "version"], name="termsofreference_version"),
            models.UniqueConstraint(
                fields=["compact", "adopted_on"], name="termsofreference_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("adopted_on")),
                name="termsofreference_review_after_adoption",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="termsofreference_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(adopted_on__isnull=False, review_due_on__isnull=False),
                name="termsofreference_adopted_dated",
                violation_error_code="termsofreference_adopted_dated",
                violation_error_message=_("An adopted version has its adoption and review dates."),
            ),
            models.UniqueConstraint(
                fields=["compact"],
                condition=Q(status="draft"),
                name="termsofreference_one_draft",
                violation_error_code="terms_draft_exists",
                violation_error_message=_("The compact already has a draft of its terms."),
            ),
        ]

    def __str__(self):
        if self.adopted_on is None:
            return f"{self.compact}: terms of reference v{self.version} (draft)"
        return f"{self.compact}: terms of reference v{self.version} ({self.adopted_on:%B %Y})"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def get_absolute_url(self):
        return reverse(
            "compact:terms_detail", kwargs={"slug": self.compact.slug, "version": self.version}
        )


class Aim(models.Model):
    """A numbered aim (``2``) or sub-aim (``2.1``) of one terms-of-reference version."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="aims")
    number = models.CharField(max_length=10, help_text=_("1, 2, 2.1 …"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="sub_aims", null=True, blank=True
    )
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["terms", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "number"], name="aim_number_per_terms"),
            models.CheckConstraint(condition=~Q(number=""), name="aim_number_not_empty"),
        ]

    def __str__(self):
        return f"Aim {self.number}"
