"""Outcome figures computed from a known data set of career histories."""

import datetime

import pytest
from django.urls import reverse

from alumni import selectors
from cohorts.models import Participant
from tests.alumni.factories import CareerEntryFactory
from tests.cohorts.factories import CompletedParticipantFactory, EndedCohortFactory
from tests.factories import MemberFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 1)


def ended_cohort(version, year, name):
    return EndedCohortFactory(
        version=version,
        name=name,
        starts_on=datetime.date(year, 4, 2),
        ends_on=datetime.date(year, 11, 26),
        applications_open_at=datetime.datetime(year, 1, 10, tzinfo=datetime.UTC),
        applications_close_at=datetime.datetime(year, 2, 28, tzinfo=datetime.UTC),
        status="completed",
    )


def completer(cohort, *entries):
    user = MemberFactory()
    CompletedParticipantFactory(user=user, cohort=cohort)
    for level, started in entries:
        CareerEntryFactory(user=user, level=level, started_on=started)
    return user


@pytest.fixture
def data(provider):
    """The known data set. The 2014 cohort runs 2 April – 26 November 2014, so with a
    five-year window a level 4 role must start after 2 April 2014 and by 26 November 2019.
    """
    aspire = ProgrammeFactory(owner=provider, title="Aspire", slug="aspire")
    version = ProgrammeVersionFactory(programme=aspire, name="Aspire")
    c2014 = ended_cohort(version, 2014, "Aspire — West Midlands, 2014")
    c2016 = ended_cohort(version, 2016, "Aspire — West Midlands, 2016")
    # Reached within five years: level 3 before, level 4 from 2017.
    completer(c2014, (3, datetime.date(2012, 1, 1)), (4, datetime.date(2017, 1, 1)))
    # Reached, but only after the five years (2021).
    completer(c2014, (4, datetime.date(2021, 1, 1)))
    # Never reached level 4.
    completer(c2014, (3, datetime.date(2015, 6, 1)))
    completer(c2014)  # keeps no career history
    # Already a director in 2005, nine years before the cohort: not an outcome of it.
    completer(c2014, (4, datetime.date(2005, 3, 1)))
    dropped = MemberFactory()
    Participant.objects.create(
        cohort=c2014, user=dropped, status="not_completed", completion_reason="Moved abroad"
    )
    CareerEntryFactory(user=dropped, level=4, started_on=datetime.date(2015, 1, 1))
    completer(c2016, (4, datetime.date(2018, 3, 1)))
    completer(c2016, (2, datetime.date(2017, 3, 1)))
    # Another provider's programme: not in this manager's figures.
    other = ProgrammeVersionFactory(name="Other")
    completer(ended_cohort(other, 2015, "Elsewhere 2015"), (4, datetime.date(2016, 1, 1)))
    return c2014, c2016


def rows(result):
    return {
        r.label: (r.completers, r.with_history, r.already, r.reached, r.percent)
        for r in result.cohorts
    }


def test_share_reaching_level_4_within_5_years(manager, data):
    result = selectors.outcomes(user=manager, level=4, years=5, today=TODAY)
    # 2014: five completers, four with a history, one already a director (out of the
    # share), one reached within five years: 1 of 4.
    assert rows(result) == {
        "Aspire — West Midlands, 2014": (5, 4, 1, 1, 25),
        "Aspire — West Midlands, 2016": (2, 2, 0, 1, 50),
    }
    [programme] = result.programmes
    assert (
        programme.label,
        programme.completers,
        programme.already,
        programme.reached,
        programme.eligible,
        programme.percent,
    ) == ("Aspire", 7, 1, 2, 6, 33)


def test_longer_window_and_lower_level(manager, data):
    # Seven years: the 2021 promotion now counts (2 of 4).
    assert rows(selectors.outcomes(user=manager, level=4, years=7, today=TODAY))[
        "Aspire — West Midlands, 2014"
    ] == (5, 4, 1, 2, 50)
    # Level 3: the 2012 business partner and the 2005 director were already there; the
    # 2015 business partner reached it (1 of 3).
    assert rows(selectors.outcomes(user=manager, level=3, years=5, today=TODAY))[
        "Aspire — West Midlands, 2014"
    ] == (5, 4, 2, 1, 33)


