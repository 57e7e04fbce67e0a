"""Writes of equality monitoring records, and the equality releases (quarterly by default). Nothing
here logs, audits or emails the answers: the record itself, and the time consent was
given, are all that is kept; a release keeps only counts of groups."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CHARACTERISTICS
from .disclosure import Problem
from .exceptions import InsightsError
from .models import CONSENT_VERSION, EqualityRelease, MonitoringRecord

logger = logging.getLogger(__name__)

# Bump when the disclosure-control rules change: a release records the rules that made it.
RULES = 3


@transaction.atomic
def monitoring_save(*, user, consent: bool, answers: dict, now=None) -> MonitoringRecord:
    """Create or replace ``user``'s monitoring record with ``answers`` (one value per
    characteristic; "prefer_not_to_say" is an answer). Refused, with nothing stored,
    unless ``consent`` is given: explicit consent to the purpose in ``CONSENT_PURPOSE``.
    Saving again renews the consent with the current statement's version."""
    if not consent:
        raise InsightsError(
            _("Tick the box to give your consent, or leave this page: nothing has been saved."),
            code="consent_required",
        )
    missing = [c.label for name, c in CHARACTERISTICS.items() if not answers.get(name)]
    if missing:
        raise InsightsError(
            _("Answer every question (you can choose “Prefer not to say”): %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)},
            code="answers_missing",
        )
    record = MonitoringRecord.objects.select_for_update().filter(user=user).first()
    if record is None:
        record = MonitoringRecord(user=user)
    for name in CHARACTERISTICS:
        setattr(record, name, answers[name])
    record.consent_given_at = now or timezone.now()
    record.consent_version = CONSENT_VERSION
    try:
        record.full_clean()
    except ValidationError as exc:
        raise InsightsError(
            _("One of the answers is not an option of its question."), code="invalid_option"
        ) from exc
    record.save()
    return record


@transaction.atomic
def monitoring_withdraw(*, user) -> bool:
    """Withdraw consent: ``user``'s record is deleted at once (not hidden, not kept).
    Returns whether there was one."""
    deleted, _by_model = MonitoringRecord.objects.filter(user=user).delete()
    return bool(deleted)


# Equality releases ---------------------------------------------------------------------


def release_months() -> int:
    return int(settings.TALENTHUB.get("EQUALITY_RELEASE_MONTHS", 3))


def release_period(today: datetime.date | None = None) -> datetime.date:
    """The first day of the release period ``today`` (by default, today here) falls in:
    periods of ``EQUALITY_RELEASE_MONTHS`` months from January (quarters, by default)."""
    today = today or timezone.localdate()
    months = release_months()
    return datetime.date(today.year, (today.month - 1) // months * months + 1, 1)


def next_release_period(period: datetime.date) -> datetime.date:
    month = period.month - 1 + release_months()
    return datetime.date(period.year + month // 12, month % 12 + 1, 1)


def _live_problem(report: str) -> Problem:
    from . import reports

    if report == EqualityRelease.Report.JOURNEY:
        return reports.journey_problem()
    return reports.representation_problem()


def equality_release_publish(*, report: str, period: datetime.date) -> EqualityRelease:
    """Publish ``report``'s release for the period starting ``period`` from the data as
    it is now, or return the one already published (a period is published once: every
    page of the period shows it). The figures are rounded and audited together with the
    ``EQUALITY_RELEASE_HISTORY`` releases before it (``Problem.solve``); older releases
    are deleted, as nothing needs their true counts any more. Two processes publishing
    at once both audit, and the first to save wins."""
    existing = EqualityRelease.objects.filter(report=report, period=period).first()
    if existing is not None and existing.rules == RULES:
        return existing
    keep = int(settings.TALENTHUB.get("EQUALITY_RELEASE_HISTORY", 1))
    # Earlier releases made by other rules printed what that code printed, which this
    # code cannot rebuild: they are not used as history.
    earlier = list(
        EqualityRelease.objects.filter(report=report, period__lt=period, rules=RULES).order_by(
            "-period"
        )[:keep]
    )
    history = [Problem.from_data(r.problem) for r in reversed(earlier)]
    problem = _live_problem(report).solve(history=history)
    release = EqualityRelease(
        report=report,
        period=period,
        rules=RULES,
        problem=problem.to_data(),
        audited=problem.audited,
        withheld=sum(c.suppressed for c in problem.cells.values()),
    )
    try:
        with transaction.atomic():
            if existing is not None:  # made by other rules: this one replaces it
                EqualityRelease.objects.filter(pk=existing.pk, rules=existing.rules).delete()
            release.save()
            if earlier and len(earlier) == keep:
                EqualityRelease.objects.filter(
                    report=report, period__lt=earlier[-1].period
                ).delete()
    except IntegrityError:  # published meanwhile by another process: theirs stands
        return EqualityRelease.objects.get(report=report, period=period)
    logger.info(
        "insights: published the %s release for %s (%d figures audited, %d withheld)",
        report, period, release.audited, release.withheld,
    )  # fmt: skip
    return release
