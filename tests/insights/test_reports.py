"""The reports, computed from known data sets."""

import datetime

import pytest
from django.utils import timezone

from alumni.models import CareerEntry
from insights import reports
from tests.cohorts.factories import (
    AttendanceFactory,
    FeedbackFactory,
    ParticipantFactory,
    SessionFactory,
)
from tests.events.factories import BookingFactory, EventFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .builders import ended_cohort, journey, journeys
from .disclosure import breaches
from .factories import MonitoringRecordFactory

pytestmark = pytest.mark.django_db

WHITE = {"ethnicity": "white_british"}
ASIAN = {"ethnicity": "asian_indian"}
BLACK = {"ethnicity": "black_african"}


@pytest.fixture
def no_suppression(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": 0}


def values(row):
    return [c.value for c in row.counts]


def released(report):
    """The figures of this period's release of ``report``, as published."""
    from insights.models import EqualityRelease

    return reports.release_problem(reports.current_release(EqualityRelease.Report(report)))


def test_journey_counts_rates_and_gaps_from_a_known_data_set(no_suppression):
    cohort = ended_cohort()
    # White: 20 applied, 12 offered, 10 enrolled, 8 completed, 4 promoted.
    journeys(cohort, {"applied": 8, "offered": 2, "enrolled": 2, "completed": 4,
                      "promoted": 4}, WHITE)  # fmt: skip
    # Asian (two census categories, one group): 10 applied, 4 offered, 4 enrolled, 4
    # completed, 1 promoted.
    journeys(cohort, {"applied": 6, "completed": 2, "promoted": 1}, ASIAN)
    journeys(cohort, {"completed": 1}, {"ethnicity": "asian_pakistani"})
    # No monitoring record: 2 applied.
    journeys(cohort, {"applied": 2}, None)

    report = reports.journey(characteristic="ethnicity")
    rows = {r.key: r for r in report.rows}
    assert values(rows["white"]) == [20, 12, 10, 8, 4]
    assert values(rows["asian"]) == [10, 4, 4, 4, 1]
    assert values(rows["black"]) == [0, 0, 0, 0, 0]
    assert values(rows["not_recorded"]) == [2, 0, 0, 0, 0]
    assert values(report.total) == [32, 16, 14, 12, 5]
    assert rows["white"].is_reference
    assert [round(f.value, 1) for f in rows["white"].rates] == [60.0, 83.3, 80.0, 50.0]
    assert [round(f.value, 1) for f in rows["asian"].rates] == [40.0, 100.0, 100.0, 25.0]
    assert [round(f.value, 1) for f in rows["asian"].gaps] == [-20.0, 16.7, 20.0, -25.0]
    assert rows["black"].rates[0].value is None  # nobody applied: no rate, no gap
    assert str(rows["black"].gaps[0]) == "–"


def test_journey_for_one_programme_leaves_the_others_out(no_suppression):
    cohort = ended_cohort()
    other = ended_cohort()
    journeys(cohort, {"completed": 3}, WHITE)
    journeys(other, {"applied": 5}, WHITE)
    report = reports.journey(characteristic="ethnicity", programme=cohort.version.programme)
    assert values(report.total) == [3, 3, 3, 3, 0]
    assert values(reports.journey(characteristic="ethnicity").total) == [8, 3, 3, 3, 0]


def test_promotion_needs_a_higher_level_started_after_the_cohort_ended(no_suppression):
    cohort = ended_cohort()
    already_senior = journey(cohort, "completed", answers=WHITE)
    # A level-4 role before the programme, a level-3 one after: not a promotion.
    CareerEntry.objects.create(
        user=already_senior.applicant, role="Director", organisation_name="A", level=4,
        started_on=cohort.starts_on - datetime.timedelta(days=30),
    )  # fmt: skip
    CareerEntry.objects.create(
        user=already_senior.applicant, role="Head", organisation_name="B", level=3,
        started_on=cohort.ends_on + datetime.timedelta(days=30),
    )  # fmt: skip
    no_baseline = journey(cohort, "enrolled", answers=WHITE)
    no_baseline.participant.status = "completed"
    no_baseline.participant.completed_at = timezone.now()
    no_baseline.participant.save()
    CareerEntry.objects.create(
        user=no_baseline.applicant, role="Head", organisation_name="B", level=4,
        started_on=cohort.ends_on + datetime.timedelta(days=30),
    )  # fmt: skip
    journey(cohort, "promoted", answers=WHITE)
    report = reports.journey(characteristic="ethnicity")
    assert values(report.total) == [3, 3, 3, 3, 1]


def test_journey_protects_small_groups_and_what_would_give_them_away():
    """Exactly, 3 Black applicants applied, 2 were offered places and none completed,
    beside 10 White: 13 applied, so 3 is also 13 minus the others. Rounded and audited,
    no reader of every page can narrow a small group down."""
    cohort = ended_cohort()
    journeys(cohort, {"applied": 2, "offered": 0, "completed": 8}, WHITE)
    journeys(cohort, {"applied": 1, "offered": 2}, BLACK)
    report = reports.journey(characteristic="ethnicity")
    rows = {r.key: r for r in report.rows}
    assert str(rows["black"].counts[0]) in {"5", "[c]"}
    assert str(report.total.counts[0]) == "15"  # 13, rounded
    # Rates from counts of fewer than 25 (as published) are not shown.
    assert str(rows["white"].rates[0]) in {"[low]", "[c]"} and str(rows["black"].gaps[0]) in {
        "[low]", "[c]",
    }  # fmt: skip
    assert breaches(released("journey")) == []


def test_journey_by_each_characteristic_adds_up(no_suppression):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 3}, {"sex": "female", "disability": "yes"})
    journeys(cohort, {"applied": 2}, {"sex": "male", "disability": "prefer_not_to_say"})
    journeys(cohort, {"applied": 1}, None)
    for name in reports.CHARACTERISTICS:
        report = reports.journey(characteristic=name)
        assert sum(r.counts[0].value for r in report.rows) == 6 == report.total.counts[0].value
    sex = {r.key: r.counts[0].value for r in reports.journey(characteristic="sex").rows}
    assert sex == {"female": 3, "male": 2, "prefer_not_to_say": 0, "not_recorded": 1}
    disability = {
        r.key: r.counts[0].value for r in reports.journey(characteristic="disability").rows
    }
    assert disability == {"yes": 3, "no": 0, "prefer_not_to_say": 2, "not_recorded": 1}


