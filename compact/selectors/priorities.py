"""The statement of annual priorities for a day."""

import datetime

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from ..models import Compact, PrioritiesStatement, Priority


def current_statement(*, compact: Compact, on: datetime.date | None = None):
    """The statement of annual priorities covering ``on``, or the latest one before it."""
    on = on or timezone.localdate()
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    qs = (
        PrioritiesStatement.objects.published()
        .filter(compact=compact)
        .prefetch_related(Prefetch("priorities", queryset=priorities))
    )
    return (
        qs.filter(starts_on__lte=on, ends_on__gte=on).first()
        or qs.filter(starts_on__lte=on).order_by("-starts_on").first()
        or qs.order_by("starts_on").first()
    )


def statements_archive(*, compact: Compact):
    """Every published statement of annual priorities of the compact, latest year first,
    each with its priorities and their aims, and the terms version it follows (three
    queries)."""
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    return (
        PrioritiesStatement.objects.published()
        .filter(compact=compact)
        .select_related("terms")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
        .order_by("-starts_on")
    )


def statements_all(*, compact: Compact):
    """Every statement, a draft included, latest first, with its priority count (the
    secretariat's list; two queries whatever the number)."""
    return (
        PrioritiesStatement.objects.filter(compact=compact)
        .select_related("terms")
        .annotate(priority_count=Count("priorities"))
        .order_by("-starts_on")
    )


def statement_draft_get(*, compact: Compact, pk: int) -> PrioritiesStatement:
    """The compact's draft statement with its priorities and their aims (404 for a
    published one or another compact's)."""
    priorities = Priority.objects.prefetch_related("aims").order_by("order")
    statement = (
        PrioritiesStatement.objects.filter(
            compact=compact, pk=pk, status=PrioritiesStatement.Status.DRAFT
        )
        .select_related("terms", "compact")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
        .first()
    )
    if statement is None:
        raise Http404("No such draft.")
    return statement
