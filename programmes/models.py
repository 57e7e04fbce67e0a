"""The programme catalogue: programmes, their versions and modules, franchises, and the
subsidy schemes that fund places on them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talenthub.core.aggregates import related_count
from talenthub.core.choices import CareerLevel, Sector
from talenthub.core.models import FunctionalArea, Organisation, TimeStampedModel


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Programme.Status.PUBLISHED)

    # An audience with no career levels (or no functional areas) is for everyone: the
    # programme page says "All career levels", so a filter by one level must find it.
    # Both are ``Exists`` subqueries rather than joins, so a programme appears once and
    # the query count does not depend on the size of its audience.
    def for_career_level(self, level: int):
        """Programmes aimed at career ``level``, or at every level (none chosen)."""
        levels = ProgrammeCareerLevel.objects.filter(programme=OuterRef("pk"))
        return self.filter(Exists(levels.filter(level=level)) | ~Exists(levels))

    def for_functional_area(self, area: FunctionalArea):
        """Programmes for functional ``area``, or for every area (none chosen)."""
        areas = Programme.functional_areas.through.objects.filter(programme=OuterRef("pk"))
        return self.filter(Exists(areas.filter(functionalarea=area)) | ~Exists(areas))

    def run_by(self, provider: Organisation, on: datetime.date | None = None):
        """Programmes ``provider`` owns or holds a franchise of on ``on`` (today by
        default): the programmes whose cohorts it may run."""
        franchised = Franchise.objects.current(on).filter(
            programme=OuterRef("pk"), franchisee=provider
        )
        return self.filter(Q(owner=provider) | Exists(franchised))


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
    functional_areas = models.ManyToManyField(
        FunctionalArea,
        related_name="programmes",
        blank=True,
        help_text=_("The functional areas of HR and OD the programme is for."),
    )
    how_to_apply = models.TextField(
        _("how to apply or book"),
        blank=True,
        help_text=_("Shown on the programme page: who can apply or book, and how."),
    )
    delivery_mode = models.CharField(
        max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # A talent pool has no cohorts: people join it by nomination and assessment during an
    # intake. Its next intake is these two dates (both or neither); members who asked are
    # emailed when it opens (alumni: ``pool_alerts_send``).
    intake_opens_on = models.DateField(
        _("next intake opens"),
        null=True,
        blank=True,
        help_text=_("Talent pools only: the first day nominations and applications are taken."),
    )
    intake_closes_on = models.DateField(
        _("next intake closes"),
        null=True,
        blank=True,
        help_text=_("Talent pools only: the last day nominations and applications are taken."),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intake_opens_on__isnull=True, intake_closes_on__isnull=True)
                | Q(
                    # NULL passes a CHECK: both dates are named not null.
                    intake_opens_on__isnull=False,
                    intake_closes_on__isnull=False,
                    intake_closes_on__gte=models.F("intake_opens_on"),
                ),
                name="programme_intake_dates_in_order",
                violation_error_code="programme_intake_dates_in_order",
                violation_error_message=_(
                    "Give both intake dates, the closing day on or after the opening day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="talent_pool") | Q(intake_opens_on__isnull=True),
                name="programme_intake_for_pools_only",
                violation_error_code="programme_intake_for_pools_only",
                violation_error_message=_(
                    "Only a talent pool has an intake: other programmes take applications "
                    "on their cohorts."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    def career_level_values(self) -> list[int]:
        """The audience's career levels, in order (uses prefetched rows when present)."""
        return sorted(row.level for row in self.audience_levels.all())

    def career_level_labels(self) -> list[str]:
        return [CareerLevel(level).label for level in self.career_level_values()]

    def sector_values(self) -> list[str]:
        return sorted(row.sector for row in self.audience_sectors.all())

    def sector_labels(self) -> list[str]:
        return sorted(Sector(value).label for value in self.sector_values())

    def intake_is_open(self, today=None) -> bool:
        """A talent pool's intake: from its opening day to its closing day, inclusive."""
        today = today or timezone.localdate()
        return bool(self.intake_opens_on and self.intake_opens_on <= today <= self.intake_closes_on)