def test_answers_given_under_an_older_consent_statement_are_not_used(no_suppression):
    from insights.models import MonitoringRecord

    cohort = ended_cohort()
    journeys(cohort, {"applied": 2}, {"sex": "female"})
    old = journey(cohort, "applied", answers={"sex": "male"}, level=3).applicant
    MonitoringRecord.objects.filter(user=old).update(consent_version="2020-01")
    sex = {r.key: r.counts[0].value for r in reports.journey(characteristic="sex").rows}
    assert sex == {"female": 2, "male": 0, "prefer_not_to_say": 0, "not_recorded": 1}
    members = reports.representation(characteristic="sex").tables[0]
    groups = [key for key, _label in members.groups]
    assert members.table.cells[2][groups.index("not_recorded")].value == 1
    assert members.table.cells[2][groups.index("male")].value == 0


def test_drafts_are_not_journeys(no_suppression):
    from tests.cohorts.factories import ApplicationFactory

    cohort = ended_cohort()
    ApplicationFactory(cohort=cohort, status="draft", submitted_at=None)
    assert reports.journey(characteristic="sex").total.counts[0].value == 0


def test_representation_by_level_for_members_and_alumni(no_suppression):
    from tests.alumni.factories import TalentPoolMemberFactory

    cohort = ended_cohort()
    for index in range(3):
        application = journey(cohort, "completed", answers=ASIAN, level=4)
        if index:  # two of them in a talent pool, one of those in two pools
            TalentPoolMemberFactory(user=application.applicant)
    TalentPoolMemberFactory(user=application.applicant)
    for _ in range(5):
        journey(cohort, "applied", answers=WHITE, level=2)
    journey(cohort, "applied", answers=None, level=None)
    report = reports.representation(characteristic="ethnicity")
    members, alumni, pool = report.tables
    assert pool.title == "Talent pool members"
    assert pool.table.grand_total.value == 2  # people, not memberships
    assert pool.table.cells[3][[k for k, _l in pool.groups].index("asian")].value == 2
    groups = [key for key, _label in members.groups]
    level_4 = members.table.cells[3]
    assert level_4[groups.index("asian")].value == 3
    assert members.table.cells[1][groups.index("white")].value == 5
    assert members.table.cells[4][groups.index("not_recorded")].value == 1  # no level given
    assert members.table.grand_total.value == 9
    assert alumni.table.grand_total.value == 3
    label, cells, total, shares = list(members.rows())[3]
    assert total.value == 3 and shares[groups.index("asian")].value == 100.0


