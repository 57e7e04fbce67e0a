"""The API against its own OpenAPI schema (schemathesis, in-process over WSGI, on the test
database with the demo data): for every operation, generated requests — anonymous and
with a demo member's token of the bookings scope — never get a 5xx, and every response
matches the schema. A bounded number of examples per operation keeps the run short."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from talenthub.core.models import User
from talenthub.core.permissions import is_programme_manager
from talenthub.wsgi import application

from .conftest import token_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_stack")]

EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def api_schema(settings, monkeypatch):
    call_command("load_demo", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": None, "address": None})
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = application
    # Django's WSGI handler closes the database connection when a request ends; the test
    # client stops that (the test's transaction lives on that connection), and so must we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _demo_tokens():
    member = User.objects.filter(is_staff=False, is_active=True, profile__isnull=False).first()
    manager = next(u for u in User.objects.filter(is_staff=True) if is_programme_manager(u))
    return {"anonymous": None, "member": token_for(member), "manager": token_for(manager, "read")}


def _property_test(operation, headers):
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return check


def test_no_operation_errors_or_breaks_its_schema(api_schema):
    tokens = _demo_tokens()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 25
    for operation in operations:
        for who, raw in tokens.items():
            headers = {"Authorization": f"Bearer {raw}"} if raw else {}
            try:
                _property_test(operation, headers)()
            except Exception as exc:
                raise AssertionError(f"{operation.label} as {who}: {exc}") from exc
