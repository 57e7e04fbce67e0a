"""Compact governance: a compact's terms of reference, annual priorities, groups, action
plans, meetings, members' charter, documents, surveys and e-bulletins (seed 004).

Rules that can live in the database do (named ``<model>_<rule>``); rules that span rows
(an annual priority may cite only aims of the terms in force, a sub-action belongs to its
parent's plan, sector eligibility) are checked by the services in ``services.py``.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


# Terms of reference ---------------------------------------------------------------------


class TermsOfReferenceQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """Versions adopted on or before ``on``, newest first: ``.first()`` is in force."""
        return self.filter(adopted_on__lte=on).order_by("-adopted_on", "-version")


class TermsOfReference(TimeStampedModel):
    """One dated version of a compact's terms of reference. The version in force on a
    date is the latest adopted on or before it."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="terms")
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    adopted_on = models.DateField()
    review_due_on = models.DateField(help_text=_("The terms are reviewed every year."))
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
        ]

    def __str__(self):
        return f"{self.compact}: terms of reference v{self.version} ({self.adopted_on:%B %Y})"

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


# Annual priorities ----------------------------------------------------------------------


class PrioritiesStatement(TimeStampedModel):
    """The Statement of Annual Priorities for one year (e.g. 2008-09)."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="statements")
    year = models.CharField(max_length=9, help_text=_("e.g. 2008-09"))
    starts_on = models.DateField()
    ends_on = models.DateField()
    terms = models.ForeignKey(
        TermsOfReference,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text=_("The terms of reference in force when the year starts."),
    )

    class Meta:
        ordering = ["compact", "-starts_on"]
        verbose_name = _("statement of annual priorities")
        verbose_name_plural = _("statements of annual priorities")
        constraints = [
            models.UniqueConstraint(fields=["compact", "year"], name="prioritiesstatement_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="prioritiesstatement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.compact}: priorities {self.year}"

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
                {"terms": _("These terms of reference belong to another compact.")}
            )
        in_force = (
            TermsOfReference.objects.filter(compact_id=self.compact_id)
            .in_force(self.starts_on)
            .first()
        )
        if in_force is None:
            raise ValidationError(
                {
                    "starts_on": _("No terms of reference are in force on %(d)s.")
                    % {"d": self.starts_on}
                }
            )
        if in_force.pk != self.terms_id:
            raise ValidationError(
                {
                    "terms": _(
                        "A statement follows the terms of reference in force when its year "
                        "starts: version %(v)s, adopted on %(d)s."
                    )
                    % {"v": in_force.version, "d": in_force.adopted_on}
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


# Groups ---------------------------------------------------------------------------------


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
                errors["priority"] = _("A task and finish group is formed for an annual priority.")
            elif self.priority.statement.compact_id != self.compact_id:
                errors["priority"] = _("The priority belongs to another compact.")
            if self.reports_to_id is None:
                errors["reports_to"] = _(
                    "A task and finish group reports to the compact's steering group."
                )
            elif (
                self.reports_to.compact_id != self.compact_id
                or self.reports_to.kind != self.Kind.STEERING
            ):
                errors["reports_to"] = _(
                    "A task and finish group reports to its own compact's steering group."
                )
        elif self.kind == self.Kind.STEERING:
            if self.priority_id is not None:
                errors["priority"] = _("The steering group is not formed for a priority.")
            if self.reports_to_id is not None:
                errors["reports_to"] = _("The steering group does not report to another group.")
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


# Action plans ---------------------------------------------------------------------------


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
            errors["priority"] = _("The priority belongs to another compact.")
        if self.parent_id and (
            self.parent.plan_id != self.plan_id or self.parent.parent_id is not None
        ):
            errors["parent"] = _("The parent must be a top-level action of the same plan.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse(
            "compact:action_detail", kwargs={"slug": self.plan.compact.slug, "pk": self.pk}
        )


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


# Meetings -------------------------------------------------------------------------------


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

    def __str__(self):
        return f"{self.group} – {self.starts_at:%d %B %Y}"

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


# Members' charter -----------------------------------------------------------------------


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


# Documents ------------------------------------------------------------------------------


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
            raise ValidationError({"meeting": _("The meeting belongs to another compact.")})

    def get_absolute_url(self):
        return reverse(
            "compact:document_download", kwargs={"slug": self.compact.slug, "pk": self.pk}
        )


# Surveys --------------------------------------------------------------------------------


class Survey(TimeStampedModel):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="surveys")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["compact", "-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "title"], name="survey_title"),
        ]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        YES_NO = "yes_no", _("Yes or no")
        SCALE = "scale", _("Scale of 1 to 5")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="surveyquestion_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"


class SurveyInvitation(TimeStampedModel):
    """One person the survey was sent to. ``responded_on`` is set when they reply, even
    when the reply is not usable (the seed: 10 replies, 3 declined to complete it)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    responded_on = models.DateField(null=True, blank=True)
    usable = models.BooleanField(
        default=True, help_text=_("False for replies that declined to complete the survey.")
    )

    class Meta:
        ordering = ["survey", "person"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="surveyinvitation_once"),
        ]

    def __str__(self):
        return f"{self.survey} → {self.person}"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    yes = models.BooleanField(null=True, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="surveyanswer_once"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="surveyanswer_scale_range",
            ),
        ]

    def __str__(self):
        return f"{self.question} – {self.invitation.person}"


# E-bulletin -----------------------------------------------------------------------------


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
