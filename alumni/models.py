"""The alumni network and talent visibility.

Who is an alumnus is never stored: it is derived from completed cohort participations
(``cohorts.Participant.objects.completed()``). An alumni profile may exist only for an
alumnus, and every listing of profiles goes through ``alumni.selectors.directory_profiles``
so that the owner's visibility choice is applied in one place.

Career history entries belong to the person (the user row), not to the profile, so that
outcome figures survive when a member deletes their account: erasure blanks the role and
organisation but keeps the level and dates.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme
from talenthub.core.choices import CareerLevel, Region, Sector
from talenthub.core.compiled_once import CompiledOnce
from talenthub.core.models import FunctionalArea, Organisation, TimeStampedModel, User

LEVEL_RANGE = Q(level__gte=1, level__lte=4)


def completed_participations():
    from cohorts.models import Participant

    return Participant.objects.completed()


def is_alumnus(user) -> bool:
    """True when the user has completed at least one cohort."""
    if not getattr(user, "is_authenticated", False):
        return False
    return completed_participations().filter(user=user).exists()


def viewer_is_alumnus(user) -> bool:
    """``is_alumnus`` for the person viewing a page, which its access check, context and
    navigation each ask: answered once and remembered on the request's user object (each
    request loads its user afresh). Services ask ``is_alumnus``, which always reads.

    The alumni navigation, on every alumni page, asks next whether the viewer moderates
    (``moderation.is_moderator``): read in the same query and remembered the same way,
    so the two cost one round trip, not two."""
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        return user._talenthub_is_alumnus
    except AttributeError:
        alumnus, moderator = map(bool, VIEWER_ROLES.first_row(user.pk) or (False, False))
        user._talenthub_is_alumnus, user._talenthub_is_moderator = alumnus, moderator
        return alumnus


def _viewer_roles(viewer_id):
    """Whether ``viewer_id`` is an alumnus (``is_alumnus``) and holds the moderation
    permission (``moderation.is_moderator`` for an active account that is no superuser)."""
    from .moderation import moderation_permissions_of  # noqa: PLC0415 -- imports models

    return (
        User.objects.filter(pk=viewer_id)
        .order_by()
        .values_list(
            Exists(completed_participations().filter(user=viewer_id)),
            Exists(moderation_permissions_of(viewer_id)),
        )
    )


# Asked on every alumni page: compiled once per process (building it cost more than the
# page-speed baseline's whole query).
VIEWER_ROLES = CompiledOnce(_viewer_roles)


def alumnus_exists(user_ref="user"):
    """An ``Exists`` expression: the row's user has completed a cohort."""
    return Exists(completed_participations().filter(user=OuterRef(user_ref)))


def photo_path(instance, filename):
    return f"alumni/photos/{instance.user_id}.jpg"


class AlumniProfileQuerySet(models.QuerySet):
    def of_alumni(self):
        """Profiles whose owner is (still) an alumnus and an active account."""
        return self.filter(alumnus_exists(), user__is_active=True)


