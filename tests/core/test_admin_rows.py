"""Changelists whose page loads only the fields its rows show (``ListedFieldsMixin``,
``talenthub.core.admin_rows``, issue 16): on the demo, every such list renders the same
page with the same number of queries as with every field loaded, as the site
administrator, as a programme manager and as a compact's secretariat, plain, sorted by
each column and searched. A field a column or a row's text reads and ``list_fields``
leaves out would be loaded by one query per row."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talenthub.core.admin_rows import ListedFieldsMixin
from tests.core.test_aggregate_joins import ADMIN, MANAGER, SECRETARIAT, demo  # noqa: F401

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub("csrf", response.content.decode()), len(captured), response


def _listed_admins():
    return [m for m in admin.site._registry.values() if isinstance(m, ListedFieldsMixin)]


def test_listed_fields_pages_are_the_whole_rows_pages(client, demo, monkeypatch):  # noqa: F811
    from talenthub.core.models import User

    listed = _listed_admins()
    assert {m.opts.label for m in listed} >= {
        "cohorts.Cohort",
        "cohorts.Application",
        "cohorts.Participant",
        "cohorts.Session",
        "cohorts.Feedback",
        "alumni.CareerEntry",
        "alumni.AlumniProfile",
        "events.Event",
        "events.Booking",
        "compact.Action",
        "compact.Meeting",
        "compact.CharterSignatory",
        "compact.SurveyAnswer",
        "compact.SurveyInvitation",
        "compact.TermsOfReference",
        "compact.GroupMembership",
    }
    compared = 0
    for email in (ADMIN, MANAGER, SECRETARIAT):
        client.force_login(User.objects.get(email=email))
        for model_admin in listed:
            url = reverse(
                f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
            )
            if client.get(url).status_code != 200:
                continue  # not the manager's
            columns = len(model_admin.list_display)
            queries = ["", "?q=a", *(f"?o={i}" for i in range(1, columns + 1))]
            for query in queries:
                with monkeypatch.context() as whole:
                    whole.setattr(model_admin, "list_fields", ())
                    expected, expected_queries, response = _page(client, url + query)
                page, page_queries, _ = _page(client, url + query)
                assert page == expected, (email, url + query)
                assert page_queries == expected_queries, (email, url + query)
                compared += len(response.context["cl"].result_list)
    assert compared > 1000  # rows were shown


def test_only_the_pages_rows_load_fewer_fields(client, demo):  # noqa: F811
    """The page's rows are read with the listed columns only; the actions' queryset, the
    change page and the export read whole rows, as before."""
    from cohorts.models import Application
    from talenthub.core.models import User

    client.force_login(User.objects.get(email=ADMIN))
    response = client.get(reverse("admin:cohorts_application_changelist"))
    row = response.context["cl"].result_list[0]
    assert "line_manager_comment" in row.get_deferred_fields()
    assert "password" in row.applicant.get_deferred_fields()
    changelist = response.context["cl"]
    assert not changelist.get_queryset(response.wsgi_request).query.deferred_loading[0]
    assert Application.objects.filter(pk=row.pk).exists()
