"""gunicorn's settings (it reads ./gunicorn.conf.py on its own), each from the environment.

Workers: WEB_CONCURRENCY processes (2–4 per core is gunicorn's advice; each holds a
database connection, or a pool of them: docs/operations.md, "Scaling"). A worker is
replaced after MAX_REQUESTS requests (plus up to the jitter, so they do not all restart
at once), which bounds any slow leak. Request line, header count and header size are
capped; the body is capped by the app (MAX_REQUEST_BYTES).
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 3)
# A request still running after this many seconds is killed (its worker restarted): no
# page should take more than a few seconds; exports and reports run in Celery.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Access log on stdout, with the request id the app gave the response (X-Request-ID),
# so an access line and the app's log lines of one request can be matched.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'


def post_worker_init(worker):
    """Each worker, once it has loaded the app, imports the URLconf (and with it every
    view and admin) and moves every object alive then into the collector's permanent
    generation (``gc.freeze``): they live as long as the worker, yet Python's full
    collections walked all ~200,000 of them, about 90 ms every 30 admin pages, 3 ms a
    page on average, a fifth of a user list's time (issue 16, docs/benchmarks.md).
    Objects made after this (requests, compiled templates) are collected as before."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf)
    gc.collect()
    gc.freeze()
