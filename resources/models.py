"""The career resource hub (seed 001): the career pathway pyramid, competency frameworks,
the development wheel, members' self-assessments and career conversation preparation.

The ten functional areas are core ``FunctionalArea`` rows and the four levels are core
``CareerLevel`` choices; this app only describes and uses them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talenthub.core.choices import CareerLevel, CipdGrade
from talenthub.core.models import TimeStampedModel

LEVEL_RANGE = models.Q(level__gte=1, level__lte=4)


# --- Career pathway --------------------------------------------------------------------


class PathwayLevel(TimeStampedModel):
    """One of the four levels of the career pathway, with the development opportunities
    open to people at that level (the right-hand side of the pyramid)."""

    level = models.PositiveSmallIntegerField(choices=CareerLevel.choices, unique=True)
    summary = models.TextField(
        blank=True, help_text=_("What roles at this level have in common (a sentence or two).")
    )

    class Meta:
        ordering = ["-level"]
        constraints = [
            models.CheckConstraint(
                condition=LEVEL_RANGE,
                name="pathwaylevel_level_range",
                violation_error_code="pathwaylevel_level_range",
                violation_error_message=_("Levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return self.get_level_display()

    @property
    def short_name(self) -> str:
        return f"Level {self.level}"


class PathwayStep(TimeStampedModel):
    """A step of the pyramid: a salary band range (``Band 2–3``) at one level, holding the
    roles typically found there. ``order`` runs upwards from the entry step (1)."""

    level = models.ForeignKey(PathwayLevel, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(
        unique=True, help_text=_("Position in the pyramid, counting up from the entry step (1).")
    )
    salary_bands = models.CharField(
        max_length=60, help_text=_("For example “Band 2–3” or “Band 9 and VSM”.")
    )

    class Meta:
        ordering = ["-order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(order__gte=1),
                name="pathwaystep_order_min",
                violation_error_code="pathwaystep_order_min",
                violation_error_message=_("Steps are numbered from 1."),
            ),
        ]

    def __str__(self):
        return f"{self.salary_bands} ({self.level.short_name})"


class PathwayRole(models.Model):
    step = models.ForeignKey(PathwayStep, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["step", "title"], name="pathwayrole_unique_title"),
        ]

    def __str__(self):
        return self.title


class DevelopmentOpportunity(models.Model):
    """A development opportunity at one level: an academy programme (optionally linked to a
    programme in the catalogue), a national leadership programme, or a CIPD membership
    grade to work towards."""

    class Kind(models.TextChoices):
        ACADEMY = "academy", _("Academy programme")
        NATIONAL = "national", _("National leadership programme")
        CIPD = "cipd", _("CIPD membership grade")

    pathway_level = models.ForeignKey(
        PathwayLevel, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Shown as written; for a CIPD grade leave blank to use the grade's name."),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathway_opportunities",
        help_text=_("For an academy programme: the programme in the catalogue, if it is there."),
    )
    cipd_grade = models.CharField(
        _("CIPD membership grade"), max_length=30, choices=CipdGrade.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pathway_level", "kind", "order", "title"]
        verbose_name_plural = _("development opportunities")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="cipd") | ~models.Q(cipd_grade__in=["", "none"]),
                name="developmentopportunity_cipd_grade_required",
                violation_error_code="developmentopportunity_cipd_grade_required",
                violation_error_message=_("Choose the CIPD membership grade."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="cipd") | ~models.Q(title=""),
                name="developmentopportunity_title_required",
                violation_error_code="developmentopportunity_title_required",
                violation_error_message=_("Give the programme's name."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="academy") | models.Q(programme__isnull=True),
                name="developmentopportunity_programme_only_for_academy",
                violation_error_code="developmentopportunity_programme_only_for_academy",
                violation_error_message=_("Only an academy programme links to the catalogue."),
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == self.Kind.CIPD and self.cipd_grade:
            return self.get_cipd_grade_display()
        return str(self.programme or "")


# --- Competency frameworks ---------------------------------------------------------------


class Framework(TimeStampedModel):
    """A competency framework: the core framework for every HR and OD role, or one of the
    aspirant frameworks used to select for the talent pools."""

    class Kind(models.TextChoices):
        CORE = "core", _("Core framework")
        BUSINESS_PARTNER = "business_partner", _("Aspirant Business Partner")
        DEPUTY_DIRECTOR = "deputy_director", _("Aspirant Deputy Director")

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(
        default=True, help_text=_("Unpublished frameworks are hidden from the hub.")
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:framework_detail", kwargs={"slug": self.slug})


class ProgrammeSelectionFramework(models.Model):
    """The framework a catalogue programme's applicants are selected against (seed 001:
    the aspirant frameworks "are used as part of the selection and development
    process"); applicants rate themselves against its competencies when they apply.

    Kept here rather than as a field of ``Programme`` so that the catalogue does not
    depend on the hub: the hub already links its pathway to catalogue programmes, and
    dependencies between apps point one way, down (docs/architecture.md)."""

    programme = models.OneToOneField(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="selection_framework_link",
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="programme_selections",
        help_text=_("The competency framework applicants are selected against."),
    )

    class Meta:
        verbose_name = _("selection framework")

    def __str__(self):
        return str(self.framework)


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="competencies")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "name"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"], name="competency_unique_name_in_framework"
            ),
        ]

    def __str__(self):
        return self.name


class CompetencyIndicator(models.Model):
    """What the competency looks like at one of the four levels."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    level = models.PositiveSmallIntegerField(choices=CareerLevel.choices)
    text = models.TextField(help_text=_("The behaviours expected at this level; one a line."))

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "level"],
                name="competencyindicator_one_per_level",
                violation_error_code="competencyindicator_one_per_level",
                violation_error_message=_("This competency already has indicators at that level."),
            ),
            models.CheckConstraint(
                condition=LEVEL_RANGE,
                name="competencyindicator_level_range",
                violation_error_code="competencyindicator_level_range",
                violation_error_message=_("Levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.competency}: level {self.level}"

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


# --- Development wheel and self-assessment ----------------------------------------------


class WheelItem(models.Model):
    """A spoke of the development wheel (the HPMA London Academy's "exposure model"): one
    avenue of development such as coaching, mentoring or a secondment."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text=_("Inactive items stay in past assessments but are not asked.")
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Rating(models.IntegerChoices):
    """The one scale every self-rating uses."""

    NOT_YET = 1, _("1 – Not yet")
    DEVELOPING = 2, _("2 – Developing")
    ESTABLISHED = 3, _("3 – Established")
    STRENGTH = 4, _("4 – A strength")


class WheelRating(models.IntegerChoices):
    """How actively a member pursues one avenue of the development wheel."""

    NOT_YET = 1, _("1 – Not doing this yet")
    PLANNING = 2, _("2 – Planning to")
    SOMETIMES = 3, _("3 – Doing it sometimes")
    ACTIVELY = 4, _("4 – Actively pursuing it")


RATING_RANGE = models.Q(rating__gte=1, rating__lte=4)


class SelfAssessmentQuerySet(models.QuerySet):
    def for_member(self, member):
        return self.filter(member=member)


class SelfAssessment(TimeStampedModel):
    """One completed self-assessment: the member's ratings against every competency of a
    framework and every active spoke of the development wheel. Assessments are never
    edited: a new one is taken each time, so change over time stays visible."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="self_assessments"
    )
    reflection = models.TextField(blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["member", "framework", "created_at"], name="selfassessment_member_idx"
            )
        ]

    def __str__(self):
        return f"{self.framework} self-assessment by {self.member} ({self.created_at:%d %b %Y})"

    def get_absolute_url(self):
        return reverse("resources:assessment_detail", kwargs={"pk": self.pk})


