"""No page and no admin changelist aggregates over two one-to-many relations joined side by
side (issue 21): ``/cohorts/manage/`` counted participants and applications in one query
and took 7.7 s at ten times the demo, with a constant, small query count.

The guard looks at the shape of every SELECT Django compiles while each page renders
(``tests/query_shapes.py``), so it needs no large data and runs on SQLite too; on
PostgreSQL ``test_plans_stay_linear_with_two_large_relations_under_one_parent`` also runs
every captured SELECT under ``EXPLAIN ANALYZE`` against data where one parent has many rows
in two related tables, and bounds the rows any plan node produces.
"""

import io
import json

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.query_shapes import multiplying_aggregates

pytestmark = pytest.mark.django_db

ADMIN = "admin@talenthub.example"
MANAGER = "rebecca.manager@wme.example"
FRANCHISEE = "dev.manager@emc.example"
SECRETARIAT = "elisabeth.secretariat@ddep.example"
MEMBER = "priya.member@example.com"
ALUMNUS = "aspire.alumnus.001@example.com"
TALENT = "talent.manager@mrtb.example"
ANALYST = "insights.analyst@talenthub.example"
BOOKER = "amara.okafor@example.com"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses a DEBUG=0 stack
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


def main_pages() -> list[tuple[str | None, str]]:
    """(who, url) for the main pages of every app, as the demo's people see them."""
    from cohorts.models import Cohort, Session
    from compact.models import Action, Meeting, Survey
    from events.models import Event
    from programmes.models import Programme, ProgrammeVersion
    from resources.models import Framework

    managed = Cohort.objects.filter(provider__name="West Midlands Employers").order_by("pk")
    cohort = managed.filter(participants__isnull=False).distinct().first()
    version = ProgrammeVersion.objects.filter(cohorts=cohort).first()
    session = Session.objects.filter(cohort=cohort).first()
    event = Event.objects.filter(status=Event.Status.PUBLISHED).order_by("pk").first()
    programme = Programme.objects.filter(status=Programme.Status.PUBLISHED).first()
    framework = Framework.objects.filter(is_published=True).first()
    action = Action.objects.filter(plan__compact__slug="derbyshire", parent=None).first()
    meeting = Meeting.objects.filter(group__compact__slug="derbyshire").first()
    survey = Survey.objects.filter(compact__slug="derbyshire").first()
    compact = "/compacts/derbyshire"
    return [
        (None, "/"),
        (None, "/programmes/"),
        (None, programme.get_absolute_url()),
        (None, "/events/"),
        (None, "/events/past/"),
        (None, f"/events/{event.slug}/"),
        (None, "/cohorts/"),
        (None, f"/cohorts/{cohort.slug}/"),
        (None, "/resources/"),
        (None, "/resources/career-pathway/"),
        (None, "/resources/competency-frameworks/"),
        (None, f"/resources/competency-frameworks/{framework.slug}/"),
        (None, "/compacts/"),
        (None, f"{compact}/"),
        (MEMBER, "/accounts/profile/"),
        (MEMBER, "/resources/self-assessment/"),
        (MEMBER, "/resources/career-conversations/"),
        (BOOKER, "/events/my-bookings/"),
        (ALUMNUS, "/alumni/"),
        (ALUMNUS, "/alumni/me/"),
        (ALUMNUS, "/alumni/me/career/"),
        (ALUMNUS, "/alumni/mentoring/"),
        (ALUMNUS, "/alumni/stories/"),
        (ALUMNUS, "/alumni/pledges/"),
        (MANAGER, "/cohorts/manage/"),
        (FRANCHISEE, "/cohorts/manage/"),
        (MANAGER, f"/cohorts/manage/{cohort.slug}/feedback/"),
        (MANAGER, f"/cohorts/manage/versions/{version.pk}/feedback/"),
        (MANAGER, f"/cohorts/manage/sessions/{session.pk}/attendance/"),
        (MANAGER, f"/cohorts/{cohort.slug}/reports/"),
        (MANAGER, "/events/manage/demand/"),
        (MANAGER, "/alumni/outcomes/"),
        (MANAGER, "/insights/programmes/"),
        (TALENT, "/alumni/talent/"),
        (TALENT, "/alumni/talent/vacancies/"),
        (SECRETARIAT, f"{compact}/"),
        (SECRETARIAT, f"{compact}/actions/"),
        (SECRETARIAT, f"{compact}/actions/health/"),
        (SECRETARIAT, f"{compact}/actions/{action.pk}/"),
        (SECRETARIAT, f"{compact}/meetings/"),
        (SECRETARIAT, f"{compact}/meetings/{meeting.pk}/"),
        (SECRETARIAT, f"{compact}/meetings/attendance/"),
        (SECRETARIAT, f"{compact}/groups/"),
        (SECRETARIAT, f"{compact}/surveys/"),
        (SECRETARIAT, f"{compact}/surveys/{survey.pk}/"),
        (SECRETARIAT, f"{compact}/documents/"),
        (SECRETARIAT, f"{compact}/bulletins/"),
        (ANALYST, "/insights/"),
        (ANALYST, "/insights/journey/"),
        (ANALYST, "/insights/representation/"),
        (ANALYST, "/insights/programmes/"),
        (ANALYST, "/insights/events/"),
        (ANALYST, "/insights/compacts/"),
    ]


