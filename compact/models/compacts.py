"""A compact and the roles people hold in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel


class Compact(TimeStampedModel):
    """A county partnership of public-sector employers for collaborative workforce
    development, e.g. the Derbyshire Public Sector Compact."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    area = models.CharField(max_length=200, help_text=_("e.g. Derby City and Derbyshire"))
    purpose = models.TextField()
    established_on = models.DateField()
    facilitating_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="facilitated_compacts",
        null=True,
        blank=True,
    )
    vcs_bodies = models.ManyToManyField(
        Organisation,
        related_name="vcs_compacts",
        blank=True,
        verbose_name=_("named voluntary and community sector bodies"),
        help_text=_(
            "The terms of reference limit the voluntary and community sector to named "
            "bodies (Derbyshire: DLDC). Only these VCS organisations may sit on the steering "
            "group or sign the charter."
        ),
    )
    good_practice_events = models.ManyToManyField(
        "events.Event",
        related_name="compacts",
        blank=True,
        help_text=_(
            "Events (booked through TalentHub's events) that the compact runs or promotes to "
            "share good practice. Upcoming ones appear on the public page and in e-bulletins."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compact:detail", kwargs={"slug": self.slug})


class CompactRole(TimeStampedModel):
    """What a person does in a compact. Secretariat and steering group members edit the
    compact; member-organisation representatives read its members-only pages."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        STEERING = "steering", _("Steering group member")
        REPRESENTATIVE = "representative", _("Member organisation representative")

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compact_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    EDITING_ROLES = (Role.SECRETARIAT, Role.STEERING)

    class Meta:
        ordering = ["compact", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "user", "role"], name="compactrole_unique_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.compact}"