@pytest.mark.parametrize(
    "entries, expected",
    [
        ([], "not_reached"),  # no history
        ([(4, datetime.date(2005, 3, 1))], "already"),  # the audit's 2005 director
        ([(4, datetime.date(2014, 4, 2))], "already"),  # started on the cohort's first day
        ([(4, datetime.date(2014, 4, 3))], "reached"),  # promoted during the programme
        ([(4, datetime.date(2019, 11, 26))], "reached"),  # the last day of the window
        ([(4, datetime.date(2019, 11, 27))], "not_reached"),  # a day late
        ([(3, datetime.date(2010, 1, 1)), (4, datetime.date(2016, 1, 1))], "reached"),
        # A director before, then a step down, then director again: already, not reached.
        (
            [
                (4, datetime.date(2008, 1, 1)),
                (3, datetime.date(2011, 1, 1)),
                (4, datetime.date(2016, 1, 1)),
            ],
            "already",
        ),
    ],
)
def test_each_completer_is_already_reached_or_not(manager, provider, entries, expected):
    version = ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider))
    cohort = ended_cohort(version, 2014, "Cohort 2014")
    completer(cohort, *entries)
    [row] = selectors.outcomes(user=manager, level=4, years=5, today=TODAY).cohorts
    assert (row.already, row.reached) == (expected == "already", expected == "reached")
    assert row.completers == 1
    assert row.eligible == (0 if expected == "already" else 1)


def test_a_person_in_two_cohorts_counts_once_for_the_programme(manager, provider):
    version = ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider, title="P"))
    c2014 = ended_cohort(version, 2014, "Cohort 2014")
    c2018 = ended_cohort(version, 2018, "Cohort 2018")
    # Director in 2016: reached for 2014, already there for 2018; for the programme, reached.
    twice = completer(c2014, (3, datetime.date(2010, 1, 1)), (4, datetime.date(2016, 1, 1)))
    CompletedParticipantFactory(user=twice, cohort=c2018)
    # A director before both: already, for the programme as well.
    before = completer(c2014, (4, datetime.date(2005, 1, 1)))
    CompletedParticipantFactory(user=before, cohort=c2018)
    result = selectors.outcomes(user=manager, level=4, years=5, today=TODAY)
    assert rows(result) == {"Cohort 2014": (2, 2, 1, 1, 100), "Cohort 2018": (2, 2, 2, 0, 0)}
    [programme] = result.programmes
    assert (programme.completers, programme.already, programme.reached) == (2, 1, 1)
    assert programme.percent == 100


def test_window_still_open_is_flagged(manager, data):
    result = selectors.outcomes(user=manager, level=4, years=15, today=TODAY)
    assert all(r.window_open for r in result.cohorts)


def test_member_sees_no_outcomes(member, data):
    assert selectors.outcomes(user=member, level=4, years=5).cohorts == []


def test_admin_sees_every_programme(admin_user, data):
    result = selectors.outcomes(user=admin_user, level=4, years=5, today=TODAY)
    assert len(result.programmes) == 2
    assert len(result.cohorts) == 3
    assert rows(result)["Elsewhere 2015"] == (1, 1, 0, 1, 100)


def test_outcomes_page_permissions(client, member, manager, data):
    url = reverse("alumni:outcomes")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    page = client.get(url, {"level": 4, "years": 5})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aspire — West Midlands, 2014" in html and "Elsewhere" not in html
    # A chart for the programmes as well as the cohorts, each named for assistive
    # technology, and no inline style (the CSP forbids it).
    assert html.count("<svg") == 2
    for chart in ("programme-chart", "cohort-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    assert "Aspire 33%" in html  # the programme chart's description gives its figures
    assert "style=" not in html.split("<main", 1)[1]


def test_outcomes_page_query_count_is_constant(client, manager, provider):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider))
    client.force_login(manager)
    first = ended_cohort(version, 2014, "Cohort 2014")
    counts = []
    for cohort, alumni in ((first, 2), (ended_cohort(version, 2015, "Cohort 2015"), 30)):
        for _ in range(alumni):
            completer(cohort, (4, datetime.date(2017, 1, 1)))
            completer(first, (3, datetime.date(2016, 1, 1)))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("alumni:outcomes")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts  # the figures in one query (issue 16)


