"""Group meetings, their agenda items and who attended for which organisation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel

from .groups import Group


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(blank=True, help_text=_("Why it was moved or cancelled."))
    moved_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, related_name="moved_from", null=True, blank=True
    )
    is_public = models.BooleanField(
        default=False, help_text=_("Listed on the compact's public page.")
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "held"]) | ~Q(status_reason=""),
                name="meeting_moved_or_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(moved_to__isnull=True) | Q(status="moved"),
                name="meeting_moved_to_only_when_moved",
            ),
        ]

    # A sane range for a meeting's date: compacts began in the 2000s (Derbyshire's in
    # 2007), and nobody schedules a meeting decades ahead; 1899 is a typing slip.
    EARLIEST_YEAR = 2000
    YEARS_AHEAD = 5

    def __str__(self):
        return f"{self.group} – {self.starts_at:%d %B %Y}"

    def clean(self):
        """The date is in a sane range; a scheduled meeting is not given a time already
        past (a new one, or one whose time is changed): it is recorded as held instead."""
        super().clean()
        if self.starts_at is None:
            return
        now = timezone.now()
        year = timezone.localtime(self.starts_at).year
        if not self.EARLIEST_YEAR <= year <= now.year + self.YEARS_AHEAD:
            raise ValidationError(
                {
                    "starts_at": ValidationError(
                        _("Enter a date between %(first)s and %(last)s.")
                        % {"first": self.EARLIEST_YEAR, "last": now.year + self.YEARS_AHEAD},
                        code="meeting_date_out_of_range",
                    )
                }
            )
        if self.status != self.Status.SCHEDULED or self.starts_at >= now:
            return
        before = (
            Meeting.objects.filter(pk=self.pk).values_list("starts_at", flat=True).first()
            if self.pk
            else None
        )
        if before != self.starts_at:
            raise ValidationError(
                {
                    "starts_at": ValidationError(
                        _(
                            "A scheduled meeting must be in the future: record a meeting "
                            "that has been held instead."
                        ),
                        code="meeting_in_past",
                    )
                }
            )

    def get_absolute_url(self):
        return reverse(
            "compact:meeting_detail", kwargs={"slug": self.group.compact.slug, "pk": self.pk}
        )


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agendaitem_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Apologies")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="compact_attendances"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="compact_attendances",
        help_text=_("Whom the person represented at this meeting."),
    )
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "organisation__name"]
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"
