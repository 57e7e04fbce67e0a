"""List filters for the admin's big changelists (issue 16, docs/benchmarks.md, "Fourth
round: admin SQL and filters").

Django's ``RelatedOnlyFieldListFilter`` finds its choices with ``SELECT DISTINCT
<path>_id`` over the whole changelist table (250,000 bookings for the event filter, 51,700
applications joined to cohorts, versions and programmes for the programme filter) and
renders one link per choice, with a query string each (800 events). The filters here
offer the same choices, found from the small table's side (``related_rows_with``: each
candidate row is asked whether one listed row reaches it, an index probe), and
``RelatedSelectFieldListFilter`` shows a long list as one menu.

With a shared cache (``page_cache``), the filters of a ModelAdmin with
``KeptChoicesMixin`` keep their choices per data version and user (``kept_choices``): the
next request of the same list finds them without a query.
"""

from __future__ import annotations

import functools
import hashlib

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.cache import cache
from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from talenthub.core import page_cache

_QUERYSETS = "_talenthub_admin_querysets"
_VERSION = "_talenthub_admin_data_version"


def admin_queryset(model_admin, request) -> QuerySet:
    """``model_admin.get_queryset(request)``, built once per request and model admin for
    the list filters that read it (the cohort list's four filters each built the
    cohorts' place counts, about 3 ms a build at 10x the demo). Kept on the request, so
    another request (another user, another scope) builds its own. The filters only
    derive querysets from it (``filter``, ``dates``: clones), never evaluate it."""
    built = getattr(request, _QUERYSETS, None)
    if built is None:
        built = {}
        setattr(request, _QUERYSETS, built)
    key = id(model_admin)
    if key not in built:
        # The model admin is kept with its queryset, so that its id is not reused.
        built[key] = (model_admin, model_admin.get_queryset(request))
    return built[key][1]


def kept_choices(request, model_admin, name: str, build):
    """``build()`` (a filter's choices: a list of plain values), kept in the shared cache
    under the data version (``page_cache``: bumped when any saved or deleted row
    commits), the user and ``name``, for ``PUBLIC_PAGE_CACHE_SECONDS``. A filter's
    choices are the related rows that the user's scoped rows reach, so they change only
    with the data or the user (their scope: their provider, their groups, whether they
    are a superuser, each a row of their own); another user builds their own. Without a
    shared cache (``timeout() <= 0``, or Redis down) each request builds them. A change
    made without a signal (``QuerySet.update()``) shows within the timeout, as on the
    kept pages."""
    if page_cache.timeout() <= 0:
        return build()
    version = getattr(request, _VERSION, None)
    if version is None:
        version = page_cache.data_version()  # once a request: every filter's key
        setattr(request, _VERSION, version)
    user = request.user
    parts = (
        model_admin.admin_site.name,
        model_admin.opts.label,
        type(model_admin).__qualname__,
        name,
        get_language() or "",
        str(user.pk),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    key = f"talenthub:admin-choices:{version}:{digest}"
    kept = cache.get(key)
    if not page_cache.cache_is_shared():
        return build()
    if kept is None:
        kept = build()
        cache.set(key, kept, page_cache.timeout())
    return kept


class KeptChoicesMixin:
    """For a ModelAdmin: its related filters' and year filters' choices (and, with
    ``KeptDateHierarchyMixin``, its date hierarchy) are kept by ``kept_choices``. A list
    without it builds them on every request."""

    def kept_list_choices(self, request, name: str, build):
        return kept_choices(request, self, name, build)


def list_choices(request, model_admin, name: str, build):
    """``build()``, kept when ``model_admin`` opts in (``KeptChoicesMixin``)."""
    keep = getattr(model_admin, "kept_list_choices", None)
    return build() if keep is None else keep(request, name, build)


def _is_forward_single(field) -> bool:
    return bool(field.is_relation and field.concrete and (field.many_to_one or field.one_to_one))


def related_rows_with(queryset: QuerySet, path: str) -> QuerySet:
    """The rows of the model at the end of the relation ``path`` (from ``queryset``'s
    model) that at least one row of ``queryset`` reaches through it: the same rows as
    ``pk__in=queryset.values(f"{path}__pk")``, asked from the far side.

    A path of foreign keys (``cohort__version__programme``) is walked one hop at a time,
    each hop an ``EXISTS`` on the hop before (programmes with a version with a cohort with
    an application), so PostgreSQL probes each small table's rows with an index instead
    of joining the big table to every hop (0.5 ms instead of 62 ms for the applications'
    programmes at 100x the demo). Any other path is one ``EXISTS`` over ``queryset``.
    The intermediate hops read every row (``_base_manager``), as a join does; the last
    model's default manager applies, as in Django's ``field.get_choices``.
    """
    fields = get_fields_from_path(queryset.model, path)
    if not all(_is_forward_single(field) for field in fields):
        target = fields[-1].related_model
        reached = queryset.filter(**{f"{path}__pk": OuterRef("pk")})
        return target._default_manager.filter(Exists(reached))
    rows = queryset
    for i, field in enumerate(fields):
        target = field.related_model
        reached = rows.filter(**{f"{field.name}__pk": OuterRef("pk")})
        manager = target._default_manager if i == len(fields) - 1 else target._base_manager
        rows = manager.filter(Exists(reached))
    return rows


class RelatedExistsFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """``RelatedOnlyFieldListFilter`` with its choices found by ``related_rows_with``: the
    same choices (the related rows that rows of the admin's own, scoped queryset point
    to), in the same order, with the same labels, URL parameters and HTML."""

    def field_choices(self, field, request, model_admin):
        return list_choices(
            request,
            model_admin,
            f"{type(self).__qualname__}:{self.field_path}",
            lambda: self.build_choices(field, request, model_admin),
        )

    def build_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = related_rows_with(admin_queryset(model_admin, request), self.field_path)
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": rows.values("pk")},
            ordering=ordering,
        )