class AlumniProfile(TimeStampedModel):
    """What an alumnus tells the network about themselves, and who may see it."""

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("All signed-in members")
        ALUMNI = "alumni", _("Alumni only")
        HIDDEN = "hidden", _("Nobody: hide my profile")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alumni_profile"
    )
    headline = models.CharField(
        max_length=150, help_text=_("One line, for example “Head of HR, Birmingham”.")
    )
    current_role = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="alumni_profiles",
        null=True,
        blank=True,
    )
    region = models.CharField(max_length=30, choices=Region.choices, blank=True)
    career_level = models.PositiveSmallIntegerField(
        choices=CareerLevel.choices, null=True, blank=True
    )
    functional_areas = models.ManyToManyField(
        FunctionalArea, related_name="alumni_profiles", blank=True
    )
    skills = models.CharField(
        max_length=500, blank=True, help_text=_("Separate skills with commas.")
    )
    bio = models.TextField(_("short biography"), max_length=2000, blank=True)
    photo = models.ImageField(upload_to=photo_path, blank=True)
    website = models.URLField(blank=True)
    linkedin = models.URLField(_("LinkedIn profile"), blank=True)
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.HIDDEN,
        help_text=_("Who can find you in the alumni directory."),
    )
    email_career_updates = models.BooleanField(
        _("Email me when alumni of my cohorts announce a career update"),
        default=False,  # an opt-in (PECR); each change is a core ConsentRecord
        help_text=_(
            "Only while your own profile is visible: a hidden profile takes no part in the network."
        ),
    )

    objects = AlumniProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(career_level__isnull=True)
                | Q(career_level__gte=1, career_level__lte=4),
                name="alumniprofile_career_level_range",
                violation_error_code="alumniprofile_career_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["members", "alumni", "hidden"]),
                name="alumniprofile_visibility_valid",
                violation_error_code="alumniprofile_visibility_valid",
                violation_error_message=_("Choose who can see the profile."),
            ),
        ]
        indexes = [models.Index(fields=["visibility"], name="alumniprofile_visibility_idx")]

    def __str__(self):
        return f"Alumni profile of {self.user}"

    def get_absolute_url(self):
        return reverse("alumni:profile", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.user_id and not completed_participations().filter(user_id=self.user_id).exists():
            raise ValidationError(
                _("Only alumni (people who have completed a cohort) can have an alumni profile.")
            )

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class CareerEntry(TimeStampedModel):
    """One role in a person's career: what outcomes are computed from."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_entries"
    )
    role = models.CharField(max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    level = models.PositiveSmallIntegerField(_("career level"), choices=CareerLevel.choices)
    sector = models.CharField(
        max_length=30,
        choices=Sector.choices,
        blank=True,
        help_text=_("Optional: counts a move between sectors in the outcome figures."),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty if current."))
    announced_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When this was announced to the network.")
    )

    class Meta:
        ordering = ["user", "-started_on"]
        verbose_name_plural = "career entries"
        constraints = [
            models.CheckConstraint(
                condition=LEVEL_RANGE,
                name="careerentry_level_range",
                violation_error_code="careerentry_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="careerentry_dates_in_order",
                violation_error_code="careerentry_dates_in_order",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["level", "started_on"], name="careerentry_level_idx"),
            # The admin's date hierarchy: its first and last dates and its years
            # (talenthub.core.admin_filters.IndexedYearsMixin), by index probes.
            models.Index(fields=["started_on"], name="careerentry_started_on_idx"),
            # The directory's latest career updates: newest first, the few announced only.
            models.Index(
                fields=["-announced_at"],
                condition=Q(announced_at__isnull=False),
                name="careerentry_announced_idx",
            ),
        ]

    def __str__(self):
        return f"{self.role}, {self.organisation_name} (from {self.started_on:%b %Y})"

    def clean(self):
        super().clean()
        if self.started_on and self.started_on > timezone.localdate():
            raise ValidationError(
                {
                    "started_on": ValidationError(
                        _("The start date must be today or earlier."), code="start_in_future"
                    )
                }
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {
                    "ended_on": ValidationError(
                        _("The end date must be after the start date."),
                        code="careerentry_dates_in_order",
                    )
                }
            )


class MentoringOfferQuerySet(models.QuerySet):
    def taking_mentees(self):
        """Open offers with fewer accepted mentees than their capacity: the ones listed
        as open to mentoring and that may receive a request."""
        accepted = (
            MentoringRequest.objects.filter(offer=OuterRef("pk"), status="accepted")
            .order_by()
            .values("offer")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.filter(is_open=True)
            .alias(accepted_now=Coalesce(models.Subquery(accepted), 0))
            .filter(accepted_now__lt=models.F("capacity"))
        )


class MentoringOffer(TimeStampedModel):
    """An alumnus offers mentoring on some topics, to at most ``capacity`` mentees at once."""

    mentor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_offer"
    )
    topics = models.CharField(max_length=300, help_text=_("For example “business partnering”."))
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text=_("How many mentees you can support at once.")
    )
    is_open = models.BooleanField(_("open to new mentees"), default=True)

    objects = MentoringOfferQuerySet.as_manager()

    class Meta:
        ordering = ["mentor__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=10),
                name="mentoringoffer_capacity_range",
                violation_error_code="mentoringoffer_capacity_range",
                violation_error_message=_("Offer to mentor between 1 and 10 people."),
            ),
        ]

    def __str__(self):
        return f"Mentoring by {self.mentor}"


class MentoringRequestQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=MentoringRequest.LIVE_STATUSES)


class MentoringRequest(TimeStampedModel):
    """A member's request to a mentor and, once accepted, the mentoring relationship."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every three months")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    LIVE_STATUSES = (Status.REQUESTED, Status.ACCEPTED)

    offer = models.ForeignKey(MentoringOffer, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_requests"
    )
    message = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The relationship, once accepted: what the pair agreed, and how it went.
    goals = models.TextField(
        _("goals"), max_length=3000, blank=True, help_text=_("What the mentee wants to achieve.")
    )
    frequency = models.CharField(
        _("how often you meet"), max_length=12, choices=Frequency.choices, blank=True
    )
    mentor_review = models.TextField(_("the mentor's closing review"), max_length=3000, blank=True)
    mentee_review = models.TextField(_("the mentee's closing review"), max_length=3000, blank=True)

    objects = MentoringRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "mentee"],
                condition=Q(status__in=["requested", "accepted"]),
                name="mentoringrequest_one_live_per_pair",
                violation_error_code="mentoringrequest_one_live_per_pair",
                violation_error_message=_("You have already asked this alumnus for mentoring."),
            ),
        ]

    def __str__(self):
        return f"{self.mentee} → {self.offer.mentor} ({self.get_status_display()})"


class CareerStoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CareerStory.Status.PUBLISHED)


class ModerationStatus(models.TextChoices):
    """Where a member's contribution (a career story, a pledge) stands."""

    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class CareerStory(TimeStampedModel):
    """A member's career journey, published once a moderator approves it."""

    Status = ModerationStatus

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_stories"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    functional_area = models.ForeignKey(
        FunctionalArea,
        on_delete=models.PROTECT,
        related_name="career_stories",
        null=True,
        blank=True,
    )
    career_level = models.PositiveSmallIntegerField(
        choices=CareerLevel.choices, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CareerStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "career stories"
        # Moderators (a group given this permission, and superusers) are emailed when a
        # story or a pledge is waiting, and moderate both at /alumni/moderation/.
        permissions = [("moderate_contributions", "Can moderate career stories and pledges")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="careerstory_published_has_date",
                violation_error_code="careerstory_published_has_date",
                violation_error_message=_("A published story needs the date it was published."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alumni:story", kwargs={"pk": self.pk})


class PledgeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Pledge.Status.PUBLISHED)


class Pledge(TimeStampedModel):
    """A public statement by a named leader to drive equality in HR and OD. A member
    submits it (seed 001: "To make your pledge – please complete this form"); it is public
    once a moderator approves it."""

    Status = ModerationStatus

    leader_name = models.CharField(max_length=150)
    leader_role = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pledges")
    statement = models.TextField(max_length=3000)
    made_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pledges_submitted",
        help_text=_("The member who submitted it (empty for pledges entered by staff)."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on", "leader_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "published", "rejected"]),
                name="pledge_status_valid",
                violation_error_code="pledge_status_valid",
                violation_error_message=_("Choose whether the pledge is published."),
            ),
        ]

    def __str__(self):
        return f"{self.leader_name}, {self.organisation}"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", _("Ready now")
    ONE_TO_TWO_YEARS = "one_to_two", _("Ready in 1 to 2 years")
    THREE_PLUS_YEARS = "three_plus", _("Ready in 3 or more years")