def test_representation_protects_small_groups():
    cohort = ended_cohort()
    for _ in range(20):
        journey(cohort, "applied", answers=WHITE, level=3)
    for _ in range(2):
        journey(cohort, "applied", answers=BLACK, level=4)
    for _ in range(12):
        journey(cohort, "applied", answers=WHITE, level=4)
    members = reports.representation(characteristic="ethnicity").tables[0]
    groups = [key for key, _label in members.groups]
    assert str(members.table.cells[3][groups.index("black")]) in {"0", "[c]"}
    assert breaches(released("representation")) == []


def test_one_programme_cannot_be_worked_out_from_all_programmes():
    """Two programmes: "all programmes" minus the first gave the second's hidden cells
    back when each was suppressed on its own."""
    first, second = ended_cohort(), ended_cohort()
    journeys(first, {"applied": 30}, WHITE)
    journeys(first, {"applied": 12}, ASIAN)
    journeys(second, {"applied": 20}, WHITE)
    journeys(second, {"applied": 3}, ASIAN)  # small
    assert breaches(released("journey")) == []


def test_no_monitoring_information_is_one_figure_in_every_characteristic():
    cohort = ended_cohort()
    journeys(cohort, {"applied": 20}, {"ethnicity": "white_british", "sex": "female"})
    journeys(cohort, {"applied": 10}, {"ethnicity": "asian_indian", "sex": "male"})
    journeys(cohort, {"applied": 3}, {"ethnicity": "black_african", "sex": "female"})
    journeys(cohort, {"applied": 9}, None)
    printed = {
        str(next(r for r in reports.journey(characteristic=name).rows
                 if r.key == "not_recorded").counts[0])
        for name in reports.CHARACTERISTICS
    }  # fmt: skip
    assert printed == {"10"}
    assert breaches(released("journey")) == []


def test_a_small_drop_out_between_stages_is_protected():
    """25 White applicants and 24 offered a place: the one not offered is a person."""
    cohort = ended_cohort()
    journeys(cohort, {"applied": 1, "offered": 24}, WHITE)
    journeys(cohort, {"applied": 30}, None)
    problem = released("journey")
    assert any(
        t.kind == "difference" and [c.raw for c in t.cells] == [25, 24] for t in problem.targets()
    )
    assert breaches(problem) == []


def test_the_threshold_applies_to_people_not_applications():
    """Three people who applied three times each are 9 applications but 3 people."""
    from tests.cohorts.factories import ApplicationFactory

    cohorts = [ended_cohort() for _ in range(3)]
    people = [journey(cohorts[0], "applied", answers=BLACK).applicant for _ in range(3)]
    for cohort in cohorts[1:]:
        for person in people:
            ApplicationFactory(cohort=cohort, applicant=person, submitted_at=timezone.now(),
                               status="unsuccessful")  # fmt: skip
    journeys(cohorts[0], {"applied": 30}, WHITE)
    black = next(r for r in reports.journey(characteristic="ethnicity").rows if r.key == "black")
    assert black.counts[0].raw == 9 and black.counts[0].people == 3
    problem = released("journey")
    assert any(
        t.kind == "count" and t.cells[0].key == black.counts[0].key for t in problem.targets()
    )
    assert breaches(problem) == []


def test_a_small_difference_between_members_and_alumni_is_protected():
    cohort = ended_cohort()
    for _ in range(10):
        journey(cohort, "completed", answers=WHITE, level=3)
    journey(cohort, "applied", answers=WHITE, level=3)  # a member, not an alumna
    for _ in range(20):
        journey(cohort, "applied", answers=None, level=3)
    assert breaches(released("representation")) == []


def test_programme_outcomes_by_year(manager):
    programme = ProgrammeFactory(owner=manager.profile.organisation)
    version = ProgrammeVersionFactory(programme=programme)
    cohort = ended_cohort(version=version, provider=programme.owner)
    session = SessionFactory(cohort=cohort)
    done = [ParticipantFactory(cohort=cohort, status="completed", completed_at=timezone.now())
            for _ in range(3)]  # fmt: skip
    ParticipantFactory(cohort=cohort, status="not_completed", completion_reason="Left")
    for p, status in zip(done, ["present", "present", "absent"], strict=True):
        AttendanceFactory(session=session, participant=p, status=status)
    FeedbackFactory(participant=done[0], overall_rating=5)
    FeedbackFactory(participant=done[1], overall_rating=4)
    other = ended_cohort()  # another provider's: not in scope
    ParticipantFactory(cohort=other)

    rows = reports.programme_outcomes(user=manager)
    assert len(rows) == 1
    row = rows[0]
    assert (row.programme, row.year, row.cohorts, row.enrolled, row.completed) == (
        programme.title, 2022, 1, 4, 3,
    )  # fmt: skip
    assert row.completion_rate.value == 75.0
    assert round(row.attendance_rate.value, 1) == 66.7
    assert round(row.no_show_rate.value, 1) == 33.3
    assert (row.feedback_count, row.feedback_mean) == (2, 4.5)