class MenuChoices(list):
    """A menu filter's choices, with their ``<option>`` elements made once, when the
    choices are built, and kept with them (``kept_choices`` pickles both): 800 labels
    escaped on every request were a tenth of the booking list at 100x the demo."""

    def __init__(self, choices):
        super().__init__(choices)
        self.options = "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in self
        )


class RelatedSelectFieldListFilter(RelatedExistsFieldListFilter):
    """A related filter with too many choices for a list of links (the booking list's
    800 events at 100x the demo: a link each, with its query string, was a fifth of the
    page): "All" (and the empty choice, if any) stay links; the choices are one menu in a
    small form that keeps the list's other filters, its search and its ordering as
    hidden fields. The URL parameter is the related filter's own
    (``event__id__exact=<id>``), so links made elsewhere keep working; the menu sent at
    "All" (an empty value) shows the list unfiltered."""

    template = "admin/talenthub/filter_select.html"
    # The related model's fields its ``__str__`` reads (the option's label), so that only
    # they are read for each of hundreds of choices; None reads every field.
    label_fields: tuple[str, ...] | None = None

    def build_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = related_rows_with(admin_queryset(model_admin, request), self.field_path)
        if self.label_fields is not None:
            rows = rows.only(*self.label_fields)
        if ordering:
            rows = rows.order_by(*ordering)
        value = field.target_field.attname
        return MenuChoices((getattr(row, value), str(row)) for row in rows)

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # The menu's "All" sends ``<lookup>=``: no filter, not an invalid lookup.
        value = self.used_parameters.get(self.lookup_kwarg)
        if value is not None and all(v == "" for v in value):
            del self.used_parameters[self.lookup_kwarg]
            self.lookup_val = None

    def choices(self, changelist):
        # "All" and the empty choice as Django's links; the related rows as the menu's
        # options (no query string each). With facets on, an option shows its count as
        # the link would.
        add_facets = changelist.add_facets
        counts = self.get_facet_queryset(changelist) if add_facets else None
        selected = {str(v) for v in self.lookup_val or ()}
        self.menu_selected = False
        if isinstance(self.lookup_choices, MenuChoices) and not add_facets:
            # The options made with the choices, the chosen ones marked: the same HTML.
            options = self.lookup_choices.options
            for value in selected:
                option = f'<option value="{escape(value)}">'
                if option in options:
                    options = options.replace(option, option[:-1] + " selected>", 1)
                    self.menu_selected = True
            self.menu_options = mark_safe(options)  # noqa: S308 (each part escaped)
        else:
            options = []
            for pk_val, label in self.lookup_choices:
                if add_facets:
                    label = f"{label} ({counts[f'{pk_val}__c']})"
                is_selected = str(pk_val) in selected
                self.menu_selected |= is_selected
                options.append(
                    f'<option value="{escape(pk_val)}"{" selected" if is_selected else ""}>'
                    f"{escape(label)}</option>"
                )
            self.menu_options = mark_safe("".join(options))  # noqa: S308 (each part escaped)
        own = {self.lookup_kwarg, self.lookup_kwarg_isnull}
        self.hidden_inputs = format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            (
                (key, value)
                for key, values in sorted(changelist.filter_params.items())
                if key not in own
                for value in (values if isinstance(values, list) else [values])
            ),
        )
        # As RelatedFieldListFilter.choices gives them.
        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(
                remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
            ),
            "display": _("All"),
        }
        if self.include_empty_choice:
            empty_title = self.empty_value_display
            if add_facets:
                empty_title = f"{empty_title} ({counts['__c']})"
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]
                ),
                "display": empty_title,
            }

    def menu_html(self) -> str:
        return format_html(
            '<form method="get" class="talenthub-filter-menu">{}'
            '<select name="{}" aria-label="{}"><option value=""{}>---------</option>{}</select> '
            '<input type="submit" value="{}"></form>',
            self.hidden_inputs,
            self.lookup_kwarg,
            self.title,
            "" if self.menu_selected else " selected",
            self.menu_options,
            _("Filter"),
        )


