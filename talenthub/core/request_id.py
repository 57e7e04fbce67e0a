"""A request id for every request, in every log line written while serving it.

``RequestIdMiddleware`` takes the id a proxy in front sent in ``X-Request-ID`` when it
looks like one (letters, digits, ``.``, ``_``, ``-``, at most 100 characters: nothing that
could forge a log line or bloat one), or makes a new one, and returns it in the
response's ``X-Request-ID``. While the request is served the id sits in a context
variable, which the logging filter (``talenthub.core.log_format``) copies into every
record; a Celery task queued by the request carries it in a message header
(``talenthub.celery``), so the task's log lines have it too.
"""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,100}")

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_from(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            # The error tracker (when configured) tags events with it, so an operator
            # given the id by a user finds the event; a no-op without SENTRY_DSN.
            import sentry_sdk

            sentry_sdk.set_tag("request_id", request_id)
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response
