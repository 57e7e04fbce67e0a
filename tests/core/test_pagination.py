"""``CountWhenFullPaginator`` answers as Django's ``Paginator`` does (rows, count, pages,
errors) for every list length around the page boundaries, and only counts when the page
asked for is full (issue 21: the count was a round trip of its own on every manager list)."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talenthub.core.models import Organisation
from talenthub.core.pagination import CountWhenFullPaginator

pytestmark = pytest.mark.django_db

PER_PAGE = 5


def _answer(paginator_class, queryset, number):
    paginator = paginator_class(queryset, PER_PAGE)
    try:
        page = paginator.page(number)
    except (EmptyPage, PageNotAnInteger) as exc:
        return type(exc).__name__
    return (
        [o.pk for o in page.object_list],
        paginator.count,
        paginator.num_pages,
        page.has_previous(),
        page.has_next(),
        page.start_index(),
        page.end_index(),
        list(paginator.page_range),
    )


@pytest.mark.parametrize("rows", [0, 1, 4, 5, 6, 10, 11, 13])
def test_it_answers_as_django_s_paginator(rows):
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {n:02}", slug=f"org-{n:02}") for n in range(rows)
    )
    queryset = Organisation.objects.order_by("name")
    for number in [1, 2, 3, 4, 0, -1, "2", "x", None, "1.5"]:
        assert _answer(CountWhenFullPaginator, queryset, number) == _answer(
            Paginator, queryset, number
        ), (rows, number)


def _page_queries(rows: int, number: int) -> list[str]:
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {n:02}", slug=f"org-{n:02}") for n in range(rows)
    )
    with CaptureQueriesContext(connection) as captured:
        paginator = CountWhenFullPaginator(Organisation.objects.order_by("name"), PER_PAGE)
        list(paginator.page(number).object_list)
        assert paginator.num_pages >= 1
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(("rows", "number"), [(0, 1), (3, 1), (5, 1), (13, 3), (10, 2)])
def test_a_page_that_is_not_followed_by_another_is_not_counted(rows, number):
    (query,) = _page_queries(rows, number)
    assert "COUNT(" not in query.upper()


def test_a_full_page_with_more_after_it_is_counted():
    queries = _page_queries(13, 2)
    assert len(queries) == 2
    assert sum("COUNT(" in q.upper() for q in queries) == 1


def test_a_page_number_past_any_offset_is_empty_not_a_database_error():
    """Found by the API's schemathesis run: ``?page=`` with 20 digits made an OFFSET
    beyond PostgreSQL's bigint (DataError, a 500 on every paginated list). It fails on
    the paginator before this fix."""
    paginator = CountWhenFullPaginator(Organisation.objects.order_by("pk"), PER_PAGE)
    with pytest.raises(EmptyPage):
        paginator.page(10**20)
