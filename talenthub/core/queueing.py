"""Queueing background work without letting the broker decide whether a request works.

A write that committed is the user's, whatever happens to Redis afterwards: a booking
made is a booking made. So work is queued after commit through ``enqueue`` (or
``enqueue_on_commit``), which logs a broker that cannot take the task instead of raising
it; every such task has a sweep on the beat schedule that does the work anyway once the
broker is back (docs/background-work.md).
"""

import logging

import redis.exceptions
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# The apps' thin tasks (cohorts, events, alumni): a database or broker that is down for a
# moment is retried with a growing wait; a domain error is never retried (it is not in the
# list). ``acks_late``: a task lost with its worker is delivered again.
TASK_RETRY = {
    "acks_late": True,
    "autoretry_for": (DatabaseOperationalError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}

# What publishing a task raises when Redis is down or unreachable.
BROKER_ERRORS = (BrokerError, redis.exceptions.RedisError, ConnectionError, TimeoutError, OSError)


def enqueue(task, *args, **kwargs) -> bool:
    """``task.delay(*args, **kwargs)``, but a broker that is down is logged, not raised.
    True if the task was queued. Tasks run in-process (eager: the embedded default and
    the tests) raise what they raise, as before."""
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)
        return True
    try:
        task.delay(*args, **kwargs)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Could not queue %s%r (%s: %s); the sweep will do it when the broker is back",
            task.name,
            args,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` once the surrounding transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
