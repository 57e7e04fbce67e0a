"""Paginators that count only when they have to (issues 21 and 16).

First, for the site's own lists (issue 21).

Django's ``Paginator`` runs ``SELECT COUNT(*)`` before every page, then the page's own
query. When the page asked for is not full, its rows already say how many there are
(``offset + len(rows)``), so the count is a wasted round trip; most managers' lists fit
on one page. This one reads one row more than a page: a page that is not full sets the
count from its rows; a full one (more pages follow) counts as Django's does. Page links,
``count``, ``num_pages`` and out-of-range pages behave as Django's.

Second, for the admin's changelists (issue 16): ``EstimatedCountPaginator`` shows the
whole of a big table's count as PostgreSQL's estimate, "about 260,000".
"""

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property

# The largest OFFSET PostgreSQL takes (a bigint): past it the query fails with DataError.
LARGEST_OFFSET = 2**63 - 1


class CountWhenFullPaginator(Paginator):
    def page(self, number):
        if "count" in self.__dict__ or self.orphans:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's PageNotAnInteger
        if number < 1:
            return super().page(number)  # Django's EmptyPage
        if (number - 1) * self.per_page > LARGEST_OFFSET:
            # ``?page=99999999999999999999``: no table has that many rows, and the OFFSET
            # would not fit PostgreSQL's bigint (a DataError, a 500). Django counts and
            # refuses it as past the end.
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) > self.per_page:
            pass  # more pages follow: validate_number() counts them, as Django does
        elif rows or number == 1:
            self.count = bottom + len(rows)  # the last page: its rows say how many
        else:
            return super().page(number)  # past the end: Django counts and refuses
        try:
            self.validate_number(number)
        except InvalidPage:  # rows deleted between the page and its count
            return super().page(number)
        return self._get_page(rows[: self.per_page], number, self)


# Within this share of an estimate from its start, a list's pages are shown from it; the
# pages after (the last tenth, where the page numbers beside the last must be right) are
# counted.
NEAR_END = 0.9


def _whole_table(queryset) -> bool:
    """Whether ``queryset`` lists every row of its table: no ``WHERE`` (a scope, a filter
    or a search would add one), ``DISTINCT``, grouping, slice or set operation."""
    query = queryset.query
    return not (
        query.where
        or query.combinator
        or query.distinct
        or query.is_sliced
        or query.group_by is not None
        or query.extra_tables
    )


def count_or_estimate(queryset, estimate_from: int, reach: int) -> tuple[int, bool] | None:
    """How many rows ``queryset`` lists, and whether that is an estimate, in one query
    (as many as Django's count): when it lists its whole table on PostgreSQL, and the
    table's statistics put it at ``estimate_from`` rows or more, and ``reach`` (the rows
    up to the end of the page asked for) is below nine tenths of that, PostgreSQL's
    estimate (the rows per page its last ``ANALYZE``, autovacuum's on a production
    server, saw, times the pages the table has now, as the planner estimates a scan);
    else ``COUNT(*)``, which PostgreSQL runs only then. None for any other queryset (the
    caller counts it as Django does)."""
    built = count_or_estimate_sql(queryset, estimate_from, reach)
    if built is None:
        return None
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(*built)
        rows, estimated = cursor.fetchone()
    return rows, estimated


def count_or_estimate_sql(queryset, estimate_from: int, reach: int) -> tuple[str, dict] | None:
    """``count_or_estimate``'s query and parameters, or None."""
    if not _whole_table(queryset):
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    use = "e.rows >= %(from)s AND %(reach)s < %(near)s * e.rows"
    sql = f"""
        SELECT CASE WHEN {use} THEN e.rows ELSE (SELECT COUNT(*) FROM {table}) END,
               COALESCE({use}, false)
        FROM (
            SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN NULL ELSE (c.reltuples
                   / c.relpages * (pg_relation_size(c.oid)
                   / current_setting('block_size')::int))::bigint END AS rows
            FROM pg_class c WHERE c.oid = %(table)s::regclass
        ) e
    """  # noqa: S608 (the table's name quoted, values as parameters)
    return sql, {"from": estimate_from, "reach": reach, "near": NEAR_END, "table": table}


def _two_figures_down(number: int) -> int:
    """``number`` rounded down to two significant figures (262,131 -> 260,000): shown
    as "about", and never more pages than the estimate (a link past the end)."""
    unit = 10 ** max(len(str(number)) - 2, 0)
    return number // unit * unit


class EstimatedCountPaginator(Paginator):
    """The admin changelists' paginator (issue 16). Counting every row of a big table
    is most of a list's database time (``COUNT(*)`` over 260,000 bookings: 12 ms, the
    whole of the baseline page), yet only the number of pages and the total shown
    beside them need it. When the list is the whole table, the table has at least
    ``estimate_from`` rows and the page asked for is not within the last tenth of the
    estimate (``count_or_estimate``), ``count`` is the estimate rounded down to two figures,
    and ``estimated`` is True: the templates say "about" (templates/admin/
    pagination.html, actions.html). A filtered or searched list, a small table, and any
    page near the end (its number and the pages beside it must be right) are counted
    as Django does. A page that is not full while estimated means the estimate was too
    high: it is counted there, and a page past the end is refused as Django refuses
    one (the list shows its first page)."""

    estimated = False

    def __init__(self, *args, page_number=None, estimate_from=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_number = page_number
        self.estimate_from = estimate_from

    @cached_property
    def count(self):
        counted = self._count_or_estimate()
        if counted is None:
            return Paginator.count.func(self)
        rows, self.estimated = counted
        return _two_figures_down(rows) if self.estimated else rows

    def _count_or_estimate(self) -> tuple[int, bool] | None:
        if self.estimate_from <= 0 or self.orphans or not isinstance(self.object_list, QuerySet):
            return None  # (``page`` below slices whole pages: no orphans)
        try:
            number = int(self.page_number or 1)
        except (TypeError, ValueError):
            return None  # Django's PageNotAnInteger, after counting
        if number < 1 or number > LARGEST_OFFSET // self.per_page:
            return None  # Django's EmptyPage, after counting
        return count_or_estimate(self.object_list, self.estimate_from, number * self.per_page)

    @property
    def count_shown(self) -> str:
        """The count with its thousands grouped (260,000), as "about" shows it."""
        return number_format(self.count, force_grouping=True)

    def _counted(self, count: int | None = None) -> None:
        self.__dict__["count"] = Paginator.count.func(self) if count is None else count
        self.__dict__.pop("num_pages", None)
        self.estimated = False

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        found = len(rows)  # evaluates the slice: the page's rows, kept on it
        if found < self.per_page:  # fewer rows than the estimate: the end is here
            self._counted(bottom + found if found else None)
            if not found:
                number = self.validate_number(number)  # EmptyPage past the end
        return self._get_page(rows, number, self)
