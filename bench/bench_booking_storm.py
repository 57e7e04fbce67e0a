"""Booking storms: 60 signed-in members press "Book a place" on one event at the same
moment. How long does each wait for its answer?

Every booking serialises on the event row's lock (``SELECT ... FOR UPDATE``), so the
storm's latency is roughly the number of bookers times the time each holds that lock.
The benchmark runs the portal as production does (gunicorn, DEBUG off, tasks handed to
the broker rather than run in the request, which here is Celery's in-memory transport so
nothing is ever sent), against a PostgreSQL database it creates and drops itself
(``talenthub_bench_storm``). 60 client threads, each with its own connection, session
and CSRF token (read from the event page, as a browser would), are released together by
a barrier; each times its POST until the redirect comes back.

Reported per server configuration: the storm's p50/p95/max, and two baselines with the
storm's p95 as a ratio of theirs: the same 60 bookings one after another on a second
event (no contention at all), and 60 GETs of the event page at once (the same
concurrency on the same 2 cores, with no lock): a storm near the second is bound by the
machine, not by the event lock. PostgreSQL only: SQLite has no row locks to measure.

Environment: ``BENCH_STORM_BOOKERS`` (60), ``BENCH_STORM_PLACES`` (20, so both the
"booked" and the "waiting list" paths run), ``BENCH_STORM_ROUNDS`` (3 storms per
configuration, each on a fresh event).
"""

import functools
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

DB_NAME = "talenthub_bench_storm"
BOOKERS = int(os.environ.get("BENCH_STORM_BOOKERS", "60"))
PLACES = int(os.environ.get("BENCH_STORM_PLACES", "20"))
ROUNDS = int(os.environ.get("BENCH_STORM_ROUNDS", "3"))
BASE_DIR = Path(__file__).resolve().parent.parent
# (label, gunicorn arguments): the Dockerfile's command first, then threaded workers,
# where many requests wait on the lock at once inside the server.
SERVERS = [
    ("gunicorn 3 sync workers (Dockerfile)", ["--workers", "3"]),
    (
        "gunicorn 3 workers x 8 threads",
        ["--workers", "3", "--threads", "8", "--worker-class", "gthread"],
    ),
]


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return [
            "skipped: bench_booking_storm needs PostgreSQL (row locks); "
            "set DATABASE_URL=postgres://... (SQLite has nothing to measure)"
        ]
    original_name = connection.settings_dict["NAME"]
    if original_name == DB_NAME:
        return [f"refused: the configured database is already {DB_NAME}"]
    # Django's test-database machinery: create (dropping a leftover), migrate, and point
    # this process's connection at it; ``destroy_test_db`` drops it and points back.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    lines = []
    try:
        members, cookies = _members_with_sessions()
        with tempfile.TemporaryDirectory(prefix="bench-storm-") as static_root:
            env = _server_env(static_root)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
            for label, args in SERVERS:
                lines.extend(_measure_server(label, args, env, members, cookies))
    finally:
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return lines


def _server_env(static_root: str) -> dict[str, str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{DB_NAME}",
        "DEBUG": "0",
        # The sessions made here are signed with this process's key.
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        "EMAIL_URL": "dummymail://",
        # Tasks (the email send) go to a broker, as in production, not into the request;
        # the in-memory transport keeps them inside each worker, where nothing runs them.
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "WARNING",
    }


def _members_with_sessions():
    """BOOKERS active members, each signed in: a session row made as ``login()`` would
    (so the benchmark does not time the password hasher)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from talenthub.core.models import User

    members = User.objects.bulk_create(
        User(email=f"storm-{i}@bench.example", full_name=f"Storm Member {i}")
        for i in range(BOOKERS)
    )
    cookies = []
    for member in members:
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return members, cookies


def _event(label: str):
    from django.utils import timezone

    from events.models import Event
    from talenthub.core.models import Organisation

    organiser, _ = Organisation.objects.get_or_create(
        slug="bench-provider",
        defaults={
            "name": "Bench provider",
            "sector": "other",
            "region": "london",
            "is_provider": True,
        },
    )
    now = timezone.now()
    starts = now + timedelta(days=14)
    return Event.objects.create(
        title=f"Storm event {label}",
        slug=f"storm-{label}",
        organiser=organiser,
        theme="looking_after_our_people",
        summary="Booking storm",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Bench hall",
        capacity=PLACES,
        booking_opens_at=now - timedelta(days=1),
        booking_closes_at=starts,
        status="published",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Client:
    """One browser: its own connection, session cookie and CSRF token."""

    def __init__(self, port: int, session_cookie: str):
        self.port = port
        self.cookie = session_cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None):
        # A fresh connection per request: an idle keep-alive connection may have been
        # closed by the server while the others fetched their forms.
        self.conn.close()
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith(settings.CSRF_COOKIE_NAME):
                self.cookie += "; " + value.split(";", 1)[0]
        return response.status, content

    def get_token(self, path: str) -> str:
        status, content = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no booking form")
        return match.group(1).decode()

    def book(self, event_path: str, token: str) -> tuple[int, float]:
        body = urlencode({"csrfmiddlewaretoken": token})
        started = time.perf_counter()
        status, _ = self.request("POST", f"{event_path}book/", body)
        return status, time.perf_counter() - started


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 60 s")


def _at_once(calls) -> tuple[list[float], dict[int, int]]:
    """Run every ``call`` (returning ``(status, seconds)``) in its own thread, all
    released together by a barrier. Returns latencies and statuses."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, float] | None] = [None] * len(calls)

    def worker(index):
        barrier.wait(timeout=60)
        results[index] = calls[index]()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return _summarise(results)