def test_programme_outcomes_show_demand_for_places(manager):
    from tests.cohorts.factories import ApplicationFactory

    programme = ProgrammeFactory(owner=manager.profile.organisation)
    cohort = ended_cohort(version=ProgrammeVersionFactory(programme=programme),
                          provider=programme.owner, capacity=4)  # fmt: skip
    now = timezone.now()
    for status, waited, offers in [("waiting", True, 0), ("waiting", True, 0),
                                   ("accepted", True, 1), ("unsuccessful", False, 0),
                                   ("offer_declined", False, 1)]:  # fmt: skip
        ApplicationFactory(cohort=cohort, status=status, submitted_at=now,
                           waiting_since=now if waited else None, offer_count=offers)  # fmt: skip
    ApplicationFactory(cohort=cohort, status="draft", submitted_at=None)  # not an application yet
    row = reports.programme_outcomes(user=manager)[0]
    assert (row.places, row.applications, row.joined_waiting_list, row.still_waiting,
            row.offered) == (4, 5, 3, 2, 2)  # fmt: skip
    assert row.applications_per_place == 1.25


def test_programmes_with_the_same_title_are_reported_apart(manager):
    owner = manager.profile.organisation
    for _ in range(2):
        programme = ProgrammeFactory(owner=owner, title="Aspire")
        cohort = ended_cohort(version=ProgrammeVersionFactory(programme=programme), provider=owner)
        ParticipantFactory(cohort=cohort)
    rows = reports.programme_outcomes(user=manager)
    assert [r.programme for r in rows] == ["Aspire", "Aspire"]
    assert len({r.programme_id for r in rows}) == 2


def test_event_demand_derives_who_joined_a_waiting_list(manager):
    organiser = manager.profile.organisation
    past = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(organiser=organiser, capacity=2, starts_at=past,
                         booking_opens_at=past - datetime.timedelta(days=20),
                         booking_closes_at=past - datetime.timedelta(hours=1))  # fmt: skip
    joined = past - datetime.timedelta(days=10)
    BookingFactory(event=event, joined_at=joined, confirmed_at=joined, attendance="attended")
    # Promoted from the list: confirmed after joining.
    BookingFactory(event=event, joined_at=joined, confirmed_at=joined + datetime.timedelta(days=1),
                   attendance="no_show")  # fmt: skip
    BookingFactory(event=event, status="waiting", joined_at=joined)
    BookingFactory(event=event, status="cancelled", joined_at=joined, confirmed_at=None)
    BookingFactory(event=event, status="expired", joined_at=joined, offer_number=1)
    BookingFactory(event=event, status="cancelled", joined_at=joined, confirmed_at=joined)
    EventFactory(organiser=organiser)  # not started yet: not counted
    EventFactory(
        starts_at=past,
        booking_opens_at=event.booking_opens_at,
        booking_closes_at=event.booking_closes_at,
    )  # another organiser's

    (year,) = reports.event_demand(user=manager)
    assert (year.events, year.places, year.booked) == (1, 2, 2)
    assert (year.attended, year.no_shows, year.no_show_rate.value) == (1, 1, 50.0)
    assert year.joined_waiting_list == 4
    assert year.still_waiting_at_start == 1
    assert year.full_events == 1


def test_analysts_see_every_provider_and_members_see_nothing(analyst, member):
    ParticipantFactory(cohort=ended_cohort())
    ParticipantFactory(cohort=ended_cohort())
    assert sum(r.enrolled for r in reports.programme_outcomes(user=analyst)) == 2
    assert reports.programme_outcomes(user=member) == []
    assert reports.event_demand(user=member) == []


def test_monitoring_answers_never_leave_the_reports_as_individual_rows(no_suppression):
    """Each report returns counts per group, never people: one person in a group is a
    count of 1 (and, with the default threshold, hidden)."""
    cohort = ended_cohort()
    journey(cohort, "applied", answers={"ethnicity": "white_roma"})
    report = reports.journey(characteristic="ethnicity")
    assert {r.key for r in report.rows} == {
        "asian", "black", "mixed", "white", "other", "prefer_not_to_say", "not_recorded",
    }  # fmt: skip
    assert all(isinstance(c.raw, int) for r in report.rows for c in r.counts)
    MonitoringRecordFactory()  # a member with a record but no application changes nothing
    assert reports.journey(characteristic="ethnicity").total.counts[0].value == 1