class TalentPoolMember(TimeStampedModel):
    """A person selected into a talent pool (a programme of kind talent pool) by the
    pool's managers. Mobility preferences are set by the member."""

    pool = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="pool_members",
        limit_choices_to={"kind": Programme.Kind.TALENT_POOL},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent_pools"
    )
    target_level = models.PositiveSmallIntegerField(
        choices=CareerLevel.choices, help_text=_("The level of role the member is aiming for.")
    )
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    skills = models.CharField(max_length=500, blank=True)
    experience = models.TextField(blank=True)
    home_region = models.CharField(max_length=30, choices=Region.choices)
    mobility_regions = models.JSONField(
        default=list, blank=True, help_text=_("Other regions the member would work in.")
    )
    open_to_secondment = models.BooleanField(default=False)
    open_to_relocation = models.BooleanField(default=False)
    functional_areas = models.ManyToManyField(
        FunctionalArea, related_name="talent_pool_members", blank=True
    )
    share_with_employers = models.BooleanField(
        _("Show me to organisations whose vacancies I match"),
        default=False,  # the member's own choice: off until they agree
        help_text=_(
            "An organisation that posts a vacancy you match sees your name, readiness and "
            "mobility. Only you can change this."
        ),
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pool", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "user"], name="talentpoolmember_unique"),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=4),
                name="talentpoolmember_level_range",
                violation_error_code="talentpoolmember_level_range",
                violation_error_message=_("Target levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.pool}"

    def clean(self):
        super().clean()
        if self.pool_id and self.pool.kind != Programme.Kind.TALENT_POOL:
            raise ValidationError(
                {
                    "pool": ValidationError(
                        _("Choose a programme that is a talent pool."), code="not_a_pool"
                    )
                }
            )
        invalid = set(self.mobility_regions or []) - set(Region.values)
        if invalid:
            raise ValidationError(
                {"mobility_regions": ValidationError(_("Unknown region."), code="unknown_region")}
            )

    def can_work_in(self, region: str) -> bool:
        """Whether the member would work in ``region``: their home region, one they chose,
        or anywhere if they would relocate. Being open to secondment does not widen this
        (a secondment changes the employer for a while, not where one can work); it
        decides which posts the member matches, in ``can_fill``."""
        return (
            self.open_to_relocation
            or region == self.home_region
            or region in (self.mobility_regions or [])
        )

    def can_fill(self, vacancy: "Vacancy") -> bool:
        """Whether the member matches ``vacancy``: aiming for its level, willing to work in
        its region, and, if the post is a secondment, open to secondment. A permanent post
        matches members whether or not they would also take a secondment. The functional
        area is not a condition (people move between areas); ``area_fit`` ranks by it."""
        return (
            self.target_level == vacancy.level
            and self.can_work_in(vacancy.region)
            and (self.open_to_secondment or not vacancy.is_secondment)
        )

    def area_fit(self, vacancy: "Vacancy") -> bool:
        """Whether the member works in the vacancy's functional area (True when the
        vacancy names none). Reads ``functional_areas`` (prefetch it for a list)."""
        if not vacancy.functional_area_id:
            return True
        return any(a.pk == vacancy.functional_area_id for a in self.functional_areas.all())


class TalentAssessment(TimeStampedModel):
    """The pool's assessment of a member: seen by the pool's managers, and by the member
    once a manager shares it with them."""

    pool_member = models.OneToOneField(
        TalentPoolMember, on_delete=models.CASCADE, related_name="assessment"
    )
    summary = models.TextField()
    shared_with_member = models.BooleanField(
        _("Share this assessment with the member"),
        default=False,
        help_text=_("The member then sees it on their talent pools page."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"Assessment of {self.pool_member}"


class VacancyQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Vacancy.Status.OPEN)


class Vacancy(TimeStampedModel):
    """An immediate or predicted senior vacancy posted by an organisation."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate")
        PREDICTED = "predicted", _("Predicted")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies"
    )
    role = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=CareerLevel.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    expected_on = models.DateField(help_text=_("When the post is (or is expected to be) vacant."))
    functional_area = models.ForeignKey(
        FunctionalArea,
        on_delete=models.PROTECT,
        related_name="vacancies",
        null=True,
        blank=True,
        help_text=_("Optional: pool members who work in it are listed first."),
    )
    is_secondment = models.BooleanField(
        _("This is a secondment (a fixed-term move), not a permanent post"),
        default=False,
        help_text=_("A secondment is matched only with pool members open to secondment."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vacancies_posted",
    )

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["expected_on", "role"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=LEVEL_RANGE,
                name="vacancy_level_range",
                violation_error_code="vacancy_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.role}, {self.organisation}"


class MentoringSession(TimeStampedModel):
    """One meeting of a mentoring pair, logged by either of them."""

    relationship = models.ForeignKey(
        MentoringRequest, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date of the session"))
    notes = models.TextField(_("what you discussed and agreed"), max_length=3000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Session of {self.relationship} on {self.held_on}"

    def clean(self):
        super().clean()
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {
                    "held_on": ValidationError(
                        _("Log a session on or after the day it was held."),
                        code="session_in_future",
                    )
                }
            )


class KeyRole(TimeStampedModel):
    """A named key role that a talent pool plans the succession of (seed 003 action 29):
    who holds it now, and which pool members could succeed them, how soon."""

    pool = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="key_roles",
        limit_choices_to={"kind": Programme.Kind.TALENT_POOL},
    )
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="key_roles"
    )
    level = models.PositiveSmallIntegerField(choices=CareerLevel.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    incumbent = models.CharField(
        max_length=150, blank=True, help_text=_("Who holds the role now (leave empty if vacant).")
    )
    expected_vacancy_on = models.DateField(_("expected to be vacant from"), null=True, blank=True)
    notes = models.TextField(max_length=3000, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "organisation", "title"],
                name="keyrole_unique_per_pool",
                violation_error_code="keyrole_unique_per_pool",
                violation_error_message=_("This pool already plans for this role."),
            ),
            models.CheckConstraint(
                condition=LEVEL_RANGE,
                name="keyrole_level_range",
                violation_error_code="keyrole_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.organisation}"


class Successor(TimeStampedModel):
    """A pool member named as a possible successor to a key role, with their readiness
    for that role (not necessarily their readiness in the pool)."""

    key_role = models.ForeignKey(KeyRole, on_delete=models.CASCADE, related_name="successors")
    pool_member = models.ForeignKey(
        TalentPoolMember, on_delete=models.CASCADE, related_name="successions"
    )
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    development = models.CharField(_("development needed"), max_length=500, blank=True)

    class Meta:
        ordering = ["key_role", "readiness"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_role", "pool_member"],
                name="successor_once_per_role",
                violation_error_code="successor_once_per_role",
                violation_error_message=_("This person is already a successor for the role."),
            ),
        ]

    def __str__(self):
        return f"{self.pool_member.user} for {self.key_role}"
