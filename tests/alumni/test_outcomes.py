"""Outcome figures computed from a known data set of career histories."""

import datetime

import pytest
from django.urls import reverse

from alumni import selectors
from cohorts.models import Participant
from tests.alumni.factories import CareerEntryFactory
from tests.cohorts.factories import CompletedParticipantFactory, EndedCohortFactory
from tests.factories import MemberFactory, ProgrammeFactory, ProgrammeVersionFactory

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
    aspire = ProgrammeFactory(owner=provider, title="Aspire", slug="aspire")
    version = ProgrammeVersionFactory(programme=aspire, name="Aspire")
    c2014 = ended_cohort(version, 2014, "Aspire — West Midlands, 2014")
    c2016 = ended_cohort(version, 2016, "Aspire — West Midlands, 2016")
    completer(c2014, (3, datetime.date(2012, 1, 1)), (4, datetime.date(2017, 1, 1)))
    completer(c2014, (4, datetime.date(2021, 1, 1)))
    completer(c2014, (3, datetime.date(2015, 6, 1)))
    completer(c2014)  # keeps no career history
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
    return {r.label: (r.completers, r.with_history, r.reached, r.percent) for r in result.cohorts}


def test_share_reaching_level_4_within_5_years(manager, data):
    result = selectors.outcomes(user=manager, level=4, years=5, today=TODAY)
    assert rows(result) == {
        "Aspire — West Midlands, 2014": (4, 3, 1, 25),
        "Aspire — West Midlands, 2016": (2, 2, 1, 50),
    }
    [programme] = result.programmes
    assert (programme.label, programme.completers, programme.reached, programme.percent) == (
        "Aspire",
        6,
        2,
        33,
    )


def test_longer_window_and_lower_level(manager, data):
    assert rows(selectors.outcomes(user=manager, level=4, years=7, today=TODAY))[
        "Aspire — West Midlands, 2014"
    ] == (4, 3, 2, 50)
    assert rows(selectors.outcomes(user=manager, level=3, years=5, today=TODAY))[
        "Aspire — West Midlands, 2014"
    ] == (4, 3, 2, 50)


def test_window_still_open_is_flagged(manager, data):
    result = selectors.outcomes(user=manager, level=4, years=15, today=TODAY)
    assert all(r.window_open for r in result.cohorts)


def test_member_sees_no_outcomes(member, data):
    assert selectors.outcomes(user=member, level=4, years=5).cohorts == []


def test_admin_sees_every_programme(admin_user, data):
    result = selectors.outcomes(user=admin_user, level=4, years=5, today=TODAY)
    assert len(result.programmes) == 2
    assert len(result.cohorts) == 3
    assert rows(result)["Elsewhere 2015"] == (1, 1, 1, 100)


def test_outcomes_page_permissions(client, member, manager, data):
    url = reverse("alumni:outcomes")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    page = client.get(url, {"level": 4, "years": 5})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Aspire — West Midlands, 2014" in html and "Elsewhere" not in html


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
    assert counts[0] == counts[1] <= 12, counts


def test_invalid_parameters_show_an_error_and_the_defaults(client, manager, data):
    client.force_login(manager)
    page = client.get(reverse("alumni:outcomes"), {"level": 9, "years": 0})
    assert page.status_code == 200
    assert "<title>Error: Alumni outcomes" in page.content.decode()
    assert page.context["outcomes"].level == 4 and page.context["outcomes"].years == 5