class CompetencyRating(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="competency_ratings"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        ordering = ["assessment", "competency__order", "competency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="competencyrating_one_per_competency"
            ),
            models.CheckConstraint(
                condition=RATING_RANGE,
                name="competencyrating_rating_range",
                violation_error_code="competencyrating_rating_range",
                violation_error_message=_("Ratings run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.competency}: {self.rating}"


class WheelItemRating(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="wheel_ratings"
    )
    wheel_item = models.ForeignKey(WheelItem, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(choices=WheelRating.choices)

    class Meta:
        ordering = ["assessment", "wheel_item__order", "wheel_item__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "wheel_item"], name="wheelitemrating_one_per_item"
            ),
            models.CheckConstraint(
                condition=RATING_RANGE,
                name="wheelitemrating_rating_range",
                violation_error_code="wheelitemrating_rating_range",
                violation_error_message=_("Ratings run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.wheel_item}: {self.rating}"


# --- Career conversations ---------------------------------------------------------------


class CareerConversation(TimeStampedModel):
    """A member's preparation for a career conversation with their line manager (the
    generic tool of seed 001). Private to the member unless they share it."""

    class Ambition(models.TextChoices):
        GROW = "grow", _("Grow and maximise my contribution in my current role")
        BROADEN = "broaden", _("Broaden my experience, for example in another functional area")
        STEP_UP = "step_up", _("Step up into the next role")
        UNSURE = "unsure", _("I am not sure yet")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_conversations"
    )
    title = models.CharField(
        max_length=150,
        default="My career conversation",
        help_text=_("For example “Career conversation, spring 2026”."),
    )
    planned_for = models.DateField(
        _("date of the conversation"), null=True, blank=True, help_text=_("If it is arranged.")
    )
    ambition = models.CharField(
        _("what I want from the next year or two"), max_length=20, choices=Ambition.choices
    )
    aspirations = models.TextField(
        _("my career aspirations"),
        help_text=_("Where you would like to be in one to three years, and in the longer term."),
    )
    target_level = models.PositiveSmallIntegerField(
        _("the level of the career pathway I am aiming for"),
        choices=CareerLevel.choices,
        null=True,
        blank=True,
    )
    strengths = models.TextField(
        _("my strengths"),
        help_text=_("What you do well and what energises you; the competency framework helps."),
    )
    development_needs = models.TextField(
        _("my development needs"),
        help_text=_("Skills, knowledge or experience you need for your next step."),
    )
    wheel_items = models.ManyToManyField(
        WheelItem,
        related_name="career_conversations",
        blank=True,
        verbose_name=_("development opportunities I would like to explore"),
    )
    support_wanted = models.TextField(
        _("support I would like"),
        help_text=_("From your line manager and your organisation: time, funding, introductions."),
    )
    barriers = models.TextField(
        _("anything getting in the way of my development"),
        blank=True,
        help_text=_("Optional. Anything you would like your manager to understand."),
    )
    questions = models.TextField(
        _("questions and actions to agree"),
        blank=True,
        help_text=_("Optional. What you want to come out of the conversation."),
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return f"{self.title} ({self.member})"

    def get_absolute_url(self):
        return reverse("resources:conversation_detail", kwargs={"pk": self.pk})


class ConversationShare(TimeStampedModel):
    """A record that the member emailed their preparation to their line manager. The
    email carries the text as it was when shared; ``conversation_updated_at`` names that
    version, so sharing the same version with the same person twice is one share."""

    conversation = models.ForeignKey(
        CareerConversation, on_delete=models.CASCADE, related_name="shares"
    )
    manager_name = models.CharField(_("your line manager's name"), max_length=150, blank=True)
    manager_email = models.EmailField(_("your line manager's email address"))
    message = models.TextField(_("a note to your manager"), blank=True)
    conversation_updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "manager_email", "conversation_updated_at"],
                name="conversationshare_once_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.conversation.title} shared with {self.manager_email}"

    @property
    def email_key(self) -> str:
        return f"resources.conversation_shared:{self.pk}"


# --- Hub articles: entry routes, journeys to inclusion, further resources ----------------


class HubArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class HubArticle(TimeStampedModel):
    """A piece of the hub's own content, in one of three sections (seed 001): the entry
    routes into the HR and OD profession, leaders' journeys to inclusion, and further
    resources (links elsewhere). Edited in the admin."""

    class Section(models.TextChoices):
        ENTRY_ROUTE = "entry_route", _("Entry routes into the profession")
        INCLUSION_JOURNEY = "inclusion_journey", _("Journeys to inclusion")
        FURTHER_RESOURCE = "further_resource", _("Further resources")

    section = models.CharField(max_length=20, choices=Section.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    author_name = models.CharField(
        max_length=150, blank=True, help_text=_("Who wrote it (journeys to inclusion).")
    )
    author_role = models.CharField(max_length=200, blank=True)
    entry_point = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Where the route leads in, for example “Band 2/3” (entry routes)."),
    )
    summary = models.TextField(help_text=_("A sentence or two, shown in the section's list."))
    body = models.TextField(blank=True, help_text=_("The full text, if it is kept here."))
    url = models.URLField(
        _("link"), blank=True, help_text=_("The full article or resource elsewhere, if any.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)

    objects = HubArticleQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    section__in=["entry_route", "inclusion_journey", "further_resource"]
                ),
                name="hubarticle_section_valid",
                violation_error_code="hubarticle_section_valid",
                violation_error_message=_("Choose the hub section."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.section == self.Section.INCLUSION_JOURNEY:
            return reverse("resources:journey_detail", kwargs={"slug": self.slug})
        if self.section == self.Section.ENTRY_ROUTE:
            return reverse("resources:entry_routes") + f"#{self.slug}"
        return reverse("resources:further_resources") + f"#{self.slug}"
