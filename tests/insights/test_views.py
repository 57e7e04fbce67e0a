"""The insights pages: who may open them, what they show, the CSV downloads, and query
counts that do not grow with the number of members."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact.models import CompactRole
from insights.permissions import can_view_equality
from tests.compact.factories import ActionFactory, CompactFactory
from tests.factories import ManagerFactory, MemberFactory
from tests.spreadsheets import csv_rows

from .builders import ended_cohort, journey, journeys

pytestmark = pytest.mark.django_db

EQUALITY = ["journey", "journey_csv", "representation", "representation_csv"]
PROGRAMMES = ["programmes", "programmes_csv", "events", "events_csv"]
COMPACTS = ["compacts", "compacts_csv"]
ALL_PAGES = ["index", *EQUALITY, *PROGRAMMES, *COMPACTS]


def url(name, **query):
    from urllib.parse import urlencode

    return reverse(f"insights:{name}") + (f"?{urlencode(query)}" if query else "")


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_visitors_are_asked_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_members_are_refused(client, member, name):
    client.force_login(member)
    assert client.get(url(name)).status_code == 403


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("manager", {"index", *PROGRAMMES}),
        ("secretariat", {"index", *COMPACTS}),
        ("analyst", set(ALL_PAGES)),
    ],
)
def test_each_role_opens_exactly_its_pages(client, request, who, allowed):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name in ALL_PAGES:
        expected = 200 if name in allowed else 403
        assert client.get(url(name)).status_code == expected, name


def test_a_programme_manager_is_not_an_analyst_unless_given_the_permission(client, manager):
    from .factories import analyst_group

    client.force_login(manager)
    assert client.get(url("journey")).status_code == 403
    manager.groups.add(analyst_group())
    assert client.get(url("journey")).status_code == 200


def test_a_superuser_needs_the_explicit_grant_for_the_equality_reports(client):
    from .factories import analyst_group

    CompactFactory()  # a superuser edits every compact
    superuser = MemberFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for name in EQUALITY:
        assert client.get(url(name)).status_code == 403, name
    # Not special-category data: a superuser sees every provider's and compact's figures.
    for name in ["index", *PROGRAMMES, *COMPACTS]:
        assert client.get(url(name)).status_code == 200, name
    superuser.groups.add(analyst_group())
    for name in ALL_PAGES:
        assert client.get(url(name)).status_code == 200, name


def test_the_permission_granted_to_the_person_directly_also_counts(client, member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="view_equality_insights"))
    client.force_login(member)
    assert client.get(url("journey")).status_code == 200
    member.is_active = False
    member.save()
    assert not can_view_equality(member)


def test_the_index_lists_only_what_the_user_may_open(client, manager, analyst):
    client.force_login(manager)
    page = client.get(url("index")).content.decode()
    assert url("programmes") in page and url("journey") not in page
    client.force_login(analyst)
    page = client.get(url("index")).content.decode()
    assert url("journey") in page and url("compacts") in page


def test_the_journey_page_shows_the_protected_report(client, analyst):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 10, "completed": 9}, {"ethnicity": "white_british"})
    journeys(cohort, {"applied": 3}, {"ethnicity": "black_caribbean"})
    client.force_login(analyst)
    response = client.get(url("journey", characteristic="ethnicity"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'role="img"' in page
    assert ">20<" in page and ">22<" not in page  # the total applied, rounded
    black = next(r for r in response.context["report"].rows if r.key == "black")
    assert str(black.counts[0]) in {"5", "[c]"}
    assert "Release of" in page and "How we protect these figures" in page
    assert "Download these figures (CSV)" in page


def test_a_bad_filter_falls_back_to_the_default_report(client, analyst):
    client.force_login(analyst)
    response = client.get(url("journey", characteristic="star-sign", programme="nope"))
    assert response.status_code == 200
    assert response.context["report"].characteristic.field == "ethnicity"
    assert response.context["form"].errors


def test_the_journey_csv_holds_the_same_suppressed_aggregates(client, analyst):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 10, "completed": 9}, {"ethnicity": "white_british"})
    journeys(cohort, {"applied": 3}, {"ethnicity": "black_caribbean"})
    client.force_login(analyst)
    query = {"characteristic": "ethnicity", "programme": cohort.version.programme.slug}
    response = client.get(url("journey_csv", **query))
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    assert header[:7] == ["Group", "Reference group", "Applied", "Offered a place", "Enrolled",
                          "Completed", "Promoted after completing"]  # fmt: skip
    black = body["Black, Black British, Black Welsh, Caribbean or African"]
    white = body["White"]
    assert black[2] in {"5", "[c]"} and white[2] in {"20", "[c]"}
    assert body["All applications"][2] == "20"
    assert white[1] == "yes"
    # No percentage of fewer than 25 people (as published).
    assert black[header.index("Offered a place, of those who applied (%)")] in {"[low]", "[c]"}
    page = client.get(url("journey", **query))
    rendered = {str(r.label): [str(c) for c in r.counts] for r in page.context["report"].rows}
    assert rendered["White"] == white[2:7]
    page = client.get(url("journey", **query))
    report = page.context["report"]
    assert [str(c) for c in report.total.counts] == body["All applications"][2:7]


def test_the_representation_page_and_csv(client, analyst):
    cohort = ended_cohort()
    for _ in range(9):
        journey(cohort, "completed", answers={"sex": "female"}, level=3)
    for _ in range(2):
        journey(cohort, "applied", answers={"sex": "male"}, level=4)
    client.force_login(analyst)
    page = client.get(url("representation", characteristic="sex"))
    assert page.status_code == 200
    assert page.content.decode().count("<svg") == 3  # members, alumni, talent pool members
    rows = csv_rows(client.get(url("representation_csv", characteristic="sex")))
    cells = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    level_4 = str(page.context["report"].tables[0].levels[3][1])
    assert cells[("Members", level_4, "Male")] in {"0", "[c]"}  # 2 men
    level_3 = str(page.context["report"].tables[0].levels[2][1])
    members = page.context["report"].tables[0]
    female = [key for key, _label in members.groups].index("female")
    assert cells[("Members", level_3, "Female")] == str(members.table.cells[2][female])
    # Every count rounded: 9 alumni are 10, the 11 members 10 (and more with the analyst).
    assert cells[("Alumni", "All levels", "All")] == "10"
    assert all(v in {"[c]", ""} or int(v) % 5 == 0 for r in rows[1:] for v in [r[3]])


def test_programme_and_event_pages_for_a_manager(client, manager):
    from tests.cohorts.factories import ParticipantFactory
    from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

    programme = ProgrammeFactory(owner=manager.profile.organisation, title="=Aspire")
    cohort = ended_cohort(version=ProgrammeVersionFactory(programme=programme),
                          provider=programme.owner)  # fmt: skip
    ParticipantFactory(cohort=cohort)
    client.force_login(manager)
    page = client.get(url("programmes")).content.decode()
    assert "=Aspire" in page and "<svg" in page
    rows = csv_rows(client.get(url("programmes_csv")))
    assert rows[1][0] == "'=Aspire"  # not a formula in a spreadsheet
    # The download holds exactly the columns the page's tables show.
    page_headers = [
        str(h) for t in client.get(url("programmes")).context["programmes"][0]["tables"]
        for h in t["headers"]
    ]  # fmt: skip
    assert rows[0] == ["Programme", "Cohort year", *page_headers]
    assert client.get(url("events")).status_code == 200
    assert csv_rows(client.get(url("events_csv")))[0][:3] == ["Year", "Events", "Places"]


def test_compact_health_for_its_secretariat_only(client, secretariat):
    role = CompactRole.objects.get(user=secretariat)
    ActionFactory(plan__compact=role.compact, lead_person=None, target_date=None)
    ActionFactory()  # another compact's
    client.force_login(secretariat)
    response = client.get(url("compacts"))
    assert response.status_code == 200
    (item,) = response.context["compacts"]
    assert item["health"].compact == role.compact
    assert item["health"].flag_counts["flag_no_lead"] == 1
    rows = csv_rows(client.get(url("compacts_csv")))
    assert len(rows) == 2 and rows[1][0] == role.compact.name


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


# Every page each role may open; "journey?programme" is the journey for one programme.
PAGES_OF = {
    "analyst": ["index", "journey", "journey?programme", "journey_csv", "journey_csv?programme",
                "representation", "representation_csv", *PROGRAMMES, *COMPACTS],
    "manager": ["index", *PROGRAMMES],
    "secretariat": ["index", *COMPACTS],
}  # fmt: skip


@pytest.mark.parametrize("who", ["analyst", "manager", "secretariat"])
def test_query_counts_do_not_grow_with_the_number_of_members(client, request, who):
    """Each role's pages, over data of their own scope (the manager's provider runs the
    cohort and the events; the secretariat edits both compacts), with 3 people and then
    23: the same queries. Two compacts, so that compact health adds them up (their number
    grows in the next test)."""
    from compact.models import CompactRole
    from tests.cohorts.factories import AttendanceFactory, FeedbackFactory, SessionFactory
    from tests.compact import factories as compact_factories
    from tests.events.factories import BookingFactory, EventFactory
    from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

    manager = request.getfixturevalue("manager")
    secretariat = request.getfixturevalue("secretariat")
    user = {"manager": manager, "secretariat": secretariat}.get(who)
    user = user or request.getfixturevalue(who)
    provider = manager.profile.organisation
    programme = ProgrammeFactory(owner=provider)
    cohort = ended_cohort(version=ProgrammeVersionFactory(programme=programme), provider=provider)
    session = SessionFactory(cohort=cohort)
    first = CompactRole.objects.get(user=secretariat).compact
    second = compact_factories.RoleFactory(user=secretariat, role=CompactRole.Role.SECRETARIAT)
    compacts = []
    for compact in [first, second.compact]:
        meeting = compact_factories.MeetingFactory(
            group=compact_factories.GroupFactory(compact=compact)
        )
        compacts.append(
            (
                compact_factories.PlanFactory(compact=compact),
                compact_factories.CharterFactory(compact=compact),
                meeting,
            )
        )

    def add_people(n):
        for i in range(n):
            application = journey(
                cohort, ["applied", "offered", "completed", "promoted"][i % 4],
                answers={"ethnicity": ["white_british", "asian_indian"][i % 2]}, level=1 + i % 4,
            )  # fmt: skip
            participant = getattr(application, "participant", None)
            if participant is not None:
                AttendanceFactory(session=session, participant=participant)
                FeedbackFactory(participant=participant)
            held = timezone.now() - datetime.timedelta(days=2)  # the report counts held events
            event = EventFactory(organiser=provider, starts_at=held,
                                 booking_opens_at=held - datetime.timedelta(days=20),
                                 booking_closes_at=held - datetime.timedelta(hours=1))  # fmt: skip
            BookingFactory(event=event, confirmed_at=held - datetime.timedelta(days=5))
            for plan, charter, meeting in compacts:
                compact_factories.ActionFactory(plan=plan)
                signatory = compact_factories.SignatoryFactory(charter=charter)
                compact_factories.AttendanceFactory(
                    meeting=meeting, organisation=signatory.organisation
                )
        MemberFactory.create_batch(n)

    def path(page):
        name, _sep, query = page.partition("?")
        if query:
            return url(name, characteristic="ethnicity", programme=programme.slug)
        return url(name)

    def counts():
        # A new release of the data as it is now, then each page of it.
        from insights.models import EqualityRelease
        from insights.tasks import publish_equality_releases

        EqualityRelease.objects.all().delete()
        with CaptureQueriesContext(connection) as publishing:
            publish_equality_releases()
        found = {page: _queries(client, path(page)) for page in PAGES_OF[who]}
        return {**found, "publishing the releases": len(publishing)}

    client.force_login(user)
    add_people(3)
    few = counts()
    add_people(20)
    assert counts() == few
    # The pages did show the data (of the user's scope), not an empty report.
    if "compacts" in PAGES_OF[who]:
        assert len(client.get(url("compacts")).context["compacts"]) == 2
    if "programmes" in PAGES_OF[who]:
        assert client.get(url("programmes")).context["programmes"]
        assert sum(y.booked for y in client.get(url("events")).context["years"]) == 23
    if "journey?programme" in PAGES_OF[who]:
        assert client.get(path("journey?programme")).context["report"].programme == programme


def test_a_programme_manager_sees_only_their_providers_outcomes(client):
    from tests.cohorts.factories import ParticipantFactory

    theirs, other = ManagerFactory(), ManagerFactory()
    ParticipantFactory(cohort=ended_cohort(provider=other.profile.organisation))
    client.force_login(theirs)
    assert client.get(url("programmes")).context["programmes"] == []


def test_pages_state_the_configured_threshold(client, analyst, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": 10}
    client.force_login(analyst)
    assert "1 to 10 people" in client.get(url("index")).content.decode()
    assert "a group of 1 to 10 people" in client.get(url("journey")).content.decode()
    assert "1 to 10 people" in client.get(reverse("monitoring")).content.decode()


def test_the_journey_says_so_when_nobody_has_applied(client, analyst):
    client.force_login(analyst)
    page = client.get(url("journey")).content.decode()
    assert "No applications have been submitted yet" in page
    assert "<svg" not in page


def test_compact_health_is_kept_per_set_of_compacts_until_a_row_changes(
    client, analyst, secretariat, settings, django_capture_on_commit_callbacks
):
    """With kept fragments on (issue 16): the report is kept under the compacts its
    reader may see, so the secretariat of one compact never gets the analyst's report of
    every compact; a second visit runs fewer queries; a committed change shows next."""
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    theirs = CompactRole.objects.get(user=secretariat).compact
    other = CompactFactory(name="Other Compact")
    ActionFactory(plan__compact=other)

    def visit():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("compacts"))
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    client.force_login(analyst)
    first, queries = visit()
    again, kept_queries = visit()
    assert again == first and kept_queries < queries
    assert other.name in first and theirs.name in first
    client.force_login(secretariat)
    own = visit()[0]
    assert theirs.name in own and other.name not in own
    assert "0 flagged actions" in own
    with django_capture_on_commit_callbacks(execute=True):
        ActionFactory(plan__compact=theirs, lead_person=None)
    assert "1 flagged action" in visit()[0]


def test_compact_health_queries_do_not_grow_with_the_number_of_compacts(client, secretariat):
    from compact.models import CompactRole
    from tests.compact import factories as compact_factories

    def add_compact():
        compact = compact_factories.RoleFactory(
            user=secretariat, role=CompactRole.Role.SECRETARIAT
        ).compact
        meeting = compact_factories.MeetingFactory(
            group=compact_factories.GroupFactory(compact=compact)
        )
        charter = compact_factories.CharterFactory(compact=compact)
        for _ in range(2):
            compact_factories.ActionFactory(plan=compact_factories.PlanFactory(compact=compact))
            signatory = compact_factories.SignatoryFactory(charter=charter)
            organisation = signatory.organisation
            compact_factories.AttendanceFactory(meeting=meeting, organisation=organisation)

    client.force_login(secretariat)
    add_compact()
    two = _queries(client, url("compacts"))
    for _ in range(3):
        add_compact()
    assert _queries(client, url("compacts")) == two
    health = [c["health"] for c in client.get(url("compacts")).context["compacts"]]
    assert len(health) == 5
    assert sum(h.actions for h in health) == 8 and sum(h.organisations for h in health) == 8


def test_a_journey_link_with_only_a_programme_shows_that_programme(client, analyst):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 10}, {"ethnicity": "white_british"})
    ended_cohort()  # another programme
    client.force_login(analyst)
    page = client.get(url("journey", programme=cohort.version.programme.slug))
    report = page.context["report"]
    assert report.programme == cohort.version.programme
    assert report.characteristic.field == "ethnicity"


def test_compact_health_counts_a_recorded_meeting_in_the_chosen_year(client, secretariat):
    """ "Meetings held 0" after a meeting was recorded: the count came from the attendance
    report's first member organisation, so a compact with no charter member that year (or
    a task-and-finish meeting) showed none. The year is chosen, the current one first."""
    import datetime

    from django.utils import timezone

    from compact import services
    from compact.models import CompactRole
    from tests.compact.factories import GroupFactory

    compact = CompactRole.objects.get(user=secretariat).compact
    group = GroupFactory(compact=compact)
    services.meeting_record(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        place="County Hall",
        actor=secretariat,
    )
    services.meeting_record(
        group=group,
        starts_at=timezone.now().replace(year=2009, month=6, day=10),
        place="County Hall",
        actor=secretariat,
    )
    client.force_login(secretariat)
    (item,) = client.get(url("compacts")).context["compacts"]
    assert (item["health"].year, item["health"].meetings_held) == (timezone.localdate().year, 1)
    response = client.get(url("compacts") + "?year=2009")
    assert response.context["compacts"][0]["health"].meetings_held == 1
    assert response.context["year"] == 2009
    rows = csv_rows(client.get(url("compacts_csv") + "?year=2009"))
    assert rows[1][rows[0].index("Attendance year")] == "2009"
    # A year with no meeting is not offered; the page falls back to the current year.
    assert client.get(url("compacts") + "?year=1999").context["year"] == timezone.localdate().year
