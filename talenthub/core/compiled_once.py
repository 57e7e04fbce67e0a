"""Small queries a page asks on every request, compiled by the ORM once per process.

Building and compiling a queryset can cost more CPU than running it: two ``Exists`` over
joins about 1–2 ms a request, more than the page-speed baseline's whole 50-row query
(issue 16). ``CompiledOnce(build)`` asks the ORM for ``build(VIEWER)``'s SQL once per
database, then runs that SQL with the viewer's id put where ``VIEWER`` was in its
parameters. The rule (which rows count) stays written once, in the ORM; only the id
changes from one request to the next.

``build`` must take the viewer's id as its only varying input: nothing read from the
clock, the request or the database while it builds (those would be compiled in once,
and go stale).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

# No row has this id (negative, within a 32-bit integer column's range, so the ORM keeps it
# as a parameter); it is compiled into the parameters and replaced at each call.
VIEWER = -1_987_654_321


class CompiledOnce:
    def __init__(self, build):
        self.build = build
        self._compiled: dict[tuple[str, str], tuple[str, tuple, list[int]]] = {}

    def _sql(self, connection) -> tuple[str, tuple, list[int]]:
        key = (connection.alias, connection.vendor)
        if key not in self._compiled:
            queryset = self.build(VIEWER)
            sql, params = queryset.query.get_compiler(connection=connection).as_sql()
            slots = [i for i, value in enumerate(params) if value == VIEWER]
            if not slots:
                raise ValueError(f"{self.build.__qualname__} does not name the viewer")
            self._compiled[key] = (sql, tuple(params), slots)
        return self._compiled[key]

    def first_row(self, viewer_id: int, using: str = DEFAULT_DB_ALIAS) -> tuple | None:
        """The query's first row for ``viewer_id``, as the database returns it (an
        ``Exists`` is 0 or 1 on SQLite: convert with ``bool``), or None."""
        connection = connections[using]
        sql, params, slots = self._sql(connection)
        params = list(params)
        for slot in slots:
            params[slot] = viewer_id
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
