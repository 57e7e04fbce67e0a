"""The Celery app. Configured from Django settings (CELERY_* names); tasks are found in
each installed app's tasks.py. Without REDIS_URL the settings make every task run eagerly.

Logging: the worker and beat use the project's LOGGING (time, level, logger, request and
task id; JSON with LOG_FORMAT=json) instead of Celery's own set-up. A task queued while a
request is served carries the request's id in a message header, so its log lines name the
request that caused it."""

import logging.config
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talenthub.settings")

app = Celery("talenthub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "talenthub_request_id"
_request_id_tokens = {}


@signals.setup_logging.connect(dispatch_uid="talenthub.celery.setup_logging")
def _setup_logging(**kwargs):
    """A receiver here tells Celery to leave logging alone: the settings' LOGGING it is."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.before_task_publish.connect(dispatch_uid="talenthub.celery.request_id_out")
def _send_request_id(headers=None, **kwargs):
    from talenthub.core.request_id import NO_REQUEST, current_request_id

    request_id = current_request_id()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect(dispatch_uid="talenthub.celery.request_id_in")
def _receive_request_id(task_id=None, task=None, **kwargs):
    from talenthub.core.request_id import request_id_var

    # Run eagerly inside a request, the task already sees the request's id (same context).
    request_id = getattr(task.request, REQUEST_ID_HEADER, None) if task else None
    if request_id:
        _request_id_tokens[task_id] = request_id_var.set(request_id)


@signals.task_postrun.connect(dispatch_uid="talenthub.celery.request_id_done")
def _forget_request_id(task_id=None, **kwargs):
    from talenthub.core.request_id import request_id_var

    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
