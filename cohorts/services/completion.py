"""Completion by rule: a participant is marked completed only when their version's
completion rule holds (sessions attended, project work, feedback, the cohort ended), or
when a manager overrides the rule with a recorded, audited reason.

The rule lives on ``programmes.ProgrammeVersion`` (``completion_*`` fields); the check is
``completion_unmet``, which lists each unmet part in words a manager can act on. The
date of completion (and so of the certificate) is the day it is recorded: with the
"cohort ended" rule, never before the cohort's last day.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Attendance, Participant


class CompletionRuleNotMet(CohortError):
    """The version's completion rule does not hold for this participant; ``reasons``
    lists each unmet part."""

    code = "completion_rule_not_met"

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__(
            _("This participant cannot be marked completed yet: %(reasons)s")
            % {"reasons": " ".join(self.reasons)},
            non_field_errors=[
                _("This participant cannot be marked completed yet."),
                *self.reasons,
            ],
        )


@dataclass(frozen=True)
class CompletionProgress:
    """What a participant has done towards the rule, and what is still missing."""

    sessions_attended: int
    has_project_work: bool
    has_feedback: bool
    unmet: tuple[str, ...]

    @property
    def rule_holds(self) -> bool:
        return not self.unmet


def completion_progress(
    participant: Participant, *, today: datetime.date | None = None, attended: int | None = None
) -> CompletionProgress:
    """Check ``participant`` against their version's completion rule on ``today``.
    ``attended`` (sessions marked present) may be given when the caller counted it for a
    whole list at once; ``participant.cohort.version`` should be loaded."""
    today = today or timezone.localdate()
    cohort = participant.cohort
    version = cohort.version
    if attended is None:
        attended = participant.attendance.filter(status=Attendance.Status.PRESENT).count()
    has_project_work = _has(participant, "project_work")
    has_feedback = _has(participant, "feedback")
    unmet = []
    if version.completion_requires_cohort_ended and today < cohort.ends_on:
        unmet.append(
            _("The cohort runs until %(ends)s.") % {"ends": date_format(cohort.ends_on, "j F Y")}
        )
    minimum = version.completion_min_sessions
    if minimum and attended < minimum:
        unmet.append(
            ngettext(
                "%(attended)s session attended of the %(minimum)s required.",
                "%(attended)s sessions attended of the %(minimum)s required.",
                attended,
            )
            % {"attended": attended, "minimum": minimum}
        )
    if version.completion_requires_project_work and not has_project_work:
        unmet.append(_("Project work not yet submitted."))
    if version.completion_requires_feedback and not has_feedback:
        unmet.append(_("Feedback not yet given."))
    return CompletionProgress(
        sessions_attended=attended,
        has_project_work=has_project_work,
        has_feedback=has_feedback,
        unmet=tuple(unmet),
    )


def _has(participant: Participant, one_to_one: str) -> bool:
    # A reverse one-to-one with no row raises DoesNotExist (an AttributeError).
    return getattr(participant, one_to_one, None) is not None


@transaction.atomic
def participant_mark_completed(
    *, participant: Participant, actor, override_reason: str = ""
) -> Participant:
    """Mark a participant completed: they become an alumnus of the programme and may
    download their certificate, dated today.

    Guarantees: a withdrawn participant never completes; the version's completion rule
    holds on the day, or ``override_reason`` (required then) says why the manager
    completes them anyway, and is kept on the participant and in the audit log; a
    participant is never completed before their cohort starts, whatever the reason.
    Refusals: ``CompletionRuleNotMet`` (its ``reasons`` list each unmet part),
    ``CohortError`` otherwise. Marking an already completed participant again keeps
    their completion date."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("cohort__version__programme")
        .get(pk=participant.pk)
    )
    if participant.status == Participant.Status.WITHDRAWN:
        raise CohortError(
            _("A withdrawn participant cannot complete."), code="participant_withdrawn"
        )
    today = timezone.localdate()
    cohort = participant.cohort
    override_reason = override_reason.strip()
    progress = completion_progress(participant, today=today)
    if not progress.rule_holds and not override_reason:
        raise CompletionRuleNotMet(list(progress.unmet))
    if today < cohort.starts_on:
        raise CohortError(
            _("The cohort starts on %(starts)s: nobody can complete it before then.")
            % {"starts": date_format(cohort.starts_on, "j F Y")},
            code="cohort_not_started",
        )
    participant.status = Participant.Status.COMPLETED
    participant.completed_at = participant.completed_at or timezone.now()
    participant.completion_reason = ""
    participant.completion_override_reason = "" if progress.rule_holds else override_reason
    participant.completion_recorded_by = actor
    clean_or_raise(participant, CohortError)
    participant.save()
    if progress.rule_holds:
        audit_record(actor=actor, action="cohorts.participant_completed", obj=participant)
    else:
        audit_record(
            actor=actor,
            action="cohorts.participant_completed_by_override",
            obj=participant,
            reason=override_reason,
            data={"unmet": list(progress.unmet)},
        )
    return participant
