"""Statements of annual priorities and the priorities in them, each citing aims of
the terms of reference in force when its year starts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact
from .terms import Aim, TermsOfReference


class PrioritiesStatementQuerySet(models.QuerySet):
    def published(self):
        """Statements the public sees (a draft is the secretariat's until published)."""
        return self.filter(status=PrioritiesStatement.Status.PUBLISHED)


class PrioritiesStatement(TimeStampedModel):
    """The Statement of Annual Priorities for one year (e.g. 2008-09). The secretariat
    drafts the next one with its priorities and publishes it; the earlier ones stay in
    the public archive."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="statements")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    published_at = models.DateTimeField(null=True, blank=True)
    year = models.CharField(max_length=9, help_text=_("e.g. 2008-09"))
    starts_on = models.DateField()
    ends_on = models.DateField()
    terms = models.ForeignKey(
        TermsOfReference,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text=_("The terms of reference in force when the year starts."),
    )

    objects = PrioritiesStatementQuerySet.as_manager()

    class Meta:
        ordering = ["compact", "-starts_on"]
        verbose_name = _("statement of annual priorities")
        verbose_name_plural = _("statements of annual priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["compact"],
                condition=Q(status="draft"),
                name="prioritiesstatement_one_draft",
                violation_error_code="statement_draft_exists",
                violation_error_message=_("The compact already has a draft statement."),
            ),
            models.UniqueConstraint(fields=["compact", "year"], name="prioritiesstatement_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="prioritiesstatement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.compact}: priorities {self.year}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def clean(self):
        """A statement follows the terms of reference of its own compact in force when its
        year starts: its priorities may cite only those terms' aims (seed 004, "cross
        reference all documentation"). Checked here so that the admin cannot tie a
        2030-31 statement to superseded terms."""
        super().clean()
        if not (self.compact_id and self.terms_id and self.starts_on):
            return
        if self.terms.compact_id != self.compact_id:
            raise ValidationError(
                {
                    "terms": ValidationError(
                        _("These terms of reference belong to another compact."),
                        code="terms_of_other_compact",
                    )
                }
            )
        in_force = (
            TermsOfReference.objects.filter(compact_id=self.compact_id)
            .in_force(self.starts_on)
            .first()
        )
        if in_force is None:
            raise ValidationError(
                {
                    "starts_on": ValidationError(
                        _("No terms of reference are in force on %(d)s.") % {"d": self.starts_on},
                        code="no_terms_in_force",
                    )
                }
            )
        if in_force.pk != self.terms_id:
            raise ValidationError(
                {
                    "terms": ValidationError(
                        _(
                            "A statement follows the terms of reference in force when its year "
                            "starts: version %(v)s, adopted on %(d)s."
                        )
                        % {"v": in_force.version, "d": in_force.adopted_on},
                        code="terms_not_in_force",
                    )
                }
            )


class Priority(models.Model):
    statement = models.ForeignKey(
        PrioritiesStatement, on_delete=models.CASCADE, related_name="priorities"
    )
    order = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    comments = models.TextField(blank=True)
    aims = models.ManyToManyField(Aim, related_name="priorities", blank=True)

    class Meta:
        ordering = ["statement", "order"]
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["statement", "order"], name="priority_order"),
        ]

    def __str__(self):
        return self.title[:80]