# The audience's career levels and sectors are rows of two small tables rather than a
# JSON list, so the catalogue filters by them with a plain join on SQLite and PostgreSQL.
class ProgrammeCareerLevel(models.Model):
    """One career level (1 to 4) a programme is aimed at."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="audience_levels"
    )
    level = models.PositiveSmallIntegerField(choices=CareerLevel.choices)

    class Meta:
        ordering = ["programme", "level"]
        verbose_name = _("audience career level")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "level"],
                name="programmecareerlevel_unique_level",
                violation_error_code="programmecareerlevel_unique_level",
                violation_error_message=_("This career level is already in the audience."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="programmecareerlevel_level_range",
                violation_error_code="programmecareerlevel_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return CareerLevel(self.level).label


class ProgrammeSector(models.Model):
    """One sector of the public sector a programme is aimed at."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="audience_sectors"
    )
    sector = models.CharField(max_length=40, choices=Sector.choices)

    class Meta:
        ordering = ["programme", "sector"]
        verbose_name = _("audience sector")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sector"],
                name="programmesector_unique_sector",
                violation_error_code="programmesector_unique_sector",
                violation_error_message=_("This sector is already in the audience."),
            ),
        ]

    def __str__(self):
        return Sector(self.sector).label


class ProgrammeVersionQuerySet(models.QuerySet):
    def launched(self, on: datetime.date | None = None):
        """Versions launched on or before ``on`` (today by default)."""
        return self.filter(launched_on__lte=on or timezone.localdate())


