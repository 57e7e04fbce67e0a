"""The programme catalogue: programmes, their versions and modules."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Programme.Status.PUBLISHED)


class Programme(TimeStampedModel):
    class Kind(models.TextChoices):
        MULTI_MODULE = "multi_module", _("Multi-module programme")
        WORKSHOP = "workshop", _("Workshop")
        EVENT_SERIES = "event_series", _("Event series")
        TALENT_POOL = "talent_pool", _("Talent pool")
        NETWORK = "network", _("Network")

    class DeliveryMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes_owned",
        limit_choices_to={"is_provider": True},
        help_text=_("The provider organisation that owns the programme."),
    )
    partners = models.ManyToManyField(Organisation, related_name="programmes_partnered", blank=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    delivery_mode = models.CharField(
        max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:detail", kwargs={"slug": self.slug})


class ProgrammeVersion(TimeStampedModel):
    """One version of a programme (Aspire, then Aspire 2.0). Cohorts run on a version;
    earlier versions stay visible as history."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(max_length=100, help_text=_("For example “Aspire 2.0”."))
    launched_on = models.DateField()
    summary = models.TextField(blank=True, help_text=_("What changed in this version."))

    class Meta:
        ordering = ["programme", "-launched_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="programmeversion_unique_name"
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"


class Module(TimeStampedModel):
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    learning_outcomes = models.TextField(blank=True, help_text=_("One outcome a line."))

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="module_unique_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"
