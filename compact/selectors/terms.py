"""Terms of reference: the version in force on a day, and every version."""

import datetime

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from ..models import Compact, TermsOfReference


def terms_in_force(*, compact: Compact, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return (
        TermsOfReference.objects.filter(compact=compact)
        .in_force(on)
        .prefetch_related("aims")
        .first()
    )


def terms_list(*, compact: Compact):
    """The adopted versions, newest first (the public list)."""
    return TermsOfReference.objects.adopted().filter(compact=compact).order_by("-version")


def terms_versions_all(*, compact: Compact):
    """Every version, a draft included, newest first, with its aim count (the
    secretariat's list)."""
    return (
        TermsOfReference.objects.filter(compact=compact)
        .select_related("compact")
        .annotate(aim_count=Count("aims"))
        .order_by("-version")
    )


def terms_draft_get(*, compact: Compact, pk: int) -> TermsOfReference:
    """The compact's draft with this id (404 for an adopted version or another
    compact's)."""
    terms = (
        TermsOfReference.objects.filter(
            compact=compact, pk=pk, status=TermsOfReference.Status.DRAFT
        )
        .prefetch_related("aims")
        .first()
    )
    if terms is None:
        raise Http404("No such draft.")
    return terms


def terms_get(*, compact: Compact, version: int) -> TermsOfReference:
    """An adopted version (a draft is a 404 on the public pages)."""
    terms = (
        TermsOfReference.objects.adopted()
        .filter(compact=compact, version=version)
        .prefetch_related("aims")
        .first()
    )
    if terms is None:
        raise Http404("No such version.")
    return terms
