"""Charter signatories: the member organisations."""

from ..models import CharterSignatory, Compact


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
    """Every signature of the compact's charters, latest charter first."""
    return (
        CharterSignatory.objects.filter(charter__compact=compact)
        .select_related("organisation", "charter", "senior_representative", "deputy", "champion")
        .order_by("-charter__starts_on", "organisation__name")
    )