def admin_changelists() -> list[tuple[str, str]]:
    """Every registered model's changelist, for the site administrator and for a
    programme manager (whose lists are scoped, so their queries differ)."""
    from django.test import RequestFactory

    from talenthub.core.models import User

    pages = []
    for who in (ADMIN, MANAGER):
        request = RequestFactory().get("/admin/")
        request.user = User.objects.get(email=who)
        pages += sorted(
            (who, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
            for model, model_admin in admin.site._registry.items()
            if model_admin.has_view_or_change_permission(request)
        )
    return pages


def _offences(client, pages) -> list[tuple]:
    """(who, url, relations) of each multiplying aggregate the pages ran. Every page must
    render: a page that does not is a page the guard did not check."""
    from talenthub.core.models import User

    offences, not_rendered = [], []
    for who, url in pages:
        client.logout()
        if who:
            client.force_login(User.objects.get(email=who))
        with multiplying_aggregates() as found:
            response = client.get(url)
        if response.status_code != 200:
            not_rendered.append((who, url, response.status_code))
        offences += [(who, url, m.relations) for m in found]
    assert not_rendered == []
    return offences


def test_no_page_aggregates_over_two_one_to_many_joins(client, demo):
    offences = _offences(client, main_pages())
    assert offences == [], "\n".join(f"{who} {url}: {rel}" for who, url, rel in offences)


def test_no_admin_changelist_aggregates_over_two_one_to_many_joins(client, demo):
    offences = _offences(client, admin_changelists())
    assert offences == [], "\n".join(f"{who} {url}: {rel}" for who, url, rel in offences)


def test_the_guard_sees_the_shape_it_forbids():
    """The detector itself: two sibling one-to-many counts are caught; one count, a chain
    (a one-to-many reached through another) and subquery counts are not."""
    from django.db.models import Count

    from cohorts.models import Cohort
    from compact.models import Action

    def caught(queryset):
        with multiplying_aggregates() as found:
            list(queryset)
        return [m.relations for m in found]

    assert caught(Cohort.objects.annotate(p=Count("participants"), a=Count("applications"))) == [
        ("cohorts_application.cohort_id", "cohorts_participant.cohort_id")
    ]
    assert caught(Cohort.objects.annotate(p=Count("participants"))) == []
    assert caught(Action.objects.annotate(n=Count("sub_actions__updates"))) == []
    assert caught(Cohort.objects.filter(applications__status="waiting").annotate(
        p=Count("participants")
    )) != []  # fmt: skip


# On PostgreSQL: what the plans actually do with two large relations under one parent -----

SKEW = 300  # rows in each of two related tables for one parent: their product is 90,000


def _skew():
    """One of the manager's cohorts gets SKEW more participants and SKEW more applications;
    one compact action SKEW sub-actions and SKEW updates of its own; one pathway level
    SKEW more steps and SKEW more opportunities. Returns the largest table's row count."""
    from django.apps import apps
    from django.utils import timezone

    from cohorts.models import Application, Cohort, Participant
    from compact.models import Action, ProgressUpdate
    from resources.models import DevelopmentOpportunity, PathwayLevel, PathwayStep
    from talenthub.core.models import User

    now = timezone.now()
    cohort = Cohort.objects.filter(provider__name="West Midlands Employers").first()
    people = User.objects.bulk_create(
        User(email=f"skew{n}@example.com", full_name=f"Skew {n}") for n in range(2 * SKEW)
    )
    Participant.objects.bulk_create(Participant(cohort=cohort, user=u) for u in people[:SKEW])
    Application.objects.bulk_create(
        Application(cohort=cohort, applicant=u, status="waiting", submitted_at=now,
                    waiting_since=now)
        for u in people[SKEW:]
    )  # fmt: skip
    action = Action.objects.filter(plan__compact__slug="derbyshire", parent=None).first()
    Action.objects.bulk_create(
        Action(plan=action.plan, parent=action, code=f"S{n}", theme=action.theme,
               objective="A sub-action.")
        for n in range(SKEW)
    )  # fmt: skip
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, author=people[n], on=now.date(), status="on_track",
                       percent_complete=n % 100, note="An update.")
        for n in range(SKEW)
    )  # fmt: skip
    level = PathwayLevel.objects.first()
    top = max(PathwayStep.objects.values_list("order", flat=True), default=0)
    PathwayStep.objects.bulk_create(
        PathwayStep(level=level, order=top + 1 + n, salary_bands=f"Band {n}") for n in range(SKEW)
    )
    DevelopmentOpportunity.objects.bulk_create(
        DevelopmentOpportunity(pathway_level=level, kind="academy", title=f"Opportunity {n}")
        for n in range(SKEW)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return max(model.objects.count() for model in apps.get_models())


def _node_rows(plan) -> list[tuple[str, float]]:
    """(node type, rows it produced over all its loops) for every node of a plan."""
    rows = [(plan["Node Type"], plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1))]
    for child in plan.get("Plans", []):
        rows += _node_rows(child)
    return rows


