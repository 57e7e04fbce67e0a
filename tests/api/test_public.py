"""The public reads: anyone, no token. Each reads through its app's selector, so what a
page hides (drafts, another provider's unpublished events) the API hides too."""

import datetime

import pytest
from django.utils import timezone

from cohorts.models import Cohort
from compact.models import Document
from events.models import Event
from programmes.models import Programme
from tests.cohorts.factories import CohortFactory, ParticipantFactory
from tests.compact.factories import (
    CompactFactory,
    DocumentFactory,
    GroupFactory,
    MeetingFactory,
    PriorityFactory,
    StatementFactory,
)
from tests.events.factories import BookingFactory, EventFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ModuleFactory,
    ProgrammeCareerLevelFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
)
from tests.resources.factories import (
    PathwayLevelFactory,
    PathwayRoleFactory,
    PathwayStepFactory,
    framework_with_competencies,
)

pytestmark = pytest.mark.django_db


def test_root_lists_the_endpoints(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()["links"]
    assert links["programme-list"].endswith("/api/v1/programmes/")
    assert links["docs"].endswith("/api/v1/docs/")


def test_programme_list_is_the_published_catalogue_filtered_as_the_page(
    api, django_assert_max_num_queries
):
    aspire = ProgrammeFactory(title="Aspire", kind=Programme.Kind.MULTI_MODULE)
    ProgrammeCareerLevelFactory(programme=aspire, level=3)
    ProgrammeFactory(title="Inspire OD", kind=Programme.Kind.WORKSHOP)
    ProgrammeFactory(title="Draft one", status=Programme.Status.DRAFT)
    for n in range(25):
        ProgrammeFactory(title=f"Network {n}", kind=Programme.Kind.NETWORK)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/programmes/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 27
    assert len(body["results"]) == 20  # the site's page size
    assert "Draft one" not in {p["title"] for p in body["results"]}
    workshops = api.get("/api/v1/programmes/", {"kind": "workshop"}).json()
    assert [p["title"] for p in workshops["results"]] == ["Inspire OD"]
    level_3 = api.get("/api/v1/programmes/", {"career_level": 3, "kind": "multi_module"}).json()
    assert [(p["title"], p["career_levels"]) for p in level_3["results"]] == [("Aspire", [3])]
    page_2 = api.get("/api/v1/programmes/", {"page": 2}).json()
    assert len(page_2["results"]) == 7 and page_2["previous"]


def test_a_bad_filter_value_is_a_400_problem(api):
    response = api.get("/api/v1/programmes/", {"kind": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid_choice"
    assert "kind" in body["errors"]


def test_programme_detail_has_versions_modules_audience_and_franchises(
    api, django_assert_max_num_queries
):
    programme = ProgrammeFactory(slug="aspire", title="Aspire")
    old = ProgrammeVersionFactory(
        programme=programme, name="Aspire", launched_on=datetime.date(2014, 1, 1)
    )
    new = ProgrammeVersionFactory(
        programme=programme, name="Aspire 2.0", launched_on=datetime.date(2022, 1, 1)
    )
    ModuleFactory(version=new, order=1, title="Digital technologies in HR/OD")
    ModuleFactory(version=old, order=1, title="Old module")
    FranchiseFactory(programme=programme)
    ProgrammeCareerLevelFactory(programme=programme, level=3)
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/programmes/aspire/")
    assert response.status_code == 200
    body = response.json()
    assert body["current_version"]["name"] == "Aspire 2.0"
    assert body["current_version"]["modules"][0]["title"] == "Digital technologies in HR/OD"
    assert [v["name"] for v in body["earlier_versions"]] == ["Aspire"]
    assert len(body["franchises"]) == 1
    assert body["audience"]["career_levels"] == [3]


def test_a_draft_programme_is_a_404_problem(api):
    ProgrammeFactory(slug="secret", status=Programme.Status.DRAFT)
    response = api.get("/api/v1/programmes/secret/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_unknown_addresses_under_api_are_404_problems(api):
    for path in ["/api/", "/api/v2/", "/api/v1/nothing-here/"]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_cohorts_are_upcoming_public_ones_with_places_left(api):
    cohort = CohortFactory(capacity=3)
    ParticipantFactory(cohort=cohort)
    CohortFactory(status=Cohort.Status.PLANNED)
    CohortFactory(starts_on=timezone.localdate() - datetime.timedelta(days=1))
    body = api.get("/api/v1/cohorts/").json()
    assert [c["slug"] for c in body["results"]] == [cohort.slug]
    assert body["results"][0]["places_left"] == 2
    assert body["results"][0]["accepting_applications"] is True
    detail = api.get(f"/api/v1/cohorts/{cohort.slug}/").json()
    assert detail["places_left"] == 2


def test_events_show_places_left_and_the_booking_window(api, django_assert_max_num_queries):
    event = EventFactory(capacity=2, slug="full-event")
    BookingFactory.create_batch(2, event=event)
    BookingFactory(event=event, status="waiting")
    EventFactory.create_batch(20)
    EventFactory(status=Event.Status.DRAFT, slug="draft-event")
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/events/").json()
    assert body["count"] == 21
    assert "draft-event" not in {e["slug"] for e in body["results"]}
    detail = api.get("/api/v1/events/full-event/").json()
    assert detail["places_left"] == 0
    assert detail["waiting_list_length"] == 1
    assert detail["booking_open"] is True
    assert detail["booking_opens_at"] and detail["booking_closes_at"]
    assert "online_link" not in detail
    with_places = api.get("/api/v1/events/", {"has_places": "true"}).json()
    assert "full-event" not in {e["slug"] for e in with_places["results"]}
    assert api.get("/api/v1/events/draft-event/").status_code == 404


def test_career_pathway_and_frameworks(api):
    level = PathwayLevelFactory(level=1)
    step = PathwayStepFactory(level=level, order=1, salary_bands="Band 2–3")
    PathwayRoleFactory(step=step, title="HR apprentice")
    framework = framework_with_competencies(count=2, slug="core")
    pathway = api.get("/api/v1/career-pathway/").json()
    assert pathway[0]["steps"][0]["roles"] == ["HR apprentice"]
    frameworks = api.get("/api/v1/competency-frameworks/").json()
    assert frameworks["results"][0]["competency_count"] == 2
    detail = api.get(f"/api/v1/competency-frameworks/{framework.slug}/").json()
    assert len(detail["competencies"]) == 2
    assert {i["level"] for i in detail["competencies"][0]["indicators"]} == {1, 2, 3, 4}


def test_compact_documents_meetings_and_priorities_are_the_public_ones(api):
    compact = CompactFactory(slug="derbyshire")
    DocumentFactory(compact=compact, title="Public report", visibility=Document.Visibility.PUBLIC)
    DocumentFactory(compact=compact, title="Members' minutes", visibility="members")
    group = GroupFactory(compact=compact)
    MeetingFactory(group=group, is_public=True, place="County Hall")
    MeetingFactory(group=group, is_public=False, place="Private room")
    statement = StatementFactory(compact=compact)
    PriorityFactory(statement=statement, title="Increase the number of apprentices")
    documents = api.get("/api/v1/compacts/derbyshire/documents/").json()
    assert [d["title"] for d in documents["results"]] == ["Public report"]
    meetings = api.get("/api/v1/compacts/derbyshire/meetings/").json()
    assert [m["place"] for m in meetings["results"]] == ["County Hall"]
    priorities = api.get("/api/v1/compacts/derbyshire/priorities/").json()
    assert priorities["priorities"][0]["title"] == "Increase the number of apprentices"
    assert api.get("/api/v1/compacts/nowhere/documents/").status_code == 404


def test_reads_have_an_etag_and_answer_304_when_it_matches(api):
    EventFactory()
    first = api.get("/api/v1/events/")
    etag = first["ETag"]
    assert etag and "Authorization" in first["Vary"]
    again = api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    EventFactory()
    changed = api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_schema_is_openapi_3_1(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/me/bookings/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_the_docs_page_keeps_the_sites_csp_no_inline_script(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = api.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_too_many_requests_from_one_address_is_a_429_problem(api, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "address": "3/hour"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        statuses = [api.get("/api/v1/programmes/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = api.get("/api/v1/programmes/")
        assert refused["Content-Type"] == "application/problem+json"
        assert refused.json()["code"] == "throttled"
        assert int(refused["Retry-After"]) > 0
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
