"""Cohorts: one run of a programme version by one provider, its sessions, the applications
to it, the participants it enrols, their attendance, project work and feedback, and their
completion (completers are the alumni record).

Scarce things (places) are changed only by the services in ``cohorts.services``, which lock
the Cohort row first. Nothing here has side effects in ``save()``.
"""

import datetime
import functools
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import (
    Module,
    Programme,
    ProgrammeVersion,
    SubsidyAllocation,
    SubsidyScheme,
)
from talenthub.core.aggregates import related_count
from talenthub.core.choices import Region
from talenthub.core.models import BulkMessage, Organisation, TimeStampedModel
from talenthub.core.questions import Question, choice_constraint


class ProfessionMapArea(models.TextChoices):
    """Areas of the CIPD Profession Map a project can address: core knowledge, then
    specialist knowledge."""

    PEOPLE_PRACTICE = "people_practice", _("People practice")
    CULTURE_AND_BEHAVIOUR = "culture_and_behaviour", _("Culture and behaviour")
    EMPLOYMENT_RELATIONSHIP = "employment_relationship", _("Employment relationship management")
    EVIDENCE_BASED_PRACTICE = "evidence_based_practice", _("Evidence-based practice")
    CHANGE = "change", _("Change")
    DIGITAL_WORKING = "digital_working", _("Digital working")
    BUSINESS_ACUMEN = "business_acumen", _("Business acumen")
    ANALYTICS = "analytics", _("Analytics and creating value")
    EMPLOYEE_EXPERIENCE = "employee_experience", _("Employee experience")
    EMPLOYEE_RELATIONS = "employee_relations", _("Employee relations")
    DIVERSITY_AND_INCLUSION = "diversity_and_inclusion", _("Diversity and inclusion")
    LEARNING_AND_DEVELOPMENT = "learning_and_development", _("Learning and development")
    ORGANISATION_DEVELOPMENT = "organisation_development", _("Organisation development and design")
    PEOPLE_ANALYTICS = "people_analytics", _("People analytics")
    RESOURCING = "resourcing", _("Resourcing")
    REWARD = "reward", _("Reward")
    TALENT_MANAGEMENT = "talent_management", _("Talent management")
    WELLBEING = "wellbeing", _("Wellbeing at work")


@functools.cache
def _place_counts() -> dict:
    """``with_place_counts``'s three subqueries, built once: each ``annotate()`` resolves
    its own copy of them (an expression is not changed by being used), and building them
    (three querysets filtered, grouped and wrapped) was 0.6 ms of each cohort list
    request (docs/benchmarks.md, "Sixth round")."""
    return {
        "participant_count": related_count(
            Participant.objects.exclude(status=Participant.Status.WITHDRAWN), link="cohort"
        ),
        "offer_count": related_count(
            Application.objects.filter(status=Application.Status.OFFERED), link="cohort"
        ),
        "waiting_count": related_count(
            Application.objects.filter(status=Application.Status.WAITING), link="cohort"
        ),
    }


class CohortQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("version__programme", "provider")

    def with_place_counts(self):
        """Annotate ``participant_count`` (not withdrawn), ``offer_count`` (open offers) and
        ``waiting_count``: one scalar subquery each, never a join of participants and
        applications together (their product per cohort took seconds; issue 21)."""
        return self.annotate(**_place_counts())

    def open_for_applications(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=Cohort.Status.OPEN,
            applications_open_at__lte=now,
            applications_close_at__gt=now,
        )

    def ended(self, today=None):
        today = today or timezone.localdate()
        return self.filter(ends_on__lt=today).exclude(status=Cohort.Status.CANCELLED)


