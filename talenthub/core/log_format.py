"""Log records with their context, as text or as JSON (``LOG_FORMAT``; settings.LOGGING).

Every record gets ``request_id`` (the request being served, or the one that queued the
running task; ``-`` for none) and ``task_id`` (the Celery task running, or ``-``). Text
lines read::

    2026-12-07T06:58:19.123Z INFO events.services [3f2a… -] Booking 42 confirmed

and JSON lines are one object each, with ``time``, ``level``, ``logger``, ``message``,
``request_id``, ``task_id`` (and ``exc_info`` for an exception).
"""

import logging
import time

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .request_id import NO_REQUEST, current_request_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s] %(message)s"


def _current_task_id() -> str:
    from celery._state import get_current_task

    task = get_current_task()
    task_id = getattr(getattr(task, "request", None), "id", None) if task else None
    return task_id or NO_REQUEST


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` to every record (it never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        if not hasattr(record, "task_id"):
            record.task_id = _current_task_id()
        return True


class TextFormatter(logging.Formatter):
    """One line a record, the time in UTC ISO 8601 with milliseconds."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(self, fmt: str = TEXT_FORMAT, **kwargs):
        super().__init__(fmt, **kwargs)


class JsonFormatter(_JsonFormatter):
    """One JSON object a line (python-json-logger), the time in UTC ISO 8601."""

    def __init__(self, **kwargs):
        super().__init__(
            "{levelname}{name}{message}{request_id}{task_id}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            json_ensure_ascii=False,
            **kwargs,
        )
