"""SMART indicators on actions (issue 19, item 4): baseline, target, actual, unit and due
date, recorded by the secretariat or the action's lead, with a progress view."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import services
from compact.models import Indicator
from talenthub.core.models import AuditLog
from tests.compact.factories import ActionFactory, IndicatorFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db


def test_an_indicator_runs_from_baseline_to_target(world):
    action = ActionFactory(plan=world.plan)
    indicator = services.indicator_add(
        action=action,
        actor=world.secretariat,
        measure="Apprentices employed",
        unit="people",
        baseline=Decimal(40),
        target=Decimal(60),
        due_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    assert indicator.progress_percent is None
    services.indicator_record(indicator=indicator, actual=Decimal(45), actor=world.secretariat)
    indicator.refresh_from_db()
    assert indicator.progress_percent == 25 and indicator.actual_on == timezone.localdate()
    # A falling target (fewer unfilled vacancies) counts the same way; beyond it is 100.
    falling = IndicatorFactory(action=action, baseline=30, target=10)
    services.indicator_record(indicator=falling, actual=Decimal(5), actor=world.secretariat)
    falling.refresh_from_db()
    assert falling.progress_percent == 100
    assert AuditLog.objects.filter(action="compact.indicator_recorded").count() == 2


def test_indicator_rules(world):
    action = ActionFactory(plan=world.plan)
    fields = {
        "action": action,
        "actor": None,
        "measure": "Vacancies",
        "unit": "posts",
        "due_on": timezone.localdate(),
    }
    with raises_code(services.CompactError, "indicator_target_not_baseline"):
        services.indicator_add(baseline=Decimal(5), target=Decimal(5), **fields)
    services.indicator_add(baseline=Decimal(5), target=Decimal(2), **fields)
    with raises_code(services.CompactError, "indicator_measure"):
        services.indicator_add(baseline=Decimal(5), target=Decimal(1), **fields)
    indicator = Indicator.objects.get()
    with raises_code(services.CompactError, "indicator_measured_in_future"):
        services.indicator_record(
            indicator=indicator,
            actual=Decimal(3),
            on=timezone.localdate() + datetime.timedelta(days=1),
            actor=None,
        )


def test_the_secretariat_adds_an_indicator_and_the_lead_records_it(client, world):
    action = ActionFactory(plan=world.plan)
    add = reverse("compact:indicator_add", args=[world.compact.slug, action.pk])
    data = {
        "measure": "Apprentices employed",
        "unit": "people",
        "baseline": "40",
        "target": "40",
        "due_on": str(timezone.localdate() + datetime.timedelta(days=90)),
    }
    for who, status in [(world.representative, 404), (world.other_secretariat, 404)]:
        client.force_login(who)
        assert client.get(add).status_code == status
    client.force_login(world.secretariat)
    response = client.post(add, data)
    assert response.status_code == 200  # target equal to the baseline: a form error
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(add, {**data, "target": "60"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(action=action)
    record = reverse("compact:indicator_record", args=[world.compact.slug, indicator.pk])
    client.force_login(world.org_member)  # a member, not the lead: may not record
    assert client.get(record).status_code == 404
    client.force_login(action.lead_person)
    assert client.post(record, {"actual": "50"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.actual == 50 and indicator.progress_percent == 50


def test_progress_view_for_members_only_and_its_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    IndicatorFactory(action=ActionFactory(plan__compact=world.other), measure="Other compact's")
    url = reverse("compact:indicator_progress", args=[world.compact.slug])
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.org_member)

    def queries():
        with CaptureQueriesContext(connection) as context:
            page = client.get(url)
        assert page.status_code == 200
        return len(context.captured_queries), page

    IndicatorFactory(action=ActionFactory(plan=world.plan), actual=30, actual_on="2026-01-01")
    one, _page = queries()
    for _ in range(11):
        IndicatorFactory(action=ActionFactory(plan=world.plan), actual=30, actual_on="2026-01-01")
    twelve, page = queries()
    assert twelve == one  # no query per row
    assert len(page.context["indicators"]) == 12
    assert "Other compact&#x27;s" not in page.content.decode()


def test_progress_view_empty_state(client, world):
    client.force_login(world.steering_member)
    page = client.get(reverse("compact:indicator_progress", args=[world.compact.slug]))
    assert "No action has an indicator yet" in page.content.decode()
