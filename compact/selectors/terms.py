"""Terms of reference: the version in force on a day, and every version."""

import datetime

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
    return TermsOfReference.objects.filter(compact=compact).order_by("-version")


def terms_get(*, compact: Compact, version: int) -> TermsOfReference:
    terms = (
        TermsOfReference.objects.filter(compact=compact, version=version)
        .prefetch_related("aims")
        .first()
    )
    if terms is None:
        raise Http404("No such version.")
    return terms