class Cohort(TimeStampedModel):
    """One run of a programme version by one provider (the programme's owner or a
    franchisee)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for applications")
        SELECTING = "selecting", _("Selecting")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="cohorts")
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cohorts_run",
        limit_choices_to={"is_provider": True},
        help_text=_("The provider running this cohort: the programme's owner or a franchisee."),
    )
    name = models.CharField(
        max_length=200, help_text=_("For example “Aspire 2.0 — West Midlands, spring 2027”.")
    )
    slug = models.SlugField(max_length=200, unique=True)
    region = models.CharField(max_length=30, choices=Region.choices)
    capacity = models.PositiveIntegerField(help_text=_("Places: participants plus open offers."))
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    starts_on = models.DateField()
    ends_on = models.DateField()
    offer_acceptance_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Days an applicant has to accept an offer.")
    )
    subsidy_scheme = models.ForeignKey(
        SubsidyScheme,
        on_delete=models.PROTECT,
        related_name="cohorts",
        null=True,
        blank=True,
        help_text=_(
            "Places on this cohort are subsidised: each enrolment uses one place of the "
            "scheme's national cap."
        ),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When members in the programme's audience were emailed that it is open."),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        # Cohorts, and participants by cohort (the participant admin), are listed in this
        # order: with it and the people's index, a page of 30,900 participants at 100x
        # the demo takes 19 ms instead of 338 (issue 16).
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="cohort_capacity_positive",
                violation_error_code="cohort_capacity_positive",
                violation_error_message=_("A cohort needs at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cohort_dates_in_order",
                violation_error_code="cohort_dates_in_order",
                violation_error_message=_("A cohort cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=models.F("applications_open_at")),
                name="cohort_application_window_in_order",
                violation_error_code="cohort_application_window_in_order",
                violation_error_message=_("Applications must close after they open."),
            ),
            models.CheckConstraint(
                condition=Q(offer_acceptance_days__gt=0),
                name="cohort_offer_days_positive",
                violation_error_code="cohort_offer_days_positive",
                violation_error_message=_("An offer must stay open for at least one day."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="cohort_status_starts_idx"),
            models.Index(fields=["-starts_on", "name", "id"], name="cohort_listed_order_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:detail", kwargs={"slug": self.slug})

    @property
    def programme(self) -> Programme:
        return self.version.programme

    def clean(self):
        super().clean()
        if (
            self.subsidy_scheme_id
            and self.version_id
            and not self.subsidy_scheme.programmes.filter(pk=self.version.programme_id).exists()
        ):
            raise ValidationError(
                {"subsidy_scheme": _("This scheme does not fund places on this programme.")}
            )
        if (
            self.applications_close_at
            and self.starts_on
            and timezone.localdate(self.applications_close_at) > self.starts_on
        ):
            raise ValidationError(
                {"applications_close_at": _("Applications must close before the cohort starts.")}
            )

    def is_accepting_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.applications_open_at <= now < self.applications_close_at
        )

    def places_taken(self) -> int:
        """Participants (not withdrawn) plus open offers: the places spoken for."""
        participants = self.participants.exclude(status=Participant.Status.WITHDRAWN).count()
        offers = self.applications.filter(status=Application.Status.OFFERED).count()
        return participants + offers

    def places_left(self) -> int:
        return max(self.capacity - self.places_taken(), 0)


class Session(TimeStampedModel):
    """A day of the cohort: a module day, workshop day, review day or the celebration
    event, in person or online."""

    class Kind(models.TextChoices):
        MODULE_DAY = "module_day", _("Module day")
        WORKSHOP_DAY = "workshop_day", _("Workshop day")
        REVIEW_DAY = "review_day", _("Review day")
        CELEBRATION = "celebration", _("Celebration event")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        help_text=_("The module this session delivers, if any."),
    )
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    venue = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Hours of continuing professional development. Blank: the session's length."),
    )

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_times_in_order",
                violation_error_code="session_times_in_order",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_url=""),
                name="session_venue_or_link",
                violation_error_code="session_venue_or_link",
                violation_error_message=_("Give a venue, an online link, or both."),
            ),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.date:%d %b %Y})"

    @property
    def cpd_hours_awarded(self) -> Decimal:
        """The CPD hours attending this session earns: as set, else its length (to the
        nearest half hour below)."""
        if self.cpd_hours is not None:
            return self.cpd_hours
        return hours_between(self.starts_at, self.ends_at)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.module_id:
            return f"{self.kind_label()}: {self.module.title}"
        return self.kind_label()

    def kind_label(self) -> str:
        """``get_kind_display()``, read from ``Kind`` (one translation) instead of a dict
        Django builds from every choice on each call, hashing, so translating, each lazy
        label: that was a third of the admin's session list (the title column and each
        row's checkbox label, issue 16). A value that is not a choice is shown as it is,
        as ``get_kind_display()`` shows it."""
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:
            return self.get_kind_display()

    def clean(self):
        super().clean()
        if self.module_id and self.cohort_id and self.module.version_id != self.cohort.version_id:
            raise ValidationError({"module": _("Choose a module of this cohort's version.")})


def hours_between(start: datetime.time, end: datetime.time) -> Decimal:
    """Whole half hours from ``start`` to ``end`` on one day, as hours."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return Decimal(max(minutes, 0) // 30) / 2