def years_by_index(model, field_name: str) -> list:
    """The first day of each year in which ``model`` has a row with ``field_name`` (a
    ``DateField`` of its own), ascending: what ``model.objects.dates(field_name, "year")``
    gives, found by one index probe a year (a recursive query: the first date, then the
    first date on or after the next 1 January, and so on) instead of truncating every
    row's date (``DISTINCT DATE_TRUNC``: 48 ms over 40,100 career entries at 100x the
    demo, with nothing else running). Needs an index on the column."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field_name).column)
    sql = f"""
        WITH RECURSIVE years(day) AS (
            SELECT MIN({column}) FROM {table}
            UNION ALL
            SELECT (
                SELECT MIN({column}) FROM {table}
                WHERE {column} >= make_date(EXTRACT(YEAR FROM years.day)::int + 1, 1, 1)
            )
            FROM years WHERE years.day IS NOT NULL
        )
        SELECT make_date(EXTRACT(YEAR FROM day)::int, 1, 1) FROM years
        WHERE day IS NOT NULL ORDER BY 1
    """  # noqa: S608 (names quoted, no values)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


class _IndexedYearsQuerySet:
    """Mixed into a changelist's queryset by ``IndexedYearsMixin``: ``dates(field,
    "year")`` on the whole table is ``years_by_index``; anything else is Django's."""

    indexed_years_field = ""

    def dates(self, field_name, kind, order="ASC"):
        query = self.query
        unfiltered = not query.where and not query.combinator and not query.distinct
        # The recursive query is PostgreSQL's (make_date); the embedded SQLite default's
        # tables are small, and Django's own query serves them.
        postgres = connections[self.db].vendor == "postgresql"
        if kind == "year" and field_name == self.indexed_years_field and unfiltered and postgres:
            years = years_by_index(self.model, field_name)
            return years if order == "ASC" else years[::-1]
        return super().dates(field_name, kind, order)


