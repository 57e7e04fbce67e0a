"""Aggregates over a related table as one scalar subquery per row (issue 21).

``Cohort.objects.annotate(Count("participants"), Count("applications"))`` joins both
tables to each cohort, so the database builds participants × applications rows per cohort
before it counts: ``distinct=True`` keeps the numbers right and the work quadratic (7.7 s
for one page at ten times the demo). Counting each relation in its own correlated subquery
reads each related row once, whatever else the query joins or filters on, so such an
annotation also stays right and linear when a later ``.filter()`` or prefetch adds a
one-to-many join of its own. ``tests/core/test_aggregate_joins.py`` guards the shape.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def related_aggregate(related: QuerySet, aggregate, *, link: str, output_field, outer: str = "pk"):
    """``aggregate`` over the rows of ``related`` whose ``link`` is the outer row's ``outer``,
    as a scalar subquery (NULL when there are none, like an aggregate over no rows)."""
    per_row = (
        related.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(per_row, output_field=output_field)


def related_count(related: QuerySet, *, link: str, outer: str = "pk"):
    """How many rows of ``related`` have ``link`` equal to the outer row's ``outer`` (0 when
    none), as a scalar subquery. ``COUNT(*)``, not ``COUNT(id)``: the same number (a
    primary key is never NULL), and PostgreSQL can answer it from an index holding the
    link and the filtered columns alone (an index-only scan), where ``COUNT(id)`` must read
    each row for its id: the event list's three place counts at 100x the demo, 10.6 ->
    4.8 ms (docs/benchmarks.md, "Fifth round: the lead's")."""
    count = related_aggregate(
        related, Count("*"), link=link, outer=outer, output_field=IntegerField()
    )
    return Coalesce(count, Value(0))