class ProgrammeVersion(TimeStampedModel):
    """One version of a programme (Aspire, then Aspire 2.0). Cohorts run on a version;
    earlier versions stay visible as history. The *current* version is the one launched
    most recently (on or before today)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(max_length=100, help_text=_("For example “Aspire 2.0”."))
    launched_on = models.DateField()
    summary = models.TextField(blank=True, help_text=_("What changed in this version."))

    # Which cohort features apply. Project work (and the celebration event's review of it)
    # belongs to multi-module programmes such as Aspire; a workshop such as Inspire OD has
    # none unless its version asks for it.
    project_work = models.BooleanField(
        _("participants submit project work"),
        null=True,
        blank=True,
        help_text=_(
            "Leave unknown to follow the programme's kind: multi-module programmes have "
            "project work, workshops and others do not."
        ),
    )

    # The completion rule: what a participant must have done before a manager can mark
    # them completed (``cohorts.services.completion``). A manager may override it with a
    # recorded reason.
    completion_min_sessions = models.PositiveSmallIntegerField(
        _("sessions attended, at least"),
        null=True,
        blank=True,
        help_text=_("Leave blank for no attendance rule."),
    )
    completion_requires_project_work = models.BooleanField(
        _("project work submitted"), default=False
    )
    completion_requires_feedback = models.BooleanField(_("feedback given"), default=False)
    completion_requires_cohort_ended = models.BooleanField(
        _("cohort ended"),
        default=True,
        help_text=_("Completion only on or after the cohort's last day."),
    )

    objects = ProgrammeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-launched_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="programmeversion_unique_name",
                violation_error_code="programmeversion_unique_name",
                violation_error_message=_("This programme already has a version with this name."),
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"

    @property
    def offers_project_work(self) -> bool:
        """Whether participants of this version's cohorts submit project work: the
        version's own choice, else the programme's kind decides."""
        if self.project_work is not None:
            return self.project_work
        return self.programme.kind == Programme.Kind.MULTI_MODULE

    def clean(self):
        super().clean()
        if (
            self.completion_requires_project_work
            and self.programme_id
            and not self.offers_project_work
        ):
            raise ValidationError(
                {
                    "completion_requires_project_work": ValidationError(
                        _("This version has no project work to require."),
                        code="no_project_work_to_require",
                    )
                }
            )


class Module(TimeStampedModel):
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    learning_outcomes = models.TextField(blank=True, help_text=_("One outcome a line."))

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"],
                name="module_unique_order",
                violation_error_code="module_unique_order",
                violation_error_message=_(
                    "Another module of this version already has this order number: "
                    "each module needs its own."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def learning_outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


class FranchiseQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Franchises in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class Franchise(TimeStampedModel):
    """A licence from a programme's owner to another provider (a franchisee), who may run
    its own cohorts of the programme from ``starts_on`` until ``ends_on`` (open-ended when
    blank)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="franchises")
    franchisee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="franchises_held",
        limit_choices_to={"is_provider": True},
    )
    starts_on = models.DateField(_("holds the franchise from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = FranchiseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "starts_on", "franchisee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "franchisee", "starts_on"],
                name="franchise_unique_start",
                violation_error_code="franchise_unique_start",
                violation_error_message=_(
                    "This organisation already holds a franchise of this programme from that date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="franchise_ends_after_start",
                violation_error_code="franchise_ends_after_start",
                violation_error_message=_("A franchise cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.programme} franchised to {self.franchisee}"

    def clean(self):
        super().clean()
        try:
            # May be an unsaved programme, when added together with it in the admin.
            programme = self.programme
        except Franchise.programme.RelatedObjectDoesNotExist:
            programme = None
        if programme is None or not self.franchisee_id:
            return
        if self.franchisee_id == programme.owner_id:
            raise ValidationError(
                {
                    "franchisee": ValidationError(
                        _("The owner of a programme cannot hold a franchise of it."),
                        code="owner_as_franchisee",
                    )
                }
            )
        if not self.franchisee.is_provider:
            raise ValidationError(
                {
                    "franchisee": ValidationError(
                        _("Only a provider organisation can hold a franchise."),
                        code="franchisee_not_provider",
                    )
                }
            )
        if programme.pk and self.starts_on:
            # Two periods overlap when each starts before the other ends.
            overlapping = (
                Franchise.objects.filter(programme=programme, franchisee_id=self.franchisee_id)
                .exclude(pk=self.pk)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
            )
            if self.ends_on:
                overlapping = overlapping.filter(starts_on__lte=self.ends_on)
            if overlapping.exists():
                raise ValidationError(
                    _(
                        "%(franchisee)s already holds a franchise of this programme "
                        "for part of this period."
                    ),
                    params={"franchisee": self.franchisee},
                    code="franchise_overlap",
                )

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class SubsidySchemeQuerySet(models.QuerySet):
    def with_places_used(self):
        """Annotate ``places_used_count``: the allocations made so far (one query for a
        whole list, instead of one ``places_used()`` call per scheme). A subquery, not a
        join: lists of schemes filter and prefetch through the schemes' programmes, and
        a join of both would count allocations × programmes (issue 21)."""
        return self.annotate(
            places_used_count=related_count(SubsidyAllocation.objects.all(), link="scheme")
        )


class SubsidyScheme(TimeStampedModel):
    """A funder's promise to pay for a number of places on some programmes, e.g. the LGA's
    100 Inspire OD places nationally. The cap spans every cohort and provider. Places
    used are never stored: they are the scheme's ``SubsidyAllocation`` rows."""

    name = models.CharField(max_length=200, unique=True)
    funder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="subsidy_schemes_funded"
    )
    programmes = models.ManyToManyField(Programme, related_name="subsidy_schemes")
    total_places = models.PositiveIntegerField(
        _("total places"), help_text=_("The cap: how many places the funder pays for in all.")
    )
    description = models.TextField(blank=True)

    objects = SubsidySchemeQuerySet.as_manager()

    def eligibility_refusal(self, person) -> str | None:
        """Why ``person`` may not have one of this scheme's places, or None when they
        may: the scheme's eligible sectors (none listed: everyone) are matched against
        the sector of the organisation on the person's profile."""
        sectors = [s.sector for s in self.eligible_sectors.all()]
        if not sectors:
            return None
        names = ", ".join(str(Sector(s).label) for s in sectors)
        profile = getattr(person, "profile", None)
        organisation = getattr(profile, "organisation", None) if profile else None
        if organisation is None:
            return _(
                "%(scheme)s funds places for staff of %(sectors)s organisations, and your "
                "profile does not name your organisation."
            ) % {"scheme": self.name, "sectors": names}
        if organisation.sector not in sectors:
            return _(
                "%(scheme)s funds places for staff of %(sectors)s organisations only; "
                "%(organisation)s is in %(sector)s."
            ) % {
                "scheme": self.name,
                "sectors": names,
                "organisation": organisation.name,
                "sector": organisation.get_sector_display(),
            }
        return None

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_places__gte=1),
                name="subsidyscheme_total_places_positive",
                violation_error_code="subsidyscheme_total_places_positive",
                violation_error_message=_("A scheme needs at least one place."),
            ),
        ]

    def __str__(self):
        return self.name

    def places_used(self) -> int:
        """Places allocated so far (the annotation when the row came from
        ``with_places_used()``, otherwise a count)."""
        annotated = getattr(self, "places_used_count", None)
        if annotated is not None:
            return annotated
        if self.pk is None:
            return 0
        return self.allocations.count()

    def places_left(self) -> int:
        return max(self.total_places - self.places_used(), 0)

    def clean(self):
        super().clean()
        if self.pk and self.total_places is not None:
            used = SubsidyAllocation.objects.filter(scheme_id=self.pk).count()
            if self.total_places < used:
                raise ValidationError(
                    {
                        "total_places": ValidationError(
                            _("The cap cannot be set below the %(used)s places already used.")
                            % {"used": used},
                            code="cap_below_used",
                        )
                    }
                )