class IndexedYearsMixin:
    """For a ModelAdmin with a ``date_hierarchy`` on an indexed ``DateField`` of its own
    model: on the unfiltered list, the hierarchy's years come from ``years_by_index``
    (its first and last dates already come from the index). A filtered or searched list,
    and the months and days of a year, are Django's own queries. The years shown are the
    same."""

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        field = self.date_hierarchy

        class IndexedYearsChangeList(changelist):
            def get_queryset(self, request, exclude_parameters=None):
                queryset = super().get_queryset(request, exclude_parameters)
                if not isinstance(queryset, _IndexedYearsQuerySet):
                    queryset.__class__ = type(
                        f"IndexedYears{type(queryset).__name__}",
                        (_IndexedYearsQuerySet, type(queryset)),
                        {"indexed_years_field": field},
                    )
                return queryset

        return IndexedYearsChangeList


class _KeptDatesQuerySet:
    """Mixed into a changelist's own queryset by ``KeptDateHierarchyMixin``: its
    ``aggregate()`` (the hierarchy's first and last dates) and ``dates()`` (its years,
    months or days) are kept by ``kept_choices`` under the list's full path (its
    filters, search and chosen year or month). A queryset derived from it (a clone)
    is not the list's: it answers with Django's own queries."""

    _kept_for = None  # (request, model_admin), on the list's own queryset only

    def _kept(self, name, build):
        if self._kept_for is None:
            return build()
        request, model_admin = self._kept_for
        return list_choices(request, model_admin, f"{request.get_full_path()}|{name}", build)

    def aggregate(self, *args, **kwargs):
        if args:
            return super().aggregate(*args, **kwargs)
        name = "aggregate:" + repr(sorted(kwargs.items()))
        return self._kept(name, lambda: super(_KeptDatesQuerySet, self).aggregate(**kwargs))

    def dates(self, field_name, kind, order="ASC"):
        name = f"dates:{field_name}:{kind}:{order}"
        return self._kept(
            name, lambda: list(super(_KeptDatesQuerySet, self).dates(field_name, kind, order))
        )

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        # A ``DateTimeField``'s hierarchy: its years, months or days are truncated in the
        # current time zone, so the zone is part of the name.
        zone = str(tzinfo or timezone.get_current_timezone())
        name = f"datetimes:{field_name}:{kind}:{order}:{zone}"
        return self._kept(
            name,
            lambda: list(
                super(_KeptDatesQuerySet, self).datetimes(field_name, kind, order, tzinfo)
            ),
        )


@functools.cache
def _kept_dates_class(queryset_class):
    """``queryset_class`` with ``_KeptDatesQuerySet`` mixed in: made once per class, not
    once per request."""
    return type(f"KeptDates{queryset_class.__name__}", (_KeptDatesQuerySet, queryset_class), {})


class KeptDateHierarchyMixin(KeptChoicesMixin):
    """For a ModelAdmin with a ``date_hierarchy`` (on a date or a datetime): the hierarchy's
    queries (the first and last dates of the rows listed, then their years, or a chosen
    year's months, or a month's days) are kept per data version, user and the list's
    full path (``kept_choices``), so the same list asked again (another page, another
    sort) finds them without a query. The dates shown are the same."""

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        model_admin = self

        class KeptDateHierarchyChangeList(changelist):
            def get_queryset(self, request, exclude_parameters=None):
                queryset = super().get_queryset(request, exclude_parameters)
                if exclude_parameters is None:  # the list's own (not a facet count's)
                    if not isinstance(queryset, _KeptDatesQuerySet):
                        queryset.__class__ = _kept_dates_class(type(queryset))
                    queryset._kept_for = (request, model_admin)
                return queryset

        return KeptDateHierarchyChangeList
