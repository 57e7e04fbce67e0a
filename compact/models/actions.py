"""Action plans, their actions (rows and sub-actions) and the dated progress updates
that set an action's status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel

from .compacts import Compact
from .groups import Group
from .priorities import Priority
from .terms import Aim


class ActionPlan(TimeStampedModel):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="action_plans")
    title = models.CharField(max_length=200)
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="action_plans",
        null=True,
        blank=True,
        help_text=_("The group that owns and monitors the plan."),
    )
    adopted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["compact", "title"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "title"], name="actionplan_title"),
        ]

    def __str__(self):
        return self.title


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    DONE = "done", _("Done")


class Action(TimeStampedModel):
    """One row of an action plan (A1, B2 1.2 …). A row with sub-actions takes its status
    and progress from them (see ``selectors.actions_with_health``)."""

    Status = Status

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="sub_actions", null=True, blank=True
    )
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField(default=0)
    theme = models.CharField(max_length=200)
    objective = models.TextField()
    what_will_be_done = models.TextField(blank=True)
    outcomes = models.TextField(_("outcomes and indicators"), blank=True)
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_compact_actions",
        null=True,
        blank=True,
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_compact_actions",
        null=True,
        blank=True,
    )
    lead_note = models.CharField(
        max_length=200, blank=True, help_text=_("As written in the plan, e.g. 'Sub-Group'.")
    )
    monitoring = models.TextField(_("monitoring and evaluation"), blank=True)
    target_date = models.DateField(null=True, blank=True)
    timescale_note = models.CharField(max_length=100, blank=True, help_text=_("e.g. On going"))
    cost = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    aims = models.ManyToManyField(Aim, related_name="actions", blank=True)
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_code_per_plan"),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="action_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(status="done", percent_complete=100) | ~Q(status="done"),
                name="action_done_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="action_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.theme}"

    def clean(self):
        """The priority is one of the plan's compact; a sub-action sits under a top-level
        row of the same plan."""
        super().clean()
        if not self.plan_id:
            return
        errors = {}
        if self.priority_id and self.priority.statement.compact_id != self.plan.compact_id:
            errors["priority"] = ValidationError(
                _("The priority belongs to another compact."), code="priority_of_other_compact"
            )
        if self.parent_id and (
            self.parent.plan_id != self.plan_id or self.parent.parent_id is not None
        ):
            errors["parent"] = ValidationError(
                _("The parent must be a top-level action of the same plan."),
                code="parent_not_top_level",
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse(
            "compact:action_detail", kwargs={"slug": self.plan.compact.slug, "pk": self.pk}
        )


class Indicator(TimeStampedModel):
    """A SMART measure of an action (the review asked for measurable plans): what is
    measured, in which unit, from which baseline to which target by when, and the
    latest actual value. Progress is how far the actual has moved from the baseline
    towards the target (``progress_percent``), so a falling target (fewer vacancies)
    works as a rising one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    measure = models.CharField(max_length=200, help_text=_("e.g. Apprentices employed"))
    unit = models.CharField(max_length=40, help_text=_("e.g. people, %, £"))
    baseline = models.DecimalField(max_digits=12, decimal_places=2)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    actual_on = models.DateField(null=True, blank=True, help_text=_("When it was measured."))
    due_on = models.DateField()

    class Meta:
        ordering = ["action", "due_on", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")),
                name="indicator_target_not_baseline",
                violation_error_code="indicator_target_not_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True, actual_on__isnull=True)
                | Q(actual__isnull=False, actual_on__isnull=False),
                name="indicator_actual_dated",
                violation_error_code="indicator_actual_dated",
                violation_error_message=_("A measured value has the date it was measured."),
            ),
            models.UniqueConstraint(
                fields=["action", "measure"],
                name="indicator_measure",
                violation_error_code="indicator_measure",
                violation_error_message=_("This action already has an indicator of that name."),
            ),
        ]

    def __str__(self):
        return f"{self.action.code}: {self.measure}"

    @property
    def progress_percent(self) -> int | None:
        """0–100: the share of the way from baseline to target the actual has come."""
        if self.actual is None:
            return None
        share = (self.actual - self.baseline) / (self.target - self.baseline) * 100
        return max(0, min(100, int(share)))


class ProgressUpdate(TimeStampedModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="compact_updates"
    )
    on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField()
    note = models.TextField()

    class Meta:
        ordering = ["action", "-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="progressupdate_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.action.code} {self.on}"
