"""Charter signatories: the member organisations."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from ..models import CharterSignatory, CharterVersion, Compact, Group, GroupMembership


def member_organisations(*, compact: Compact):
    """Signatories of the compact's latest charter that have not withdrawn (the public
    page lists them with the charter period; renewals due are shown on the charter page)."""
    latest = compact.charters.order_by("-starts_on").values("pk")[:1]
    return (
        CharterSignatory.objects.filter(charter__in=latest, withdrawn_on__isnull=True)
        .select_related("organisation", "charter")
        .order_by("organisation__name")
    )


def signatories_latest(*, compact: Compact):
    """Every signature of the compact's charters, latest charter first; ``renewed``: the
    organisation signed a later charter of the compact (its old signature's renewal date
    has passed because it was renewed, not missed)."""
    later = CharterSignatory.objects.filter(
        charter__compact=compact,
        organisation=OuterRef("organisation"),
        joined_on__gt=OuterRef("joined_on"),
    )
    return (
        CharterSignatory.objects.filter(charter__compact=compact)
        .annotate(renewed=Exists(later))
        .select_related("organisation", "charter", "senior_representative", "deputy", "champion")
        .order_by("-charter__starts_on", "organisation__name")
    )


def charter_version_get(*, compact: Compact, pk: int) -> CharterVersion:
    """One charter version of the compact (404 for another compact's)."""
    charter = CharterVersion.objects.filter(compact=compact, pk=pk).first()
    if charter is None:
        raise Http404("No such charter version.")
    return charter


def charter_version_signatories(*, charter: CharterVersion):
    return (
        CharterSignatory.objects.filter(charter=charter)
        .select_related("organisation", "senior_representative", "deputy", "champion")
        .order_by("organisation__name")
    )


def signatory_seats(*, signature: CharterSignatory, on: datetime.date):
    """The steering-group seats held for the signature's organisation on or after ``on``
    (open, or ending after it): the seats its charter membership is the condition of."""
    return (
        GroupMembership.objects.filter(
            group__compact_id=signature.charter.compact_id,
            group__kind=Group.Kind.STEERING,
            organisation_id=signature.organisation_id,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person", "group")
        .order_by("person__full_name")
    )


def signatory_get(*, compact: Compact, pk: int) -> CharterSignatory:
    """One signature of the compact's charters (404 for another compact's)."""
    signature = (
        CharterSignatory.objects.filter(charter__compact=compact, pk=pk)
        .select_related("charter__compact", "organisation", "senior_representative")
        .first()
    )
    if signature is None:
        raise Http404("No such signatory.")
    return signature


def signatory_seats_at_stake(*, signature: CharterSignatory, on: datetime.date):
    """The steering seats a withdrawal on ``on`` would leave without a member
    organisation: none when the organisation is still a member the day after through
    another signature (it renewed), else ``signatory_seats``."""
    still_member = (
        CharterSignatory.objects.current(on + datetime.timedelta(days=1))
        .filter(
            charter__compact_id=signature.charter.compact_id,
            organisation_id=signature.organisation_id,
        )
        .exclude(pk=signature.pk)
        .exists()
    )
    if still_member:
        return GroupMembership.objects.none()
    return signatory_seats(signature=signature, on=on)
