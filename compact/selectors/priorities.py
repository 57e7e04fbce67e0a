"""The statement of annual priorities for a day."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Compact, PrioritiesStatement, Priority


def current_statement(*, compact: Compact, on: datetime.date | None = None):
    """The statement of annual priorities covering ``on``, or the latest one before it."""
    on = on or timezone.localdate()
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    qs = PrioritiesStatement.objects.filter(compact=compact).prefetch_related(
        Prefetch("priorities", queryset=priorities)
    )
    return (
        qs.filter(starts_on__lte=on, ends_on__gte=on).first()
        or qs.filter(starts_on__lte=on).order_by("-starts_on").first()
        or qs.order_by("starts_on").first()
    )


def statements_archive(*, compact: Compact):
    """Every statement of annual priorities of the compact, latest year first, each with
    its priorities and their aims, and the terms version it follows (three queries)."""
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    return (
        PrioritiesStatement.objects.filter(compact=compact)
        .select_related("terms")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
        .order_by("-starts_on")
    )