class SubsidySchemeSector(models.Model):
    """A sector whose organisations' staff a scheme funds (the LGA's Inspire OD places
    are for local government HR staff). A scheme with none funds anyone."""

    scheme = models.ForeignKey(
        SubsidyScheme, on_delete=models.CASCADE, related_name="eligible_sectors"
    )
    sector = models.CharField(max_length=40, choices=Sector.choices)

    class Meta:
        ordering = ["scheme", "sector"]
        verbose_name = _("eligible sector")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "sector"],
                name="subsidyschemesector_unique_sector",
                violation_error_code="subsidyschemesector_unique_sector",
                violation_error_message=_("This sector is already eligible."),
            ),
        ]

    def __str__(self):
        return self.get_sector_display()


class SubsidyAllocation(TimeStampedModel):
    """One subsidised place used from a scheme, by one person on one programme. Created
    (under a lock on the scheme) by ``services.subsidy_place_allocate`` — the cohorts app
    calls it when it enrols a subsidised participant."""

    scheme = models.ForeignKey(SubsidyScheme, on_delete=models.PROTECT, related_name="allocations")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="subsidy_allocations"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subsidy_allocations"
    )
    description = models.CharField(
        max_length=300, blank=True, help_text=_("For example the cohort the place is on.")
    )

    class Meta:
        ordering = ["scheme", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "programme", "recipient"],
                name="subsidyallocation_one_per_person_programme",
                violation_error_code="subsidyallocation_one_per_person_programme",
                violation_error_message=_(
                    "This person already has a subsidised place on this programme from this scheme."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.scheme}: {self.recipient} on {self.programme}"


class ProgrammeAlert(TimeStampedModel):
    """A member's "tell me when it next opens" on a published programme: for a
    programme run in cohorts, when a cohort of it opens for applications (cohorts:
    ``programme_alerts_send``); for a talent pool, when its next intake opens (alumni:
    ``pool_alerts_send``). Emailed once, then ``sent_at`` is set and the alert has ended
    (the member asks again for the cohort after); the member may stop it before then.
    Sent alerts stay as the record of what was sent."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="opening_alerts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_alerts"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "member"],
                condition=Q(sent_at__isnull=True),
                name="programmealert_one_live_per_member",
                violation_error_code="programmealert_one_live_per_member",
                violation_error_message=_("You have already asked to hear when this opens."),
            )
        ]

    def __str__(self):
        return f"{self.member} – when {self.programme.title} next opens"


class ProviderUpdates(TimeStampedModel):
    """A member registered for updates from a provider (e.g. the Midlands Regional
    Talent Board): they get its announcements (cohorts opening, events published) even
    outside the audience and without the general opt-ins, until they stop (the page or
    the unsubscribe link in each email)."""

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="update_registrations",
        limit_choices_to={"is_provider": True},
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_updates"
    )

    class Meta:
        ordering = ["provider__name"]
        verbose_name = _("registration for a provider's updates")
        verbose_name_plural = _("registrations for providers' updates")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "member"],
                name="providerupdates_one_per_member",
                violation_error_code="providerupdates_one_per_member",
                violation_error_message=_("You are already registered for these updates."),
            )
        ]

    def __str__(self):
        return f"{self.member} – updates from {self.provider}"
