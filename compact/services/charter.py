"""The members' charter: who may sign it and for how long a membership runs."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.choices import Sector
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import CharterSignatory, CharterVersion, Compact, CompactRole
from .groups import check_vcs_allowed


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def check_eligible(*, compact: Compact, organisation) -> None:
    """Charter membership is open to the 16 public-sector categories and to the voluntary
    and community sector bodies the terms name."""
    if organisation.sector in Sector.public_sector():
        return
    if organisation.sector == Sector.VOLUNTARY_AND_COMMUNITY:
        check_vcs_allowed(compact=compact, organisation=organisation)
        return
    raise CompactError(
        _("%(org)s is not in one of the public-sector categories the compact covers.")
        % {"org": organisation},
        code="organisation_not_eligible",
    )


@transaction.atomic
def charter_sign(
    *,
    charter: CharterVersion,
    organisation,
    signatory_name: str,
    joined_on: datetime.date,
    senior_representative,
    deputy=None,
    champion=None,
    board_endorsed_on=None,
    renewal_due_on=None,
    actor=None,
) -> CharterSignatory:
    """An organisation signs a charter version. Guarantees: the organisation is eligible
    by sector; membership runs at least the charter's minimum (12 months): the renewal
    date defaults to the later of the charter's end and 12 months after joining, and an
    earlier one is refused."""
    check_eligible(compact=charter.compact, organisation=organisation)
    earliest = add_months(joined_on, charter.minimum_membership_months)
    if renewal_due_on is None:
        renewal_due_on = max(charter.ends_on, earliest)
    if renewal_due_on < earliest:
        raise CompactError(
            _("Membership runs for at least %(m)s months: renewal cannot be before %(d)s.")
            % {"m": charter.minimum_membership_months, "d": earliest},
            code="membership_too_short",
        )
    signature = CharterSignatory(
        charter=charter,
        organisation=organisation,
        signatory_name=signatory_name,
        joined_on=joined_on,
        board_endorsed_on=board_endorsed_on,
        senior_representative=senior_representative,
        deputy=deputy,
        champion=champion,
        renewal_due_on=renewal_due_on,
    )
    clean_or_raise(signature, CompactError)
    signature.save()
    audit_record(actor=actor, action="compact.charter_signed", obj=signature)
    return signature


# The renewal reminder's email (``templates/emails/compact_charter_renewal.txt``).
CHARTER_RENEWAL = "compact_charter_renewal"


def send_charter_renewal_reminders(*, today: datetime.date | None = None, days: int = 60) -> int:
    """Remind each member organisation whose membership is due for renewal within
    ``days`` days (or overdue by up to a year) and that has not renewed (signed a later
    charter) nor withdrawn: its senior representative and deputy, and the compact's
    secretariat, once per signature and person (key
    ``compact.charter_renewal:<signature>:<user>``)."""
    today = today or timezone.localdate()
    later = CharterSignatory.objects.filter(
        charter__compact=OuterRef("charter__compact"),
        organisation=OuterRef("organisation"),
        joined_on__gt=OuterRef("joined_on"),
    )
    due = (
        CharterSignatory.objects.filter(
            withdrawn_on__isnull=True,
            renewal_due_on__lte=today + datetime.timedelta(days=days),
            renewal_due_on__gte=today - datetime.timedelta(days=365),
        )
        .exclude(Exists(later))
        .select_related("charter__compact", "organisation", "senior_representative", "deputy")
    )
    queued = 0
    for signature in due:
        compact = signature.charter.compact
        people = [signature.senior_representative, signature.deputy]
        people += [
            role.user
            for role in CompactRole.objects.filter(
                compact=compact, role=CompactRole.Role.SECRETARIAT
            ).select_related("user")
        ]
        seen = set()
        for person in people:
            if person is None or person.pk in seen:
                continue
            seen.add(person.pk)
            with transaction.atomic():
                queued += (
                    notify(
                        key=f"compact.charter_renewal:{signature.pk}:{person.pk}",
                        user=person,
                        template=CHARTER_RENEWAL,
                        context={
                            "signature": signature,
                            "compact": compact,
                            "overdue": signature.renewal_due_on < today,
                        },
                    )
                    is not None
                )
    return queued