def _storm(clients, event_path: str) -> tuple[list[float], dict[int, int]]:
    """Every client POSTs "Book a place" at once."""
    tokens = [client.get_token(event_path) for client in clients]
    return _at_once(
        [
            functools.partial(client.book, event_path, token)
            for client, token in zip(clients, tokens, strict=True)
        ]
    )


def _timed_get(client, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    status, _ = client.request("GET", path)
    return status, time.perf_counter() - started


def _page_storm(clients, event_path: str) -> tuple[list[float], dict[int, int]]:
    """Every client GETs the event page at once: the same concurrency with no lock."""
    return _at_once([functools.partial(_timed_get, client, event_path) for client in clients])


def _sequential(clients, event_path: str) -> tuple[list[float], dict[int, int]]:
    results = []
    for client in clients:
        results.append(client.book(event_path, client.get_token(event_path)))
    return _summarise(results)


def _summarise(results):
    latencies = sorted(r[1] for r in results if r is not None)
    statuses: dict[int, int] = {}
    for result in results:
        code = result[0] if result is not None else 0
        statuses[code] = statuses.get(code, 0) + 1
    return latencies, statuses


def _pct(latencies: list[float], q: float) -> float:
    return latencies[min(len(latencies) - 1, round(q * (len(latencies) - 1)))]


def _figures(latencies: list[float]) -> str:
    return (
        f"p50 {_pct(latencies, 0.5) * 1000:.0f} ms, p95 {_pct(latencies, 0.95) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )


def _measure_server(label, args, env, members, cookies) -> list[str]:
    from events.models import Booking

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "talenthub.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", *args],
        cwd=BASE_DIR,
        env=env,
    )
    lines = [f"{label}: {BOOKERS} bookers, {PLACES} places, {os.cpu_count()} cores"]
    try:
        _wait_for(port, server)
        tag = secrets.token_hex(3)
        # Warm every worker (imports, template loading) before timing anything.
        warm = _event(f"{tag}-warm")
        warm_clients = [_Client(port, cookie) for cookie in cookies]
        _storm(warm_clients, warm.get_absolute_url())

        baseline_event = _event(f"{tag}-baseline")
        clients = [_Client(port, cookie) for cookie in cookies]
        base, base_statuses = _sequential(clients, baseline_event.get_absolute_url())
        lines.append(f"  one after another: {_figures(base)}  statuses {base_statuses}")

        pages, page_statuses = _page_storm(clients, baseline_event.get_absolute_url())
        lines.append(f"  event page, all at once: {_figures(pages)}  statuses {page_statuses}")

        p95s = []
        for round_number in range(1, ROUNDS + 1):
            event = _event(f"{tag}-storm-{round_number}")
            clients = [_Client(port, cookie) for cookie in cookies]
            storm, statuses = _storm(clients, event.get_absolute_url())
            booked = Booking.objects.filter(event=event, status="confirmed").count()
            waiting = Booking.objects.filter(event=event, status="waiting").count()
            p95s.append(_pct(storm, 0.95))
            lines.append(
                f"  storm {round_number}: {_figures(storm)}  statuses {statuses}, "
                f"{booked} booked + {waiting} waiting"
            )
        median_p95 = statistics.median(p95s)
        lines.append(
            f"  storm p95 (median of {ROUNDS}): {median_p95 * 1000:.0f} ms = "
            f"{median_p95 / _pct(base, 0.95):.1f} x the one-after-another p95, "
            f"{median_p95 / _pct(pages, 0.95):.2f} x the all-at-once event page p95"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return lines