def _explained(sql: str) -> list[tuple[str, float]]:
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: reads only
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
        transaction.set_rollback(True)
    if isinstance(document, str):
        document = json.loads(document)
    return _node_rows(document[0]["Plan"])


@pytest.mark.postgres
def test_plans_stay_linear_with_two_large_relations_under_one_parent(client, demo):
    """Every SELECT of every main page and admin changelist, run under EXPLAIN ANALYZE on
    data where one parent has SKEW rows in each of two related tables: no plan node may
    produce more rows than a few times the largest table (a join of both relations
    produces SKEW² for that parent)."""
    from talenthub.core.models import User

    bound = 10 * _skew()
    assert bound < SKEW * SKEW  # the data can tell linear from multiplied
    pages = main_pages() + admin_changelists()
    excessive = []
    for who, url in pages:
        client.logout()
        if who:
            client.force_login(User.objects.get(email=who))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, (who, url)
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            worst = max(_explained(sql), key=lambda node: node[1])
            if worst[1] > bound:
                excessive.append((who, url, worst, sql[:300]))
    assert excessive == [], "\n".join(map(str, excessive))


@pytest.mark.django_db
def test_related_counts_count_rows_not_ids():
    """``related_count`` counts with ``COUNT(*)``, which PostgreSQL can answer from an index
    on the link and the filter alone (the event list's place counts, on ``booking_queue_idx``),
    and gives the same numbers as ``COUNT(id)``. Seen failing with ``Count("pk")`` put back."""
    from django.db.models import Count

    from events.models import Booking, Event
    from tests.events.factories import BookingFactory, EventFactory

    event, empty = EventFactory(capacity=5), EventFactory()
    for _ in range(3):
        BookingFactory(event=event, status=Booking.Status.CONFIRMED)
    BookingFactory(event=event, status=Booking.Status.WAITING)
    events = Event.objects.filter(pk__in=[event.pk, empty.pk]).with_place_counts()
    with CaptureQueriesContext(connection) as queries:
        counts = {e.pk: (e.confirmed_count, e.offered_count, e.waiting_count) for e in events}
    assert counts == {event.pk: (3, 0, 1), empty.pk: (0, 0, 0)}
    sql = queries[0]["sql"]
    assert sql.count("COUNT(*)") == 3, sql
    by_id = Booking.objects.filter(event=event, status="confirmed").aggregate(n=Count("pk"))
    assert by_id["n"] == counts[event.pk][0]
