"""Uploaded documents (terms, charter, papers, minutes), each with a visibility level."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact
from .meetings import Meeting


def document_upload_to(instance, filename):
    # A random name: the original name is kept in the row, never trusted as a path.
    return f"compact/{instance.compact_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def visible_at(self, levels):
        return self.filter(visibility__in=levels)


class Document(TimeStampedModel):
    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of reference")
        CHARTER = "charter", _("Charter")
        AGENDA = "agenda", _("Agenda or paper")
        MINUTES = "minutes", _("Minutes")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")
        STEERING = "steering", _("Steering group only")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    from_group = models.ForeignKey(
        "compact.Group",
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
        help_text=_("For a sub-group's report: the task-and-finish group that sent it."),
    )
    file = models.FileField(upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    published_on = models.DateField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="compact_documents",
        null=True,
        blank=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["compact", "-published_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.meeting_id and self.compact_id and self.meeting.group.compact_id != self.compact_id:
            raise ValidationError(
                {
                    "meeting": ValidationError(
                        _("The meeting belongs to another compact."),
                        code="meeting_of_other_compact",
                    )
                }
            )

    def get_absolute_url(self):
        return reverse(
            "compact:document_download", kwargs={"slug": self.compact.slug, "pk": self.pk}
        )
