"""Admin changelists show a big table's whole count as PostgreSQL's estimate, "about N"
(talenthub.core.pagination.EstimatedCountPaginator, issue 16): never for a filtered or
searched list, a small table or the last pages, and never a link past the end."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.template import Context, Engine
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talenthub.core.models import Organisation
from talenthub.core.pagination import (
    EstimatedCountPaginator,
    _two_figures_down,
    count_or_estimate,
    count_or_estimate_sql,
)

URL = reverse("admin:core_organisation_changelist")
TABLE = Organisation._meta.db_table


def _organisations(count: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Trust {i:04}", slug=f"trust-{i:04}", sector="nhs", region="wm")
        for i in range(count)
    )


def _analyze() -> None:
    """Statistics for the organisations' table as autovacuum leaves them. ANALYZE counts
    the rows this test's own transaction inserted; it writes pg_class in place, so the
    figures outlive the rollback: the tests here set a threshold far below the default,
    which no other test's table reaches."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(TABLE)}")


def _counts(captured) -> list[str]:
    """The queries that count the organisations' rows: Django's count, or the estimate's
    query (which runs its ``COUNT(*)`` only when it does not estimate)."""
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and TABLE in q["sql"]]


def _paginator_text(html: str) -> str:
    block = re.search(r'<p class="paginator">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def test_two_figures_down():
    assert [_two_figures_down(n) for n in (0, 7, 99, 100, 262_131, 55_012, 10_999)] == [
        0,
        7,
        99,
        100,
        260_000,
        55_000,
        10_000,
    ]


@pytest.mark.postgres
def test_count_or_estimate_only_for_the_whole_of_an_analyzed_table(db):
    """The estimate for the whole table, from 100 rows and away from its last tenth;
    the exact count below the threshold or near the end; nothing (the caller counts)
    for anything that is not the whole table."""
    _organisations(300 - Organisation.objects.count())
    _analyze()
    everyone = Organisation.objects.all()
    assert count_or_estimate(everyone, 100, 50) == (300, True)
    assert count_or_estimate(everyone.order_by("name"), 100, 269) == (300, True)
    assert count_or_estimate(everyone, 100, 270) == (300, False)  # 270 >= 0.9 x 300
    assert count_or_estimate(everyone, 301, 50) == (300, False)
    # Rows deleted since the statistics: the estimate stays, the count does not.
    Organisation.objects.filter(name__gte="Trust 0250").delete()
    assert count_or_estimate(everyone, 100, 50) == (300, True)
    assert count_or_estimate(everyone, 100, 270) == (250, False)
    # Anything that is not the whole table is counted by the caller.
    for some in [
        everyone.filter(is_provider=True),
        everyone.exclude(name=""),
        everyone.distinct(),
        everyone[:10],
        everyone.values("sector").annotate(n=Count("pk")),
        everyone.union(everyone),
    ]:
        assert count_or_estimate(some, 100, 50) is None


@pytest.mark.postgres
def test_the_estimate_does_not_count(db):
    """PostgreSQL runs the query's ``COUNT(*)`` only when it does not estimate: under
    ``EXPLAIN ANALYZE`` the count's plan is never executed when the estimate is used,
    and executed once when it is not."""
    import json

    _organisations(300 - Organisation.objects.count())
    _analyze()
    everyone = Organisation.objects.all()

    def count_loops(reach):
        sql, params = count_or_estimate_sql(everyone, 100, reach)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        loops = []

        def walk(node):
            if node.get("Node Type") == "Aggregate":
                loops.append(node["Actual Loops"])
            for child in node.get("Plans", []):
                walk(child)

        walk(plan[0]["Plan"])
        assert len(loops) == 1
        return loops[0]

    assert count_loops(50) == 0
    assert count_loops(270) == 1


def test_count_or_estimate_is_none_off_postgresql(db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert count_or_estimate(Organisation.objects.all(), 1, 0) is None


@pytest.mark.postgres
def test_the_whole_list_shows_about_and_counts_nothing(admin_client, settings):
    """Page 1 of the whole table: "about 300 organisations" and "Select all about 300",
    in as many queries as Django's; page 6 (the last tenth) and a searched list are
    counted, and show Django's words; below the threshold nothing is estimated."""
    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_ESTIMATED_COUNT_FROM": 100}
    _organisations(300 - Organisation.objects.count())
    _analyze()
    assert Organisation.objects.count() == 300

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(URL)
    html = response.content.decode()
    # One query: the estimate's, as many as Django's count.
    assert [q for q in _counts(captured) if "pg_class" in q] == _counts(captured)
    assert len(_counts(captured)) == 1
    assert _paginator_text(html) == "1 2 3 4 5 6 about 300 organisations"
    assert "Select all about 300 organisations" in html
    assert "All about 300 selected" in html

    with CaptureQueriesContext(connection) as captured:
        html = admin_client.get(URL + "?p=6").content.decode()
    assert len(_counts(captured)) == 1
    assert _paginator_text(html) == "1 2 3 4 5 6 300 organisations"
    assert "Select all 300 organisations" in html and "All 300 selected" in html
    assert "pg_class" in _counts(captured)[0]

    with CaptureQueriesContext(connection) as captured:
        html = admin_client.get(URL + "?q=Trust+00").content.decode()
    assert len(_counts(captured)) == 1
    assert "about" not in _paginator_text(html)

    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_ESTIMATED_COUNT_FROM": 301}
    with CaptureQueriesContext(connection) as captured:
        html = admin_client.get(URL).content.decode()
    assert len(_counts(captured)) == 1
    assert _paginator_text(html) == "1 2 3 4 5 6 300 organisations"


@pytest.mark.postgres
def test_an_estimate_too_high_is_counted_where_it_shows(admin_client, settings):
    """Rows deleted since the table's statistics (a retention purge before autovacuum's
    next ANALYZE): the estimate stays at 300 while 60 rows are left. Page 2, asked from
    the estimate's links, is not full: it is counted there and shows the true total and
    pages; a page past the true end is refused as Django refuses one (back to the list)."""
    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_ESTIMATED_COUNT_FROM": 100}
    _organisations(300 - Organisation.objects.count())
    _analyze()
    keep = list(Organisation.objects.order_by("name").values_list("pk", flat=True)[:60])
    Organisation.objects.exclude(pk__in=keep).delete()

    assert _paginator_text(admin_client.get(URL).content.decode()).endswith(
        "about 300 organisations"
    )
    response = admin_client.get(URL + "?p=2")
    html = response.content.decode()
    assert len(response.context["cl"].result_list) == 10
    assert _paginator_text(html) == "1 2 60 organisations"
    assert "Select all 60 organisations" in html

    response = admin_client.get(URL + "?p=4")
    assert response.status_code == 302 and response.url.endswith("?e=1")


@pytest.mark.postgres
def test_the_paginator_counts_a_page_near_the_end_and_a_bad_number(db):
    """The estimate (300, from the statistics) is used only away from its last tenth;
    page numbers that are not numbers, not positive or past any table are counted (and
    then refused as Django refuses them)."""
    _organisations(300 - Organisation.objects.count())
    _analyze()
    rows = Organisation.objects.order_by("pk")
    for number, estimated in [
        (None, True),
        ("1", True),
        ("5", True),
        ("6", False),  # 6 x 50 >= 0.9 x 300
        ("7", False),
        ("x", False),
        ("0", False),
        ("-1", False),
        (str(2**63), False),
    ]:
        paginator = EstimatedCountPaginator(rows, 50, page_number=number, estimate_from=100)
        assert paginator.count == 300
        assert paginator.estimated is estimated, number
    paginator = EstimatedCountPaginator(rows, 50, page_number="1", estimate_from=0)
    assert paginator.count == 300 and not paginator.estimated
    # Its pages are whole pages: with orphans (which the admin never asks for), counted.
    paginator = EstimatedCountPaginator(rows, 50, 5, page_number="1", estimate_from=100)
    assert paginator.count == 300 and not paginator.estimated


@pytest.mark.postgres
def test_counted_lists_render_as_djangos_templates(admin_client, settings):
    """With the count counted, the site's pagination.html and actions.html give the same
    HTML as Django's own (the same words and translations, from the same context)."""
    import django

    _organisations(120)
    response = admin_client.get(URL)
    cl = response.context["cl"]
    assert not cl.paginator.estimated
    from django.contrib.admin.templatetags.admin_list import pagination

    admin_templates = django.__path__[0] + "/contrib/admin/templates/admin/"
    engine = Engine.get_default()
    contexts = {  # made afresh for each rendering: the page range is a generator
        "pagination.html": lambda: pagination(cl),
        "actions.html": lambda: {**response.context_data, "action_index": 0},
    }
    for name, context in contexts.items():
        with open(admin_templates + name) as source:
            djangos = engine.from_string(source.read()).render(Context(context()))
        ours = get_template(f"admin/{name}").render(context())
        assert ("selected" in ours) is (name == "actions.html")
        assert ours == djangos, name


@pytest.mark.postgres
def test_a_managers_scoped_list_is_counted_never_the_whole_tables_estimate(
    admin_client, client, manager, provider, settings, monkeypatch
):
    """The estimate is of the whole table: a manager's booking list (their provider's
    events only) must never show it, or "about N" would tell them how many bookings
    every provider holds. The administrator's whole list is estimated; the manager's,
    over the same analysed table, is counted: their 60 bookings, in Django's words."""
    from django.contrib import admin

    from events.models import Booking
    from tests.events.factories import EventFactory
    from tests.factories import MemberFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_ESTIMATED_COUNT_FROM": 100}
    # Estimates start above "Show all" (200 rows by default): below it here.
    monkeypatch.setattr(admin.site._registry[Booking], "list_max_show_all", 99)
    # More of theirs than a page, so their first page is full: a page short of an
    # estimate would be counted anyway, and hide the leak.
    for event, people in ((EventFactory(organiser=provider), 60), (EventFactory(), 120)):
        Booking.objects.bulk_create(
            Booking(event=event, member=member, status=Booking.Status.WAITING)
            for member in MemberFactory.create_batch(people)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_booking")
    url = reverse("admin:events_booking_changelist")

    whole = _paginator_text(admin_client.get(url).content.decode())
    assert whole == "1 2 3 4 about 180 bookings", whole

    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert _paginator_text(html) == "1 2 60 bookings Show all"
    assert not [q for q in captured if "pg_class" in q["sql"]]


@pytest.mark.postgres
def test_a_list_short_enough_to_show_all_is_counted(admin_client, settings):
    """ "Show all" is offered, and loads every row, by the count: a table no longer than
    ``list_max_show_all`` (200) is counted whatever the threshold says."""
    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_ESTIMATED_COUNT_FROM": 100}
    _organisations(180 - Organisation.objects.count())
    _analyze()
    text = _paginator_text(admin_client.get(URL).content.decode())
    assert text == "1 2 3 4 180 organisations Show all"
