"""Error tracking (issue 17): what is sent to Sentry/GlitchTip carries no email address,
no request body or cookies, and nothing from equality monitoring."""

import copy
import json

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.transport import Transport

from insights.models import MonitoringRecord
from talenthub.core.error_tracking import (
    EQUALITY_FIELDS,
    FILTERED,
    scrub_event,
    sentry_init,
)

EMAIL = "lucja.nowak@trust.nhs.uk"


def _event(**overrides):
    event = {
        "level": "error",
        "logger": "events.services",
        "message": f"Booking failed for {EMAIL}",
        "exception": {
            "values": [
                {
                    "type": "BookingError",
                    "value": f"{EMAIL} already holds a place",
                    "stacktrace": {"frames": [{"module": "events.services", "lineno": 40}]},
                }
            ]
        },
        "request": {
            "url": f"https://talenthub.example.org/events/1/book/?email={EMAIL}",
            "method": "POST",
            "data": {"email": EMAIL, "note": "call me"},
            "cookies": {"__Host-sessionid": "abc"},
            "query_string": f"email={EMAIL}",
            "headers": {
                "Cookie": "__Host-sessionid=abc",
                "User-Agent": "Firefox",
                "Referer": EMAIL,
            },
        },
        "user": {"id": "42", "email": EMAIL, "ip_address": "192.0.2.1"},
        "breadcrumbs": {"values": [{"message": f"sent to {EMAIL}", "category": "mail"}]},
        "extra": {"recipient": EMAIL, "nested": [{"to": f"Łucja <{EMAIL}>"}]},
    }
    event.update(overrides)
    return event


def test_the_scrubber_removes_every_email_address_and_the_request_body_and_cookies():
    scrubbed = scrub_event(_event(), {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    assert EMAIL not in text
    assert "[email]" in scrubbed["exception"]["values"][0]["value"]
    request = scrubbed["request"]
    assert "data" not in request and "cookies" not in request and "query_string" not in request
    assert request["headers"] == {"User-Agent": "Firefox"}
    assert request["url"] == "https://talenthub.example.org/events/1/book/"
    assert scrubbed["user"] == {"id": "42"}
    # What helps to find the bug stays.
    assert scrubbed["exception"]["values"][0]["type"] == "BookingError"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["lineno"] == 40


def test_equality_answers_never_leave_under_their_field_names():
    event = _event(extra={"record": {"ethnicity": "white_irish", "disability": "yes"}})
    scrubbed = scrub_event(event, {})
    assert scrubbed["extra"]["record"] == {"ethnicity": FILTERED, "disability": FILTERED}


@pytest.mark.parametrize(
    "where",
    [
        {"logger": "insights.services"},
        {"request": {"url": "https://talenthub.example.org/accounts/equality/answer/"}},
        {
            "exception": {
                "values": [
                    {
                        "type": "ValidationError",
                        "value": "'Gypsy or Irish Traveller' is not a valid choice",
                        "stacktrace": {"frames": [{"module": "insights.forms", "lineno": 9}]},
                    }
                ]
            }
        },
    ],
)
def test_an_event_about_equality_monitoring_loses_its_messages(where):
    scrubbed = scrub_event(_event(**copy.deepcopy(where)), {})
    text = json.dumps(scrubbed)
    assert "Traveller" not in text and "Booking failed" not in text
    assert scrubbed["exception"]["values"][0]["value"] == FILTERED
    assert scrubbed["breadcrumbs"] == {"values": []}
    assert "extra" not in scrubbed


def test_the_equality_field_list_covers_every_answer_of_the_monitoring_record():
    bookkeeping = {"id", "user", "consent_given_at", "consent_version", "created_at", "updated_at"}
    answers = {f.name for f in MonitoringRecord._meta.concrete_fields} - bookkeeping
    assert answers <= EQUALITY_FIELDS


class _Captured(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry_events():
    transport = _Captured()
    sentry_init(
        dsn="https://public@errors.example.invalid/1",
        environment="test",
        release=None,
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls_error")
def test_a_failing_request_reaches_the_tracker_without_the_persons_data(sentry_events, member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    client.cookies["theme"] = EMAIL
    response = client.post("/fail/", {"email": EMAIL, "full_name": "Łucja Nowak-Śliwińska"})
    assert response.status_code == 500
    sentry_sdk.flush()
    assert len(sentry_events) == 1
    event = sentry_events[0]
    text = json.dumps(event, ensure_ascii=False, default=str)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert EMAIL not in text and member.email not in text
    assert "Śliwińska" not in text
    assert "sessionid" not in text and "csrftoken" not in text
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert all("vars" not in f for f in event["exception"]["values"][-1]["stacktrace"]["frames"])
