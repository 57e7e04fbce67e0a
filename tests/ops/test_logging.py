"""Logs (issue 17): every line has time, level, logger and request id; LOG_FORMAT=json
gives one JSON object per line; the request id goes in with X-Request-ID (when sane),
comes back in the response and follows the work into Celery tasks."""

import io
import json
import logging
import re

import pytest

from talenthub.celery import (
    REQUEST_ID_HEADER,
    _forget_request_id,
    _receive_request_id,
    _send_request_id,
    app,
)
from talenthub.core.log_format import ContextFilter, JsonFormatter, TextFormatter
from talenthub.core.request_id import current_request_id, request_id_var
from tests.ops.processes import django_process_ok

pytestmark = pytest.mark.django_db

TEXT_LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<level>[A-Z]+) (?P<logger>\S+) "
    r"\[(?P<request_id>\S+) (?P<task_id>\S+)\] (?P<message>.*)$"
)


@pytest.fixture
def log_output():
    """What the root logger writes, through the project's filter and a formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(formatter):
        handler.setFormatter(formatter)
        return stream

    yield lines
    root.removeHandler(handler)


def test_a_log_line_names_time_level_logger_and_the_request(client, settings, log_output):
    stream = log_output(TextFormatter())
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # healthz logs a warning: Redis is down
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.2")
    assert response["X-Request-ID"] == "lb-7f3a.2"
    line = next(x for x in stream.getvalue().splitlines() if "redis is down" in x)
    fields = TEXT_LINE.match(line).groupdict()
    assert fields["level"] == "WARNING"
    assert fields["logger"] == "talenthub.core.views"
    assert fields["request_id"] == "lb-7f3a.2"
    assert fields["task_id"] == "-"


def test_json_lines_parse_and_carry_the_same_fields(client, settings, log_output):
    stream = log_output(JsonFormatter())
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    record = next(r for r in records if "redis is down" in r["message"])
    assert record["level"] == "WARNING"
    assert record["logger"] == "talenthub.core.views"
    assert record["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", record["time"])


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "two words",
        "forged\n2026-12-07T00:00:00.000Z INFO fake [x -] line",
        "x" * 101,
        "semi;colon",
        "ünïcode",
    ],
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id_and_none_is_left_behind(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert first != second
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert current_request_id() == "-"


@app.task(name="tests.ops.log_probe")
def log_probe():
    logging.getLogger("tests.ops.probe").info("inside the task")


def test_a_task_logs_its_task_id(log_output):
    stream = log_output(TextFormatter())
    result = log_probe.apply()
    line = next(x for x in stream.getvalue().splitlines() if "inside the task" in x)
    assert TEXT_LINE.match(line)["task_id"] == result.id


def test_a_task_queued_in_a_request_carries_the_request_id_to_the_worker(log_output):
    """The message header is added when the task is published, and read back when the
    worker starts the task; after the task the worker names no request."""
    token = request_id_var.set("req-42")
    try:
        headers = {}
        _send_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {REQUEST_ID_HEADER: "req-42"}

    class Request:
        pass

    class Task:
        request = Request()

    setattr(Task.request, REQUEST_ID_HEADER, "req-42")
    _receive_request_id(task_id="t-1", task=Task())
    assert current_request_id() == "req-42"
    _forget_request_id(task_id="t-1")
    assert current_request_id() == "-"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_settings_wire_the_format_for_every_process(log_format):
    """A fresh process (as gunicorn, the worker and beat start) logs in LOG_FORMAT."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('talenthub.probe').warning('probe %s', 1)"
    )
    stderr = django_process_ok("-c", code, LOG_FORMAT=log_format).stderr
    line = next(x for x in stderr.splitlines() if "probe 1" in x)
    if log_format == "json":
        record = json.loads(line)
        assert {k: record[k] for k in ("level", "logger", "message", "request_id")} == {
            "level": "WARNING",
            "logger": "talenthub.probe",
            "message": "probe 1",
            "request_id": "-",
        }
        assert "time" in record
    else:
        assert TEXT_LINE.match(line)["logger"] == "talenthub.probe"


@pytest.mark.parametrize(
    ("admins", "expected"),
    [
        (
            "Ann Operator <ann@example.org>, ops@example.org",
            [["Ann Operator", "ann@example.org"], ["", "ops@example.org"]],
        ),
        # What docker-compose passes when ADMINS is not set.
        ("", []),
    ],
)
def test_admins_come_from_the_environment(admins, expected):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.ADMINS))"
    )
    output = django_process_ok("-c", code, ADMINS=admins).stdout
    assert json.loads(output.splitlines()[-1]) == expected
