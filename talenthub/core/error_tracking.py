"""Errors to Sentry or GlitchTip (any Sentry-protocol server) when ``SENTRY_DSN`` is set.

What leaves the portal is the error and where it happened, never who it happened to:

- the SDK is told to collect no personal data (``data_collection``, which supersedes
  ``send_default_pii=False`` in this SDK: no user identity or address, no cookies, no
  query string, no request bodies, no SQL parameters, no task arguments) and never to
  record a stack frame's local variables (where a form's answers or a model's fields
  would sit);
- ``scrub_event`` then removes what could still carry it: cookies, the query string,
  headers other than a few harmless ones, the user apart from an id; every email address
  anywhere in the event becomes ``[email]``; a value under an equality-monitoring field
  name (``ethnicity``, ``disability`` …) becomes ``[Filtered]``;
- an event raised in or about equality monitoring (the ``insights`` code or logger, the
  member's equality pages) keeps its type and stack but loses its message, breadcrumbs
  and extra data: monitoring answers are special category data and never leave.

Imported by the settings before the apps load: nothing here may import a model.
"""

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
EMAIL_REPLACEMENT = "[email]"
FILTERED = "[Filtered]"

# insights.models.MonitoringRecord's answers (tests/ops/test_error_tracking.py keeps this
# list in step with the model).
EQUALITY_FIELDS = frozenset(
    {
        "ethnicity",
        "sex",
        "gender_identity",
        "sexual_orientation",
        "disability",
        "religion",
        "age_band",
        "caring_responsibilities",
    }
)
EQUALITY_MODULE = "insights"
EQUALITY_PATHS = ("/accounts/equality/", "/insights/")
KEPT_HEADERS = frozenset({"host", "user-agent", "accept", "accept-language", "x-request-id"})


def _scrub(value):
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_REPLACEMENT, value)
    if isinstance(value, dict):
        return {
            key: FILTERED if str(key).lower() in EQUALITY_FIELDS else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _frames(event: dict):
    for exception in (event.get("exception") or {}).get("values") or []:
        yield from (exception.get("stacktrace") or {}).get("frames") or []
    for thread in (event.get("threads") or {}).get("values") or []:
        yield from (thread.get("stacktrace") or {}).get("frames") or []


def _is_about_equality(event: dict) -> bool:
    if (event.get("logger") or "").split(".")[0] == EQUALITY_MODULE:
        return True
    url = (event.get("request") or {}).get("url") or ""
    if any(path in url for path in EQUALITY_PATHS):
        return True
    return any(
        (frame.get("module") or "").split(".")[0] == EQUALITY_MODULE for frame in _frames(event)
    )


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """``before_send``: the event without personal or equality-monitoring data."""
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        request["url"] = (request.get("url") or "").split("?")[0]
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if user.get("id") else {}
    if _is_about_equality(event):
        for exception in (event.get("exception") or {}).get("values") or []:
            exception["value"] = FILTERED
        if event.get("logentry"):
            event["logentry"] = {"message": FILTERED, "params": []}
        if event.get("message"):
            event["message"] = FILTERED
        event.pop("extra", None)
        event["breadcrumbs"] = {"values": []}
    return _scrub(event)


def sentry_init(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float, **options
) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEPT_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        traces_sample_rate=traces_sample_rate,
        **options,
    )
