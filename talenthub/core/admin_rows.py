"""The columns a changelist page reads, and no others (issue 16, docs/benchmarks.md,
"Fifth round: cohorts and alumni changelists").

Django loads every column of each listed row and of each ``list_select_related`` row:
the application list's page of 100 was 100 applications (21 columns, with the line
manager's comment and the decision's reason), their applicants' accounts (password hash
included) and their cohorts, most of it never shown; building those model instances was
a third of the page's CPU at 10x the demo. ``ListedFieldsMixin`` loads only the fields
its ``list_fields`` names for the page's rows (``QuerySet.only``). Everything else about
the list is Django's: the count, filters, search, sorting (all in SQL, on any column),
the date hierarchy and the actions' querysets (which load whole rows, as before).

``list_fields`` must name every field the page reads for a row: its columns, the
``__str__`` of the row (each row's checkbox label) and of each related row shown. A
field left out costs one query per row to load it (a ``list_select_related`` relation
left out is an error): the page's HTML and query count are compared with and without
the mixin in ``tests/core/test_admin_rows.py`` for every admin that uses it.
"""

from __future__ import annotations


class ListedFieldsMixin:
    """For a ModelAdmin: the changelist page's rows load only ``list_fields`` (field
    names and ``__`` paths through ``list_select_related`` relations; the primary keys
    are always loaded). Empty: every field, as Django does."""

    list_fields: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        fields = tuple(self.list_fields)
        if not fields:
            return changelist

        class ListedFieldsChangeList(changelist):
            def get_results(self, request):
                # Only the page's rows (the paginator's slice and count): the changelist's
                # own queryset, which the actions and the date hierarchy use, is left whole.
                queryset = self.queryset
                self.queryset = queryset.only(*fields)
                try:
                    super().get_results(request)
                finally:
                    self.queryset = queryset

        return ListedFieldsChangeList
