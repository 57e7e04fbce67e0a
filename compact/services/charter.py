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

from .. import selectors
from ..exceptions import CompactError
from ..models import CharterSignatory, CharterVersion, Compact, CompactRole
from .feeds import member_feed_revoke_if_seatless
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


@transaction.atomic
def charter_version_create(
    *,
    compact: Compact,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    text: str,
    minimum_meetings_per_year: int = 2,
    minimum_membership_months: int = 12,
    actor=None,
) -> CharterVersion:
    """A new version of the members' charter, starting after the compact's latest one
    (the versions follow each other; the public charter page shows the latest). Existing
    signatures stay with the version they signed: members renew by signing the new one."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    latest = CharterVersion.objects.filter(compact=compact).order_by("-starts_on").first()
    if latest is not None and starts_on <= latest.starts_on:
        raise CompactError(
            _("A new charter starts after the latest one, which starts on %(d)s.")
            % {"d": f"{latest.starts_on:%d %B %Y}"},
            code="charter_not_after_previous",
            field_errors={"starts_on": [_("Start after the latest charter's start.")]},
        )
    if ends_on <= starts_on:
        message = _("A charter ends after it starts.")
        raise CompactError(
            message,
            code="charter_ends_before_start",
            field_errors={"ends_on": [message]},
            non_field_errors=[],
        )
    charter = CharterVersion(
        compact=compact,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        text=text.strip(),
        minimum_meetings_per_year=minimum_meetings_per_year,
        minimum_membership_months=minimum_membership_months,
    )
    clean_or_raise(charter, CompactError)
    charter.save()
    audit_record(actor=actor, action="compact.charter_version_created", obj=charter)
    return charter


@transaction.atomic
def charter_signatory_withdraw(
    *, signature: CharterSignatory, withdrawn_on: datetime.date, actor, end_seats: bool = False
) -> CharterSignatory:
    """An organisation withdraws from the compact (its signature ends on ``withdrawn_on``).

    A steering-group seat is for a member organisation (``check_charter_signed``), so the
    withdrawal may not leave people sitting for a non-member: unless the organisation is
    still a member through another signature (it renewed), withdrawing while its people
    hold steering seats after that day is refused (``signatory_holds_seats``), or, when
    ``end_seats`` is given (the confirmation page's choice), those seats end on the same
    day, in the same transaction, each audited."""
    signature = (
        CharterSignatory.objects.select_for_update()
        .select_related("charter__compact", "organisation")
        .get(pk=signature.pk)
    )
    if signature.withdrawn_on is not None:
        raise CompactError(
            _("%(org)s has already withdrawn.") % {"org": signature.organisation},
            code="signatory_already_withdrawn",
        )
    if withdrawn_on < signature.joined_on:
        message = _("The withdrawal cannot be before the organisation joined (%(d)s).") % {
            "d": f"{signature.joined_on:%d %B %Y}"
        }
        raise CompactError(
            message,
            code="withdrawal_before_joining",
            field_errors={"withdrawn_on": [message]},
            non_field_errors=[],
        )
    seats = list(selectors.signatory_seats_at_stake(signature=signature, on=withdrawn_on))
    if seats and not end_seats:
        raise CompactError(
            _(
                "%(org)s holds %(n)s steering group seat(s) (%(people)s): a seat is for a "
                "member organisation. End those seats, or choose to end them on the same day."
            )
            % {
                "org": signature.organisation,
                "n": len(seats),
                "people": ", ".join(str(seat.person) for seat in seats),
            },
            code="signatory_holds_seats",
        )
    for seat in seats:
        # Not before the seat began (a seat starting after the withdrawal ends the day it
        # starts: it is never held).
        seat.ends_on = max(withdrawn_on, seat.starts_on)
        clean_or_raise(seat, CompactError)
        seat.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=actor,
            action="compact.membership_ended",
            obj=seat,
            reason="The organisation withdrew from the charter.",
        )
    for person in {seat.person for seat in seats}:
        member_feed_revoke_if_seatless(
            person=person, compact=signature.charter.compact, after=withdrawn_on, actor=actor
        )
    signature.withdrawn_on = withdrawn_on
    clean_or_raise(signature, CompactError)
    signature.save(update_fields=["withdrawn_on", "updated_at"])
    audit_record(
        actor=actor,
        action="compact.charter_withdrawn",
        obj=signature,
        data={"seats_ended": [seat.pk for seat in seats]},
    )
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