def test_invalid_parameters_show_an_error_and_the_defaults(client, manager, data):
    client.force_login(manager)
    page = client.get(reverse("alumni:outcomes"), {"level": 9, "years": 0})
    assert page.status_code == 200
    assert "<title>Error: Alumni outcomes" in page.content.decode()
    assert page.context["outcomes"].level == 4 and page.context["outcomes"].years == 5


def _outcome_of(first_at_level, cohort, years) -> str:
    """The reference rule, as the outcomes page applied it in Python before it counted in
    SQL: ``already`` on or before the cohort's first day, ``reached`` after it and no
    later than ``years`` after its last, else (or with no role at the level)
    ``not_reached``."""
    if first_at_level is None:
        return "not_reached"
    if first_at_level <= cohort.starts_on:
        return "already"
    if first_at_level <= selectors.add_years(cohort.ends_on, years):
        return "reached"
    return "not_reached"


def outcomes_read_into_python(*, user, level, years, today):
    """The figures as ``selectors.outcomes`` worked them out before issue 16 (every
    completer and career entry read, the rules applied in Python): the reference the
    counting in SQL must agree with."""
    from collections import defaultdict

    from alumni.models import CareerEntry

    cohorts = list(
        selectors.outcome_cohorts(user).filter(ends_on__lt=today).order_by("ends_on", "name")
    )
    ids = [c.pk for c in cohorts]
    completers = Participant.objects.completed().filter(cohort_id__in=ids)
    pairs = list(completers.values_list("cohort_id", "user_id"))
    entries = CareerEntry.objects.filter(user_id__in=completers.values("user_id"))
    with_history = set(entries.values_list("user_id", flat=True))
    first_at_level = {}
    for user_id, started_on in entries.filter(level__gte=level).values_list(
        "user_id", "started_on"
    ):
        first_at_level[user_id] = min(started_on, first_at_level.get(user_id, started_on))
    by_cohort = defaultdict(list)
    for cohort_id, user_id in pairs:
        by_cohort[cohort_id].append(user_id)
    cohort_rows, per_programme = {}, defaultdict(lambda: defaultdict(set))
    for cohort in cohorts:
        found = [_outcome_of(first_at_level.get(u), cohort, years) for u in by_cohort[cohort.pk]]
        deadline = selectors.add_years(cohort.ends_on, years)
        cohort_rows[cohort.name] = (
            len(found),
            sum(u in with_history for u in by_cohort[cohort.pk]),
            found.count("already"),
            found.count("reached"),
            deadline > today,
        )
        people = per_programme[str(cohort.version.programme)]
        for user_id, outcome in zip(by_cohort[cohort.pk], found, strict=True):
            people[user_id].add(outcome)
    programme_rows = {
        label: (
            len(people),
            len(people.keys() & with_history),
            sum(found == {"already"} for found in people.values()),
            sum("reached" in found for found in people.values()),
        )
        for label, people in per_programme.items()
    }
    return cohort_rows, programme_rows


