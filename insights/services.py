"""Writes of equality monitoring records. Nothing here logs, audits or emails the
answers: the record itself, and the time consent was given, are all that is kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CHARACTERISTICS
from .exceptions import InsightsError
from .models import CONSENT_VERSION, MonitoringRecord


@transaction.atomic
def monitoring_save(*, user, consent: bool, answers: dict, now=None) -> MonitoringRecord:
    """Create or replace ``user``'s monitoring record with ``answers`` (one value per
    characteristic; "prefer_not_to_say" is an answer). Refused, with nothing stored,
    unless ``consent`` is given: explicit consent to the purpose in ``CONSENT_PURPOSE``.
    Saving again renews the consent with the current statement's version."""
    if not consent:
        raise InsightsError(
            _("Tick the box to give your consent, or leave this page: nothing has been saved.")
        )
    missing = [c.label for name, c in CHARACTERISTICS.items() if not answers.get(name)]
    if missing:
        raise InsightsError(
            _("Answer every question (you can choose “Prefer not to say”): %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
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
        raise InsightsError(_("One of the answers is not an option of its question.")) from exc
    record.save()
    return record


@transaction.atomic
def monitoring_withdraw(*, user) -> bool:
    """Withdraw consent: ``user``'s record is deleted at once (not hidden, not kept).
    Returns whether there was one."""
    deleted, _by_model = MonitoringRecord.objects.filter(user=user).delete()
    return bool(deleted)
