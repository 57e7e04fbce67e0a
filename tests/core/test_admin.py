"""The Django admin covers every model (issue 2): each one is registered, or edited as an
inline of a registered model, or left out on purpose for a reason written here. A new
model without an admin fails ``test_every_model_is_in_the_admin`` until it gets one or
a reason. Every registered model can be searched and filtered, with written exceptions."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import FunctionalAreaFactory

pytestmark = pytest.mark.django_db

# Must never be in the admin: nobody but its owner may see it.
MUST_NOT_BE_IN_ADMIN = {
    "insights.MonitoringRecord": (
        "diversity monitoring is special-category data: visible to nobody but the person "
        "(and reported only in aggregate), so not even a site administrator browses it"
    ),
    "api.ApiToken": (
        "a credential: its owner sees and revokes their tokens on their account page; an "
        "administrator stops every token of an account by deactivating it"
    ),
    "compact.MeetingFeed": (
        "a credential, as api.ApiToken (only its digest is stored): its owner makes, resets "
        "and turns off their feed on the compact's 'My meeting feed' page; deactivating or "
        "erasing an account revokes its feeds. A staff account must not open members' feeds"
    ),
    "insights.EqualityRelease": (
        "holds the true small counts behind a published equality release, kept only for "
        "the audit of the next; the published figures are the insights pages"
    ),
}

# Framework and library internals nobody edits by hand.
NO_ADMIN_NEEDED = {
    "admin.LogEntry": "the admin's own change history, shown on each object's History page",
    "auth.Permission": "created by migrations; granted through the user and group admins",
    "contenttypes.ContentType": "Django's registry of models, maintained by migrations",
    "sessions.Session": "signed session data; editing it would only corrupt sessions",
    "account.EmailConfirmation": (
        "allauth sends HMAC confirmation keys (ACCOUNT_EMAIL_CONFIRMATION_HMAC), so the "
        "table stays empty; addresses are verified in the EmailAddress admin"
    ),
}

# Rows edited through a field of their parent's admin form rather than an inline:
# model -> (parent model, form field).
EDITED_ON_PARENT_FORM = {
    "programmes.ProgrammeCareerLevel": ("programmes.Programme", "career_levels"),
    "programmes.ProgrammeSector": ("programmes.Programme", "sectors"),
}

# Rows shown read-only on their parent's admin page (not an inline, not a form field), or
# run on pages of the site by the people whose work they are, and why.
SHOWN_ELSEWHERE = {
    "events.BookingAnswer": (
        "shown with the question on the booking's admin page (its organiser's alone); a "
        "booker's answer is theirs, so nobody edits it"
    ),
    "events.EventMessage": (
        "the log of an organiser's emails, listed with their progress on the event's admin "
        "page; written once by the 'Email the attendees' page"
    ),
    "cohorts.CohortMessage": (
        "as events.EventMessage, on the cohort's admin page ('Email the participants')"
    ),
    "events.BookingOpensAlert": (
        "a member's own 'tell me when booking opens', asked for and stopped on the event "
        "page, in their data download; sent once by the beat sweep"
    ),
    "programmes.ProgrammeAlert": (
        "a member's own 'tell me when it next opens' on a programme or talent pool, asked "
        "for on its page, listed and stopped on /programmes/me/updates/, in their data "
        "download; sent once by the beat sweeps (cohorts, alumni)"
    ),
    "programmes.ProviderUpdates": (
        "a member's own registration for a provider's updates, made and stopped on the "
        "programme page and /programmes/me/updates/ or by the emails' unsubscribe link"
    ),
    "alumni.KeyRole": (
        "succession plans are run by the pool's managers on /alumni/talent/pools/<slug>/"
        "succession/ (services_talent, audited)"
    ),
    "alumni.Successor": "named on the key role's page, as alumni.KeyRole",
    "alumni.MentoringSession": (
        "a mentoring pair's own session log, on their relationship page; private to the pair"
    ),
}

# Registered admins that need no list filter, and why.
NO_LIST_FILTER_NEEDED = {
    "auth.Group": "a handful of named groups (Programme managers, …), found by name",
    "sites.Site": "a single row (SITE_ID = 1)",
}


def _superuser_request(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    return request


def _inline_models(request):
    models = set()
    for model_admin in admin.site._registry.values():
        for inline in [*model_admin.inlines, *model_admin.get_inlines(request, None)]:
            models.add(inline.model)
    return models


def _labels(models):
    return {model._meta.label for model in models}


def test_every_model_is_in_the_admin(rf, admin_user):
    request = _superuser_request(rf, admin_user)
    covered = _labels(admin.site._registry) | _labels(_inline_models(request))
    excused = {
        **MUST_NOT_BE_IN_ADMIN,
        **NO_ADMIN_NEEDED,
        **EDITED_ON_PARENT_FORM,
        **SHOWN_ELSEWHERE,
    }
    missing = sorted(_labels(apps.get_models()) - covered - set(excused))
    assert not missing, (
        f"models with no admin (register one, add an inline, or give a reason here): {missing}"
    )


def test_models_kept_out_of_the_admin_are_absent(rf, admin_user):
    """The exclusions are not stale: each names a real model that really has no admin
    (registered or inline); once one gets an admin, its exclusion must go."""
    request = _superuser_request(rf, admin_user)
    in_admin = _labels(admin.site._registry) | _labels(_inline_models(request))
    every_model = _labels(apps.get_models())
    for label in [
        *MUST_NOT_BE_IN_ADMIN,
        *NO_ADMIN_NEEDED,
        *EDITED_ON_PARENT_FORM,
        *SHOWN_ELSEWHERE,
    ]:
        assert label in every_model, f"{label} is not a model: remove its exclusion"
        assert label not in in_admin, f"{label} is in the admin: remove its exclusion"


def test_monitoring_records_have_no_admin_page(admin_client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:insights_monitoringrecord_changelist")
    assert admin_client.get("/admin/insights/monitoringrecord/").status_code == 404


def test_rows_edited_on_the_parent_form_have_their_field_there(rf, admin_user):
    request = _superuser_request(rf, admin_user)
    for label, (parent_label, field) in EDITED_ON_PARENT_FORM.items():
        parent_admin = admin.site._registry[apps.get_model(parent_label)]
        form = parent_admin.get_form(request)
        assert field in form.base_fields, f"{label}: {parent_label}'s form has no {field}"


def test_every_registered_model_can_be_searched_and_filtered(rf, admin_user):
    request = _superuser_request(rf, admin_user)
    unsearchable, unfiltered = [], []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if not model_admin.get_search_fields(request):
            unsearchable.append(label)
        if not model_admin.get_list_filter(request) and label not in NO_LIST_FILTER_NEEDED:
            unfiltered.append(label)
    assert not sorted(unsearchable), f"admins without search_fields: {sorted(unsearchable)}"
    assert not sorted(unfiltered), f"admins without list_filter: {sorted(unfiltered)}"
    for label in NO_LIST_FILTER_NEEDED:
        assert not admin.site._registry[apps.get_model(label)].get_list_filter(request), (
            f"{label} has list filters now: remove its exclusion"
        )


def test_functional_areas_are_filtered_by_missing_page_text(admin_client):
    written = FunctionalAreaFactory(name="Employee Relations", description="Casework …")
    FunctionalAreaFactory(name="HR Policy", description="")
    url = reverse("admin:core_functionalarea_changelist")
    response = admin_client.get(url, {"description__isempty": "0"})
    assert list(response.context["cl"].result_list) == [written]
    response = admin_client.get(url, {"description__isempty": "1", "q": "policy"})
    assert [area.name for area in response.context["cl"].result_list] == ["HR Policy"]


def test_only_pages_that_show_the_app_list_build_it(admin_client, monkeypatch):
    """Every admin page's context names the list of apps and models (``available_apps``);
    with the navigation sidebar off only the home and app pages show it, so a changelist
    must not pay for building it (issue 16: a third of a short changelist's time)."""
    built = []
    build = admin.site._build_app_dict

    def counted(request, label=None):
        built.append(label)
        return build(request, label)

    monkeypatch.setattr(admin.site, "_build_app_dict", counted)
    FunctionalAreaFactory(name="Employee Relations")
    response = admin_client.get(reverse("admin:core_functionalarea_changelist"))
    assert response.status_code == 200 and "Employee Relations" in response.content.decode()
    assert built == []
    response = admin_client.get(reverse("admin:index"))
    assert built and 'href="/admin/core/functionalarea/"' in response.content.decode()
    response = admin_client.get(reverse("admin:app_list", args=["core"]))
    assert 'href="/admin/core/functionalarea/"' in response.content.decode()


def test_a_changelist_counts_its_rows_once(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    FunctionalAreaFactory(name="Employee Relations")
    url = reverse("admin:core_functionalarea_changelist")
    for query in ({}, {"q": "relations"}):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url, query).status_code == 200
        counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1, counts


def test_changelists_show_fifty_rows_a_page(admin_client):
    """Half Django's default page (issue 16: a 100-row changelist was 3-8 times the
    one-query list, its time in rendering each cell): 51 rows make two pages."""
    from talenthub.core.admin_mixins import CHANGELIST_ROWS

    assert CHANGELIST_ROWS == 50
    assert all(m.list_per_page <= CHANGELIST_ROWS for m in admin.site._registry.values())
    for n in range(51):
        FunctionalAreaFactory(name=f"Area {n:02}")
    url = reverse("admin:core_functionalarea_changelist")
    response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 50
    assert "?p=2" in response.content.decode()
    assert len(admin_client.get(url, {"p": 2}).context["cl"].result_list) >= 1
