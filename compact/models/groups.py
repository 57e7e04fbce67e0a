"""The steering group, its task-and-finish sub-groups, and who sits on them for which
organisation."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation, TimeStampedModel

from .compacts import Compact
from .priorities import Priority


class Group(TimeStampedModel):
    """The steering group (one per compact) or a task-and-finish sub-group formed for an
    annual priority and reporting to the steering group."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group")
        TASK_AND_FINISH = "task_and_finish", _("Task and finish group")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        help_text=_("The annual priority a task-and-finish group was formed for."),
    )
    reports_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="sub_groups", null=True, blank=True
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["compact", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "name"], name="group_name_per_compact"),
            models.UniqueConstraint(
                fields=["compact"], condition=Q(kind="steering"), name="group_one_steering_group"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="steering", priority__isnull=True, reports_to__isnull=True)
                    | Q(kind="task_and_finish", priority__isnull=False, reports_to__isnull=False)
                ),
                name="group_subgroup_has_priority_and_reports",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_steering(self):
        return self.kind == self.Kind.STEERING

    def clean(self):
        """A task-and-finish group is formed for a priority of its own compact and reports
        to its own compact's steering group; the steering group has neither. (The
        database insists on the presence of both; these are the rules across rows.)"""
        super().clean()
        if not self.compact_id:
            return
        errors = {}
        if self.kind == self.Kind.TASK_AND_FINISH:
            if self.priority_id is None:
                errors["priority"] = ValidationError(
                    _("A task and finish group is formed for an annual priority."),
                    code="subgroup_without_priority",
                )
            elif self.priority.statement.compact_id != self.compact_id:
                errors["priority"] = ValidationError(
                    _("The priority belongs to another compact."), code="priority_of_other_compact"
                )
            if self.reports_to_id is None:
                errors["reports_to"] = ValidationError(
                    _("A task and finish group reports to the compact's steering group."),
                    code="subgroup_without_steering_group",
                )
            elif (
                self.reports_to.compact_id != self.compact_id
                or self.reports_to.kind != self.Kind.STEERING
            ):
                errors["reports_to"] = ValidationError(
                    _("A task and finish group reports to its own compact's steering group."),
                    code="reports_to_other_group",
                )
        elif self.kind == self.Kind.STEERING:
            if self.priority_id is not None:
                errors["priority"] = ValidationError(
                    _("The steering group is not formed for a priority."),
                    code="steering_group_with_priority",
                )
            if self.reports_to_id is not None:
                errors["reports_to"] = ValidationError(
                    _("The steering group does not report to another group."),
                    code="steering_group_reports",
                )
        if errors:
            raise ValidationError(errors)


class GroupMembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date):
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class GroupMembership(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy chair")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="compact_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="compact_group_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "role", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ends_on__isnull=True),
                name="groupmembership_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="chair", ends_on__isnull=True),
                name="groupmembership_one_open_chair",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="groupmembership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.organisation}) – {self.group}"
