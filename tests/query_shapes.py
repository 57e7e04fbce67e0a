"""Catch queries that aggregate over two or more multi-valued relations joined side by side.

``Cohort.objects.annotate(a=Count("participants"), b=Count("applications"))`` joins both
tables to every cohort: the database builds participants × applications rows per cohort
before counting (``distinct=True`` hides the wrong numbers, not the work). Query counts stay
constant, so ``django_assert_max_num_queries`` cannot see it; at ten times the demo one such
query took 7.7 s. The shape is visible in the ORM's query before any data exists: an
aggregate, and two joins along one-to-many or many-to-many relations neither of which is
reached through the other (a chain such as action → sub-actions → their updates yields one
row per leaf, which is linear; siblings multiply).

``multiplying_aggregates()`` watches every SELECT Django compiles (subqueries included,
since each compiles through its own ``SQLCompiler``) and records those of that shape.
"""

import contextlib
from dataclasses import dataclass

from django.db.models import ForeignObjectRel
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.datastructures import Join


@dataclass(frozen=True)
class Multiplication:
    relations: tuple[str, ...]  # "table.column" of each sibling one-to-many join
    sql: str


def _is_multi_valued(join: Join) -> bool:
    """A join that can yield many rows for one row of its parent: along a reverse foreign
    key (``cohort.participants``) or into a many-to-many's through table (both are a
    ``ForeignObjectRel`` seen from the parent; the hop from a through table to its target
    is a forward foreign key, one row)."""
    field = join.join_field
    return isinstance(field, ForeignObjectRel) and not field.one_to_one


def _ancestors(query, alias: str) -> set[str]:
    seen = set()
    parent = query.alias_map[alias].parent_alias
    while parent is not None and parent not in seen:
        seen.add(parent)
        entry = query.alias_map.get(parent)
        parent = getattr(entry, "parent_alias", None)
    return seen


def _aggregates(query) -> bool:
    if query.group_by is not None:
        return True
    return any(getattr(a, "contains_aggregate", False) for a in query.annotation_select.values())


def sibling_multi_valued_joins(query) -> list[tuple[str, str]]:
    """Pairs of aliases of one-to-many joins in ``query`` that multiply each other."""
    multi = [
        alias
        for alias, join in query.alias_map.items()
        if isinstance(join, Join) and query.alias_refcount.get(alias) and _is_multi_valued(join)
    ]
    lineage = {alias: _ancestors(query, alias) for alias in multi}
    return [
        (a, b)
        for i, a in enumerate(multi)
        for b in multi[i + 1 :]
        if a not in lineage[b] and b not in lineage[a]
    ]


@contextlib.contextmanager
def multiplying_aggregates():
    """Yield a list that fills with a ``Multiplication`` for every aggregating SELECT
    compiled inside the block whose joins multiply (see the module's docstring)."""
    found: list[Multiplication] = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        query = self.query
        if _aggregates(query):
            pairs = sibling_multi_valued_joins(query)
            if pairs:
                aliases = sorted({alias for pair in pairs for alias in pair})
                relations = tuple(
                    f"{query.alias_map[a].table_name}.{query.alias_map[a].join_cols[0][1]}"
                    for a in aliases
                )
                found.append(Multiplication(relations=relations, sql=f"{sql} -- {params!r}"))
        return sql, params

    SQLCompiler.as_sql = as_sql
    try:
        yield found
    finally:
        SQLCompiler.as_sql = original
