"""The numbers a manager sees for each cohort (participants, open offers, waiting) are
counted right, on /cohorts/manage/ and in the admin's cohort list, for cohorts that have
many participants *and* many applications at once (the case a join of both multiplies,
issue 21), for cohorts with none, and never with another provider's rows. Expected
figures are counted here in Python from every row, independently of the SQL."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from cohorts.models import Application, Cohort, Participant
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    CompletedParticipantFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    WaitingApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohorts(cohort, provider, other_provider):
    """``cohort`` with participants of every status and applications of every kind;
    an empty cohort; one with only a waiting list; another provider's busy cohort (of a
    programme ``provider`` does not own, so not visible to its managers)."""
    cohort.capacity = 12
    cohort.save()
    version = cohort.version
    empty = CohortFactory(version=version, provider=provider, name="Empty")
    waiting_only = CohortFactory(version=version, provider=provider, name="Waiting only")
    theirs = CohortFactory(provider=other_provider, name="Theirs")  # a programme of their own
    ParticipantFactory.create_batch(4, cohort=cohort)
    CompletedParticipantFactory.create_batch(2, cohort=cohort)
    ParticipantFactory(cohort=cohort, status="not_completed", completion_reason="Left the NHS")
    ParticipantFactory.create_batch(3, cohort=cohort, status="withdrawn")
    OfferedApplicationFactory.create_batch(3, cohort=cohort)
    WaitingApplicationFactory.create_batch(5, cohort=cohort)
    for status in ["submitted", "unsuccessful", "accepted", "offer_declined"]:
        ApplicationFactory(cohort=cohort, status=status)
    WaitingApplicationFactory.create_batch(2, cohort=waiting_only)
    ParticipantFactory.create_batch(6, cohort=theirs)
    OfferedApplicationFactory.create_batch(4, cohort=theirs)
    WaitingApplicationFactory.create_batch(4, cohort=theirs)
    return [cohort, empty, waiting_only]


def counted_in_python() -> dict[int, tuple[int, int, int]]:
    participants = Counter(
        p.cohort_id for p in Participant.objects.all() if p.status != "withdrawn"
    )
    offers = Counter(a.cohort_id for a in Application.objects.all() if a.status == "offered")
    waiting = Counter(a.cohort_id for a in Application.objects.all() if a.status == "waiting")
    return {c.pk: (participants[c.pk], offers[c.pk], waiting[c.pk]) for c in Cohort.objects.all()}


def numeric_cells(html: str, cohort_name: str) -> list[int]:
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S)
    (row,) = [r for r in rows if f">{cohort_name}</a>" in r]
    return [int(n) for n in re.findall(r"govuk-table__cell--numeric\">(\d+)<", row)]


def test_manage_page_shows_the_counts_of_every_row(client, manager, cohorts):
    expected = counted_in_python()
    assert expected[cohorts[0].pk] == (7, 3, 5)  # the fixture is what it says
    client.force_login(manager)
    response = client.get(reverse("cohorts:manage"))
    html = response.content.decode()
    shown = {c.pk for c in response.context["cohorts"]}
    assert shown == {c.pk for c in cohorts}  # not another provider's
    for cohort in cohorts:
        capacity, *counts = numeric_cells(html, cohort.name)
        assert (capacity, tuple(counts)) == (cohort.capacity, expected[cohort.pk]), cohort.name


def test_admin_cohort_list_shows_the_counts_and_sorts_by_them(client, manager, cohorts):
    expected = counted_in_python()
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_changelist")
    cl = client.get(url).context["cl"]
    shown = {
        c.pk: (cl.model_admin.participants_count(c), cl.model_admin.open_offers(c),
               cl.model_admin.waiting(c))
        for c in cl.result_list
    }  # fmt: skip
    assert shown == {c.pk: expected[c.pk] for c in cohorts}
    # Sorting by the participants column (the 'participants' display's ordering).
    column = cl.list_display.index("participants_count")
    ordered = client.get(url, {"o": f"-{column}"}).context["cl"]
    assert [ordered.model_admin.participants_count(c) for c in ordered.result_list] == sorted(
        (expected[c.pk][0] for c in cohorts), reverse=True
    )


def test_places_taken_are_counted_from_the_active_participants_index(cohorts):
    """The cohort list's participant count (not withdrawn) has the condition of
    ``participant_active_cohort_idx``, so PostgreSQL counts each cohort's participants
    from that index alone rather than reading each participant's row for its status (at
    100x the demo: 8.8 -> 2.4 ms for 16 cohorts; docs/benchmarks.md, "Sixth round").
    Sequential and bitmap scans are turned off so that the plan on these few rows is
    the one a big table gets."""
    from django.db import connection, transaction

    sql, params = Cohort.objects.with_place_counts().order_by("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "using participant_active_cohort_idx on cohorts_participant" in plan, plan
    counts = dict(Cohort.objects.with_place_counts().values_list("pk", "participant_count"))
    assert {pk: c[0] for pk, c in counted_in_python().items()} == counts


def test_place_count_subqueries_are_built_once_and_each_use_is_its_own(cohorts, monkeypatch):
    """``with_place_counts`` builds its three subqueries once (0.6 ms a cohort list
    request; docs/benchmarks.md, "Sixth round"), and a queryset using them changes
    neither them nor another queryset's: the same SQL as at first, the same counts
    after one of them is filtered, sorted and counted."""
    import cohorts.models as cohort_models

    built = []
    real = cohort_models.related_count
    monkeypatch.setattr(
        cohort_models, "related_count", lambda *a, **k: built.append(1) or real(*a, **k)
    )
    cohort_models._place_counts.cache_clear()
    try:
        first = Cohort.objects.with_place_counts().order_by("pk")
        sql = str(first.query)
        narrowed = Cohort.objects.with_place_counts().filter(participant_count__gt=0)
        assert list(narrowed.order_by("-participant_count").values_list("pk", flat=True))
        assert narrowed.count() >= 1
        again = Cohort.objects.with_place_counts().order_by("pk")
        assert len(built) == 3
        assert str(again.query) == sql
        expected = counted_in_python()
        shown = {c.pk: (c.participant_count, c.offer_count, c.waiting_count) for c in again}
        assert shown == expected
    finally:
        cohort_models._place_counts.cache_clear()
