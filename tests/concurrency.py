"""The real-thread race harness of the concurrency tests (PostgreSQL, with
``@pytest.mark.django_db(transaction=True)``): every call runs in its own thread, so on its
own database connection, and all are released together by a barrier, so they reach the
database at the same moment.

    results, errors = run_at_once([lambda: services.booking_create(...)] * 8)
"""

import threading
from collections.abc import Callable, Sequence

from django.db import connections

# Bounds that only a hung test reaches: a thread that never reaches the barrier, or never
# ends. A test never relies on them for its result.
BARRIER_TIMEOUT = 30
JOIN_TIMEOUT = 120


def run_at_once(calls: Sequence[Callable[[], object]]) -> tuple[list, list[Exception]]:
    """Run each zero-argument callable in its own thread, released together by a barrier;
    each thread closes its database connections at the end (a connection left open would
    block the test database's teardown).

    Returns ``(results, errors)``: ``results[i]`` is what ``calls[i]`` returned (None if it
    raised), ``errors`` the exceptions raised, in the order they were raised. A test
    asserts on both: an error it did not expect must fail it."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[Exception] = []

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    return results, errors


def outcomes(
    calls: Sequence[Callable[[], object]],
    *,
    refused: type[Exception] | tuple[type[Exception], ...],
    done: str = "done",
) -> list[str]:
    """``run_at_once(calls)`` told as one word per call, sorted: ``done`` for a call that
    returned, "refused" for one that raised ``refused`` (the service saying no). Any other
    exception is re-raised: it is a bug, not an outcome."""
    results, errors = run_at_once(calls)
    unexpected = [error for error in errors if not isinstance(error, refused)]
    if unexpected:
        raise unexpected[0]
    return sorted([done] * (len(calls) - len(errors)) + ["refused"] * len(errors))
