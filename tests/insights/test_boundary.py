"""Nobody but its person ever sees a monitoring record: not a member, not a programme
manager, not an analyst, not a superuser; not in a page, the admin, an export, a data
download or an email. Analysts see aggregates only."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from insights.models import MonitoringRecord
from talenthub.core.models import OutboundEmail
from tests.factories import ManagerFactory, MemberFactory

from .builders import ended_cohort, journey

pytestmark = pytest.mark.django_db

# A rare answer: its label appears nowhere else in the portal.
RARE = {"ethnicity": "white_gypsy_traveller", "religion": "buddhist", "age_band": "65_plus"}
RARE_TEXTS = ["Gypsy or Irish Traveller", "white_gypsy_traveller"]


def _plain_paths(resolver=None, prefix=""):
    """Every URL of the site that takes no parameters."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route:
            continue
        route = route.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _plain_paths(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


@pytest.fixture
def owner(db):
    """A member who answered, with a rare answer, and who applied to and completed a
    cohort, booked nothing, and is in every kind of export."""
    cohort = ended_cohort()
    application = journey(cohort, "completed", answers=RARE, level=3)
    return application.applicant


def test_the_record_is_in_no_admin_page_nor_inline():
    assert not admin.site.is_registered(MonitoringRecord)
    for model_admin in admin.site._registry.values():
        for inline in getattr(model_admin, "inlines", []):
            assert inline.model is not MonitoringRecord, model_admin


def test_the_model_defines_no_permission_to_see_records():
    codenames = {codename for codename, _name in MonitoringRecord._meta.permissions}
    assert codenames == {"view_equality_insights"}
    assert MonitoringRecord._meta.default_permissions == ()


@pytest.mark.parametrize("who", ["member", "manager", "analyst", "superuser"])
def test_no_page_of_the_site_shows_another_persons_answers(client, owner, who, analyst):
    viewer = {
        "member": lambda: MemberFactory(),
        "manager": lambda: ManagerFactory(),
        "analyst": lambda: analyst,
        "superuser": lambda: MemberFactory(is_superuser=True, is_staff=True),
    }[who]()
    client.force_login(viewer)
    paths = sorted(set(_plain_paths()))
    assert "/insights/journey/" in paths and "/accounts/equality/" in paths
    skipped = {"/accounts/logout/"}
    for path in paths:
        if path in skipped:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.content.decode(errors="replace")
        if path == "/accounts/equality/answer/":
            # The form lists every answer as an option; none is the owner's, checked.
            assert 'value="white_gypsy_traveller" checked' not in body
            continue
        for text in RARE_TEXTS:
            assert text not in body, (path, text)
    # The admin: every change list and the owner's own user and profile pages.
    for model in admin.site._registry:
        if viewer.is_superuser:
            meta = model._meta
            body = client.get(f"/admin/{meta.app_label}/{meta.model_name}/").content.decode()
            assert not any(text in body for text in RARE_TEXTS), meta.label
    if viewer.is_superuser:
        body = client.get(f"/admin/core/user/{owner.pk}/change/").content.decode()
        assert not any(text in body for text in RARE_TEXTS)


def test_the_owner_sees_their_own_answers(client, owner):
    client.force_login(owner)
    assert "Gypsy or Irish Traveller" in client.get("/accounts/equality/").content.decode()


def test_exports_of_other_records_never_include_monitoring(client, owner):
    from cohorts.models import Cohort

    superuser = MemberFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    cohort = Cohort.objects.get(participants__user=owner)
    exports = []
    for action in ["export_participants_csv", "export_attendance_csv"]:
        response = client.post(
            "/admin/cohorts/cohort/",
            {"action": action, "_selected_action": [cohort.pk]},
        )
        if response.status_code == 200 and response["Content-Type"].startswith("text/csv"):
            exports.append(response.content.decode())
    assert exports, "no cohort export ran: the test would prove nothing"
    assert any(owner.email in e or owner.full_name in e for e in exports)
    for export in exports:
        assert not any(text in export for text in RARE_TEXTS)
    personal = client.get("/accounts/data/").content.decode()  # the superuser's own download
    assert not any(text in personal for text in RARE_TEXTS)


def test_the_owners_download_has_their_answers_and_erasure_removes_them(client, owner):
    from talenthub.core.personal_data import erase_account, export_personal_data

    data = export_personal_data(owner)
    section = data["sections"]["equality_monitoring"]["monitoring_record"]
    assert section["answers"]["Ethnic group"] == "White: Gypsy or Irish Traveller"
    assert section["consent_version"]
    erase_account(owner)
    assert not MonitoringRecord.objects.filter(user=owner).exists()
    assert export_personal_data(owner)["sections"]["equality_monitoring"] == {
        "monitoring_record": None
    }


def test_answering_sends_no_email(client, member):
    client.force_login(member)
    before = OutboundEmail.objects.count()
    client.post(
        "/accounts/equality/answer/",
        {"consent": "on", "ethnicity": "white_gypsy_traveller", "sex": "male",
         "gender_identity": "yes", "sexual_orientation": "straight", "disability": "no",
         "religion": "buddhist", "age_band": "65_plus", "caring_responsibilities": "none"},
    )  # fmt: skip
    assert MonitoringRecord.objects.filter(user=member).exists()
    assert OutboundEmail.objects.count() == before


def test_analysts_get_counts_of_groups_never_of_categories_or_people(client, owner, analyst):
    client.force_login(analyst)
    for path in ["/insights/journey.csv", "/insights/representation.csv"]:
        body = client.get(path).content.decode()
        assert "White" in body
        assert not any(text in body for text in RARE_TEXTS)
        assert owner.email not in body and owner.full_name not in body