def test_counting_in_sql_agrees_with_reading_every_row(manager, admin_user, provider):
    """Generated histories (seeded), with dates on every boundary the rules draw (the
    cohort's first day, the deadline, a day either side, 29 February), people in two
    cohorts of a programme, non-completers and another provider's programme: the page's
    figures are those the rules give when applied to every row in Python. Seen failing
    when the SQL counted ``first_at_level < starts_on`` as already (one cohort's figures
    differed) and when a person in two cohorts counted twice for the programme."""
    import random

    randomly = random.Random(16)
    programmes = [
        ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider, title=title))
        for title in ("Aspire", "Inspire")
    ] + [ProgrammeVersionFactory()]  # another provider's
    cohorts = []
    for n, version in enumerate(programmes * 3):
        year = 2010 + n
        cohorts.append(
            EndedCohortFactory(
                version=version,
                name=f"Cohort {n:02}",
                starts_on=datetime.date(year, 2, 29 if year % 4 == 0 else 28),
                ends_on=datetime.date(year + 1, 2, 28 + (year % 4 == 3)),
                applications_open_at=datetime.datetime(year - 1, 10, 1, tzinfo=datetime.UTC),
                applications_close_at=datetime.datetime(year - 1, 12, 1, tzinfo=datetime.UTC),
                status="completed",
            )
        )

    def boundary_dates(cohort):
        deadlines = [selectors.add_years(cohort.ends_on, y) for y in (1, 3, 5)]
        days = [cohort.starts_on, *deadlines]
        return [d + datetime.timedelta(days=shift) for d in days for shift in (-1, 0, 1)]

    for _ in range(60):
        user = MemberFactory()
        taken = randomly.sample(cohorts, randomly.choice([1, 1, 2, 3]))
        for cohort in taken:
            if randomly.random() < 0.85:
                CompletedParticipantFactory(user=user, cohort=cohort)
            else:
                Participant.objects.create(
                    cohort=cohort, user=user, status="not_completed", completion_reason="Left"
                )
        for _entry in range(randomly.choice([0, 1, 2, 3])):
            day = randomly.choice(
                boundary_dates(randomly.choice(taken))
                + [datetime.date(2004, 2, 29), datetime.date(2016, 2, 29)]
            )
            CareerEntryFactory(user=user, level=randomly.randint(1, 4), started_on=day)

    for viewer in (manager, admin_user):
        for level, years in ((4, 5), (3, 1), (2, 3), (4, 20)):
            result = selectors.outcomes(user=viewer, level=level, years=years, today=TODAY)
            got_cohorts = {
                r.label: (r.completers, r.with_history, r.already, r.reached, r.window_open)
                for r in result.cohorts
            }
            got_programmes = {
                r.label: (r.completers, r.with_history, r.already, r.reached)
                for r in result.programmes
            }
            expected = outcomes_read_into_python(user=viewer, level=level, years=years, today=TODAY)
            assert (got_cohorts, got_programmes) == expected, (viewer, level, years)
            assert sum(row[2] + row[3] for row in got_cohorts.values()) > 0


def test_the_figures_are_kept_per_data_version_and_the_cohorts_the_manager_may_see(
    client, settings, manager, provider, django_capture_on_commit_callbacks
):
    """With kept pages on (issue 16): a manager coming back gets the figures without
    their queries; the key names the manager's provider and whether they are a superuser
    (who sees every provider's cohorts, here one at the same provider), so nobody is given
    another's figures; a committed change shows on the next request; each level and
    period is its own. Seen failing with either part left out of the key."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ManagerFactory, ProviderFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    mine = ended_cohort(
        ProgrammeVersionFactory(programme=ProgrammeFactory(owner=provider, title="Ours")),
        2014,
        "Our 2014",
    )
    elsewhere = ProviderFactory()
    theirs = ended_cohort(
        ProgrammeVersionFactory(programme=ProgrammeFactory(owner=elsewhere, title="Theirs")),
        2015,
        "Their 2015",
    )
    completer(mine, (4, datetime.date(2016, 1, 1)))
    completer(theirs, (4, datetime.date(2017, 1, 1)))
    other_manager = ManagerFactory(profile__organisation=elsewhere)
    superuser = ManagerFactory(profile__organisation=provider, is_superuser=True)
    url = reverse("alumni:outcomes")

    def visit(user, params=None):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params or {})
        assert response.status_code == 200
        body = response.content.decode()
        figures = re.search(r'<h2 class="govuk-heading-m">By programme</h2>.*</main>', body, re.S)
        return figures.group(0), len(captured)

    first, queries = visit(manager)
    again, kept_queries = visit(manager)
    assert again == first and kept_queries <= queries - 2  # the cohorts, the figures
    assert "Our 2014" in first and "Their 2015" not in first
    other, _queries = visit(other_manager)
    assert "Their 2015" in other and "Our 2014" not in other
    everyone, _queries = visit(superuser)
    assert "Their 2015" in everyone and "Our 2014" in everyone
    with django_capture_on_commit_callbacks(execute=True):
        completer(mine)  # a second completer, who keeps no history
    changed, queries = visit(manager)
    assert changed != first and queries > kept_queries
    row = re.search(r"header\">Our 2014.*?</tr>", changed, re.S).group(0)
    assert re.findall(r'numeric">(\d+)<', row)[:2] == ["2", "1"]  # completers, with history
    one_year, _queries = visit(manager, {"level": 4, "years": 1})
    assert one_year != changed  # the 2016 director is not within a year of 2014
