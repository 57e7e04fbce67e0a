"""Equality monitoring: special-category personal data, held apart from the profile.

A ``MonitoringRecord`` exists only while its person consents. Nobody but that person
ever sees it: the Django admin does not register it, no view lists or shows another
person's record, and no export, email or log includes it. Reports read it only through
``insights.reports``, which returns rounded, audited aggregates (see ``insights.disclosure``).
The one permission this model defines lets an analyst see those aggregates; there is
deliberately no permission, view or admin page that shows a record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .choices import (
    AgeBand,
    CaringResponsibilities,
    Disability,
    Ethnicity,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
)

# The consent statement a member agrees to. A new wording gets a new version; a record
# keeps the version its person agreed to.
CONSENT_VERSION = "2026-12"
CONSENT_PURPOSE = _(
    "I consent to TalentHub keeping my answers to these equality monitoring questions for "
    "one purpose only: to report, in anonymous totals in which small numbers are hidden, "
    "how people from different groups progress through talent programmes and careers in "
    "HR and OD, so that providers can find and remove unfair barriers. My answers will "
    "not be shown to anyone else, used in selection decisions, or shared. I can change "
    "them or withdraw my consent at any time, which deletes them."
)
# Every wording a record may have been agreed to, by version, so that a member can read
# the statement they agreed to. When the wording changes, add the new version here and
# keep the old ones.
CONSENT_STATEMENTS = {CONSENT_VERSION: CONSENT_PURPOSE}


class MonitoringRecordQuerySet(models.QuerySet):
    def current_consent(self):
        """Records whose person agreed to the current consent statement
        (``CONSENT_VERSION``); a record on an older wording stays until its person
        confirms the new one or withdraws."""
        return self.filter(consent_version=CONSENT_VERSION)


def current_consent_answer(user_path: str, field: str):
    """An expression for reports that read answers through a join (``.values()``,
    ``.annotate()``): the answer to ``field`` of the record of the user at ``user_path``
    (e.g. ``"applicant"``), or None when that person has no record or agreed only to an
    older consent statement, so such a person counts as giving no information."""
    record = f"{user_path}__monitoring_record__"
    return Case(
        When(**{f"{record}consent_version": CONSENT_VERSION}, then=F(f"{record}{field}")),
        default=Value(None),
        output_field=models.CharField(),
    )


class MonitoringRecord(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="monitoring_record",
    )
    consent_given_at = models.DateTimeField()
    consent_version = models.CharField(max_length=20)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices)
    sex = models.CharField(max_length=20, choices=Sex.choices)
    gender_identity = models.CharField(max_length=20, choices=GenderIdentity.choices)
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices)
    disability = models.CharField(max_length=20, choices=Disability.choices)
    religion = models.CharField(max_length=20, choices=Religion.choices)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices)
    caring_responsibilities = models.CharField(
        max_length=20, choices=CaringResponsibilities.choices
    )

    objects = MonitoringRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("equality monitoring record")
        # No add/change/delete/view permissions: nobody may handle another person's
        # record. The one permission is for aggregate reports.
        default_permissions = ()
        permissions = [
            (
                "view_equality_insights",
                "Can view equality insights (suppressed aggregates, never individual records)",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__in": choices.values}),
                name=f"monitoringrecord_{name}_valid",
                violation_error_code="invalid_option",
                violation_error_message=_("Choose one of the answers offered."),
            )
            for name, choices in [
                ("ethnicity", Ethnicity),
                ("sex", Sex),
                ("gender_identity", GenderIdentity),
                ("sexual_orientation", SexualOrientation),
                ("disability", Disability),
                ("religion", Religion),
                ("age_band", AgeBand),
                ("caring_responsibilities", CaringResponsibilities),
            ]
        ] + [
            # A record without the version of the statement its person agreed to would
            # be a record without provable consent.
            models.CheckConstraint(
                condition=~Q(consent_version=""),
                name="monitoringrecord_consent_version_not_empty",
                violation_error_code="monitoringrecord_consent_version_not_empty",
                violation_error_message=_(
                    "A record needs the version of the consent statement its person agreed to."
                ),
            )
        ]

    def __str__(self):
        # Never the answers: a record's string appears in error pages and logs.
        return f"Equality monitoring record #{self.pk}"

    def __repr__(self):
        return f"<MonitoringRecord #{self.pk}>"

    @property
    def consent_is_current(self) -> bool:
        """Whether its person agreed to the current wording of the consent statement."""
        return self.consent_version == CONSENT_VERSION

    @property
    def consent_statement(self) -> str | None:
        """The wording its person agreed to (None for a version no longer on file)."""
        return CONSENT_STATEMENTS.get(self.consent_version)


class EqualityRelease(TimeStampedModel):
    """One period's equality report (the journey, or representation; a quarter by
    default), frozen: every page and CSV of the period shows the figures published in
    it, so that a reader cannot watch them move as one person applies, answers or is
    promoted. ``problem`` is the whole
    disclosure-control problem as published (``insights.disclosure.Problem.to_data``):
    the figures shown, which are withheld, and the true counts behind them, which the
    audit of every later release needs (what a reader of both could work out). The true
    counts are never shown: this model is not in the admin and has no permissions, and
    releases older than the audit's history (``EQUALITY_RELEASE_HISTORY``) are deleted.
    """

    class Report(models.TextChoices):
        JOURNEY = "journey", _("Journey by group")
        REPRESENTATION = "representation", _("Representation by career level")

    report = models.CharField(max_length=20, choices=Report.choices)
    period = models.DateField(help_text=_("The first day of the period the release is for."))
    rules = models.PositiveSmallIntegerField(
        help_text=_("The version of the disclosure-control rules that made it.")
    )
    problem = models.JSONField()
    audited = models.PositiveIntegerField(
        default=0, help_text=_("Protected figures the audit checked, with earlier releases'.")
    )
    withheld = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        ordering = ["report", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period"], name="equalityrelease_one_a_month"
            ),
        ]

    def __str__(self):
        return f"{self.get_report_display()}, {self.period:%B %Y}"

    @property
    def next_period(self):
        """When the next release is due."""
        from .services import next_release_period

        return next_release_period(self.period)