class CohortReviewer(TimeStampedModel):
    """An experienced head of HR who reviews project reports at the celebration event.
    Reviewers may read the cohort's project work."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohorts_reviewing"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                name="cohortreviewer_unique",
                violation_error_code="cohortreviewer_unique",
                violation_error_message=_("This person is already a reviewer for this cohort."),
            ),
        ]

    def __str__(self):
        return f"{self.user} reviews {self.cohort}"


class ApplicationQuestionQuerySet(models.QuerySet):
    def for_cohort(self, cohort):
        """The questions an applicant to ``cohort`` answers: the programme's questions for
        every version and those for the cohort's version."""
        return self.filter(programme_id=cohort.version.programme_id).filter(
            Q(version__isnull=True) | Q(version_id=cohort.version_id)
        )


class ApplicationQuestion(Question, TimeStampedModel):
    """A question every applicant to a programme answers, or (``version`` set) only the
    applicants to cohorts of one version of it. Kinds, options and who may read the
    answers: ``talenthub.core.questions.Question``."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="application_questions"
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.CASCADE,
        related_name="application_questions",
        null=True,
        blank=True,
        help_text=_("Leave blank to ask applicants to every version of the programme."),
    )
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=True)

    objects = ApplicationQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "order"],
                name="applicationquestion_unique_order",
                violation_error_code="applicationquestion_unique_order",
                violation_error_message=_(
                    "Another question of this programme already has this order number: "
                    "each question needs its own."
                ),
            ),
            choice_constraint("applicationquestion_choice_has_options"),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.version_id and self.programme_id and self.version.programme_id != self.programme_id:
            raise ValidationError(
                {"version": _("Choose a version of this question's programme.")},
                code="applicationquestion_version_of_programme",
            )


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=Application.Status.DRAFT)

    def waiting_in_order(self):
        """The waiting list, served in order: priority, then time joined, then id."""
        return self.filter(status=Application.Status.WAITING).order_by(
            "-waiting_priority", "waiting_since", "pk"
        )


class Application(TimeStampedModel):
    """A person's application to a cohort: answers, line manager support, the manager's
    score and decision, and the offer that follows."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        OFFERED = "offered", _("Offered a place")
        WAITING = "waiting", _("On the waiting list")
        UNSUCCESSFUL = "unsuccessful", _("Not selected")
        ACCEPTED = "accepted", _("Accepted")
        OFFER_DECLINED = "offer_declined", _("Offer declined")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        OFFER = "offer", _("Offer a place")
        WAITING_LIST = "waiting_list", _("Waiting list")
        DECLINE = "decline", _("Decline")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohort_applications"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    line_manager_name = models.CharField(max_length=150, blank=True)
    line_manager_email = models.EmailField(blank=True)
    line_manager_confirmed_at = models.DateTimeField(null=True, blank=True)
    line_manager_comment = models.TextField(blank=True)

    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("0 to 10, against the selection criteria.")
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_sent_at = models.DateTimeField(null=True, blank=True)

    waiting_priority = models.SmallIntegerField(
        default=0, help_text=_("Higher is served first on the waiting list.")
    )
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_count = models.PositiveSmallIntegerField(default=0)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"],
                name="application_one_per_person_per_cohort",
                violation_error_code="application_one_per_person_per_cohort",
                violation_error_message=_("This person has already applied to this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=10),
                name="application_score_range",
                violation_error_code="application_score_range",
                violation_error_message=_("The score must be 10 or less."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="application_offer_has_deadline",
                violation_error_code="application_offer_has_deadline",
                violation_error_message=_("An offer needs a deadline for accepting it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="application_waiting_has_time",
                violation_error_code="application_waiting_has_time",
                violation_error_message=_(
                    "An application on the waiting list needs the time it joined."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(decision_reason=""),
                name="application_decision_has_reason",
                violation_error_code="application_decision_has_reason",
                violation_error_message=_("Give a reason for the decision."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
                violation_error_code="application_submitted_has_time",
                violation_error_message=_(
                    "A submitted application needs the time it was submitted."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="application_cohort_status_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="application_offer_due_idx"),
            # The admin's application list counts the submitted applications (not drafts)
            # from this small index alone: 51,700 at 100x the demo, 4.1 -> 2.9 ms.
            models.Index(
                fields=["cohort"],
                condition=~Q(status="draft"),
                name="application_submitted_idx",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.cohort}"

    def get_absolute_url(self):
        return reverse("cohorts:application_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ApplicationQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"],
                name="answer_unique",
                violation_error_code="answer_unique",
                violation_error_message=_(
                    "This question has already been answered on this application."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.text[:50]}"

    @property
    def display(self) -> str:
        return self.question.answer_display(self.text)


class CompetencyScore(models.Model):
    """One competency of the programme's selection framework (``resources``) for one
    application: the applicant's self-rating and the manager's score, both on the
    resources rating scale (1 not yet … 4 a strength)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="competency_scores"
    )
    competency = models.ForeignKey(
        "resources.Competency", on_delete=models.PROTECT, related_name="cohort_scores"
    )
    self_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    manager_score = models.PositiveSmallIntegerField(null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["competency__order", "competency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "competency"],
                name="competencyscore_one_per_competency",
                violation_error_code="competencyscore_one_per_competency",
                violation_error_message=_(
                    "This competency has already been scored on this application."
                ),
            ),
            models.CheckConstraint(
                condition=Q(self_rating__isnull=True) | Q(self_rating__gte=1, self_rating__lte=4),
                name="competencyscore_self_rating_range",
                violation_error_code="competencyscore_self_rating_range",
                violation_error_message=_("Self-ratings run from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(manager_score__isnull=True)
                | Q(manager_score__gte=1, manager_score__lte=4),
                name="competencyscore_manager_score_range",
                violation_error_code="competencyscore_manager_score_range",
                violation_error_message=_("Scores run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.competency}: {self.self_rating or '–'} / {self.manager_score or '–'}"


#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U): 30 of
#: them, so each character of a certificate code carries almost 5 bits.
CERTIFICATE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CERTIFICATE_CODE_LENGTH = 20


def new_certificate_code() -> str:
    """A random certificate verification code: 20 characters from a 30-letter alphabet,
    about 98 bits, so codes cannot be guessed or enumerated from the public page."""
    return "".join(
        secrets.choice(CERTIFICATE_CODE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH)
    )


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Participant.Status.WITHDRAWN)

    def completed(self):
        """Completers: the alumni of the programme."""
        return self.filter(status=Participant.Status.COMPLETED)


class Participant(TimeStampedModel):
    """A person enrolled in a cohort. Completers (``Participant.objects.completed()``) are
    the programme's alumni."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohort_participations"
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="participant",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENROLLED)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_reason = models.TextField(
        blank=True, help_text=_("Why the participant did not complete.")
    )
    completion_override_reason = models.TextField(
        blank=True,
        help_text=_(
            "Why the participant was marked completed although the version's completion "
            "rule did not hold."
        ),
    )
    completion_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subsidy_allocation = models.OneToOneField(
        SubsidyAllocation,
        on_delete=models.SET_NULL,
        related_name="participant",
        null=True,
        blank=True,
        help_text=_("The subsidised place this participant uses, if any."),
    )
    visible_to_cohort = models.BooleanField(
        _("Show me to the other participants of my cohort"), default=False
    )
    feedback_invited_at = models.DateTimeField(null=True, blank=True)
    # Given to every place when it is created, so a completer's certificate always has
    # one; the public page shows a certificate only while the place is completed.
    certificate_code = models.CharField(
        _("certificate verification code"),
        max_length=CERTIFICATE_CODE_LENGTH,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                name="participant_one_per_person_per_cohort",
                violation_error_code="participant_one_per_person_per_cohort",
                violation_error_message=_("This person is already a participant of this cohort."),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_completed") | ~Q(completion_reason=""),
                name="participant_not_completed_has_reason",
                violation_error_code="participant_not_completed_has_reason",
                violation_error_message=_("Give the reason the participant did not complete."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="participant_completed_has_date",
                violation_error_code="participant_completed_has_date",
                violation_error_message=_("A completed participant needs the date they completed."),
            ),
        ]
        indexes = [
            # The cohort list's places taken (``with_place_counts``: participants not
            # withdrawn, per cohort) read from this index alone, not each participant's
            # row for its status: 8.8 -> 2.4 ms for 16 cohorts at 100x the demo.
            models.Index(
                fields=["cohort"],
                condition=~Q(status="withdrawn"),
                name="participant_active_cohort_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.cohort}"


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        APOLOGIES = "apologies", _("Apologies given")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "attendance"
        ordering = ["session__date", "session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                name="attendance_one_per_session",
                violation_error_code="attendance_one_per_session",
                violation_error_message=_(
                    "Attendance for this person at this session is already recorded."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.participant.user} at {self.session}: {self.get_status_display()}"


def project_work_path(instance, filename):
    # Named by the participant, never by the uploaded name (which is kept apart).
    participant = instance.participant
    return f"cohorts/project-work/{participant.cohort_id}/{participant.pk}/{filename}"


class ProjectWork(TimeStampedModel):
    """A participant's project report. The file lives under MEDIA_ROOT (outside the web
    root) and is served only by a view that checks who is asking."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        PPTX = "pptx", "PowerPoint (PPTX)"

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="project_work"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    profession_map_area = models.CharField(
        _("CIPD Profession Map area"), max_length=40, choices=ProfessionMapArea.choices
    )
    file = models.FileField(upload_to=project_work_path, max_length=300)
    file_type = models.CharField(max_length=10, choices=FileType.choices)
    original_filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "project work"
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.title

    def get_download_url(self):
        return reverse("cohorts:project_work_download", kwargs={"pk": self.pk})


RATING_CHOICES = [
    (1, _("1: poor")),
    (2, _("2: fair")),
    (3, _("3: good")),
    (4, _("4: very good")),
    (5, _("5: excellent")),
]


class Feedback(TimeStampedModel):
    """A participant's feedback on their cohort: given once."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="feedback"
    )
    overall_rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    comments = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "feedback"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_rating__gte=1, overall_rating__lte=5),
                name="feedback_overall_rating_range",
                violation_error_code="feedback_overall_rating_range",
                violation_error_message=_("The overall rating runs from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"Feedback from {self.participant}"


class ModuleRating(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="module_ratings")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="feedback_ratings")
    rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "module"],
                name="modulerating_unique",
                violation_error_code="modulerating_unique",
                violation_error_message=_("This module has already been rated in this feedback."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="modulerating_rating_range",
                violation_error_code="modulerating_rating_range",
                violation_error_message=_("Module ratings run from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.module}: {self.rating}"


class CohortMessage(BulkMessage):
    """A custom email a manager sent to a cohort's participants (the shared fields and
    the token rule: ``talenthub.core.models.BulkMessage``)."""

    class Audience(models.TextChoices):
        ACTIVE = "active", _("Every participant still taking part or completed")
        ENROLLED = "enrolled", _("Participants enrolled (not yet completed)")
        COMPLETED = "completed", _("Participants who completed")
        NOT_COMPLETED = "not_completed", _("Participants who did not complete")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="messages")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohort_messages_sent"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)


class ReviewCriterion(TimeStampedModel):
    """One criterion a version's project reports are scored against at the celebration
    event, e.g. "Use of evidence"."""

    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="review_criteria"
    )
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name_plural = "review criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"],
                name="reviewcriterion_unique_order",
                violation_error_code="reviewcriterion_unique_order",
                violation_error_message=_("Another criterion of this version has this place."),
            ),
        ]

    def __str__(self):
        return self.title


REVIEW_SCORE_CHOICES = [
    (1, _("1: weak")),
    (2, _("2: adequate")),
    (3, _("3: good")),
    (4, _("4: strong")),
    (5, _("5: outstanding")),
]


class ProjectReview(TimeStampedModel):
    """One reviewer's challenge of one project report: a comment and a score against
    each criterion. One per reviewer per report; the reviewer may revise it."""

    project_work = models.ForeignKey(ProjectWork, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_reviews"
    )
    comment = models.TextField()

    class Meta:
        ordering = ["project_work", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_work", "reviewer"],
                name="projectreview_one_per_reviewer",
                violation_error_code="projectreview_one_per_reviewer",
                violation_error_message=_("You have already reviewed this project report."),
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.project_work}"


class ReviewScore(models.Model):
    review = models.ForeignKey(ProjectReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(choices=REVIEW_SCORE_CHOICES)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="reviewscore_unique",
                violation_error_code="reviewscore_unique",
                violation_error_message=_("This criterion has already been scored in this review."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="reviewscore_score_range",
                violation_error_code="reviewscore_score_range",
                violation_error_message=_("Scores run from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
