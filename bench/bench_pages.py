"""Every main page and admin changelist, served as in production, against two yardsticks
served by the same processes (issue 16).

    make bench-pages                      # 10× the demo
    make bench-pages BENCH_ARGS="--scale 100"

What it does, each step in a child process so nothing here touches your database:

1. creates a PostgreSQL database of its own (a unique name on the server of DATABASE_URL),
   migrates it, loads the demo and grows it to ``--scale`` times (people with their
   profiles, monitoring answers, applications, participations, careers and bookings, as
   ``bench_insights._scale``; alumni profiles; events with their bookings; the Derbyshire
   compact's actions with their updates, and its meetings with their attendance);
2. signs in one person per role (staff with a TOTP second factor, as the admin requires)
   and keeps their session cookies;
3. starts gunicorn (2 sync workers, DEBUG=0, CompressedManifest static files) with the
   baseline views mounted (bench/pages_settings.py): a trivial response, and a 50-row list
   from one query rendered through a template extending the site's;
4. requests each page over one connection for about ``--seconds`` (at least 10, at most
   ``--requests`` requests, after two to warm up), each request followed by one of the
   baseline list, and prints the page's p50 and p95 and its p50 as a multiple of the
   baseline's p50 over the same seconds, next to the issue's target for its kind of page
   (interleaved, because on a shared machine the load moves by 2× within a run);
5. stops gunicorn and drops the database (``--keep`` leaves it, ``--database NAME``
   measures an existing one without generating or dropping it).

The two yardsticks are also measured alone before the pages and after them.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# What the page-speed issue asks of each kind of page, as a multiple of the baseline list.
TARGETS = {"public": 1.0, "member": 1.0, "manager": 2.0, "admin": 2.0, "insights": 4.0}

MEMBER = None  # picked by the generator: an alumnus whose profile members can see
MANAGER = "rebecca.manager@wme.example"
SECRETARIAT = "elisabeth.secretariat@ddep.example"
ANALYST = "insights.analyst@talenthub.example"
ADMIN = "admin@talenthub.example"


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench bench_pages")
    parser.add_argument("--scale", type=int, default=10, help="times the demo (10)")
    parser.add_argument("--seconds", type=float, default=3.0, help="per page (3)")
    parser.add_argument("--requests", type=int, default=50, help="most per page (50)")
    parser.add_argument("--admin-seconds", type=float, default=1.5, help="per changelist")
    parser.add_argument(
        "--only", default="", help="measure only URLs containing this (or any of a,b,c)"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--database", default="", help="an already generated database")
    parser.add_argument(
        "--prefix", default="talenthub_benchpages", help="the generated database's name prefix"
    )
    options, _rest = parser.parse_known_args(argv)
    return options


# -- the data set (runs in a child process, on the benchmark's database) ------------------


def _copy(instance, **changes):
    from bench.bench_insights import _copy as copy

    return copy(instance, **changes)


def _grow_alumni(factor: int) -> None:
    """Alumni profiles for the people ``bench_insights._scale`` copied (x<n>.<email>)."""
    from alumni.models import AlumniProfile
    from talenthub.core.models import User

    profiles = list(
        AlumniProfile.objects.prefetch_related("functional_areas").select_related("user")
    )
    through = AlumniProfile.functional_areas.through
    users = {u.email: u.pk for u in User.objects.filter(email__startswith="x")}
    for copy in range(1, factor):
        fresh = AlumniProfile.objects.bulk_create(
            [_copy(p, user_id=users[f"x{copy}.{p.user.email}"], photo="") for p in profiles]
        )
        through.objects.bulk_create(
            [through(alumniprofile_id=new.pk, functionalarea_id=area.pk)
             for old, new in zip(profiles, fresh, strict=True)
             for area in old.functional_areas.all()]
        )  # fmt: skip


def _grow_events(factor: int) -> None:
    """Each event copied (a new slug, a week later per copy) with its bookings."""
    import datetime

    from events.models import Booking, Event

    events = list(Event.objects.filter(rerun_of__isnull=True))
    bookings = list(Booking.objects.filter(event__in=events))
    for copy in range(1, factor):
        shift = datetime.timedelta(days=7 * copy)
        fresh = Event.objects.bulk_create(
            [_copy(e, slug=f"{e.slug}-{copy}", starts_at=e.starts_at + shift,
                   ends_at=e.ends_at + shift, booking_closes_at=e.booking_closes_at + shift)
             for e in events]
        )  # fmt: skip
        new = {old.pk: f.pk for old, f in zip(events, fresh, strict=True)}
        Booking.objects.bulk_create(
            [_copy(b, event_id=new[b.event_id], rerun_source_id=None) for b in bookings]
        )


def _grow_compact(factor: int) -> None:
    """The Derbyshire compact's actions (with their sub-actions and updates) and meetings
    (with their attendance), factor times over."""
    import datetime

    from compact.models import Action, Attendance, Meeting, ProgressUpdate

    actions = list(Action.objects.filter(plan__compact__slug="derbyshire").order_by("pk"))
    updates = list(ProgressUpdate.objects.filter(action__in=actions))
    meetings = list(
        Meeting.objects.filter(group__compact__slug="derbyshire", moved_to__isnull=True)
    )
    attendance = list(Attendance.objects.filter(meeting__in=meetings))
    for copy in range(1, factor):
        new_action = {}
        # Parents first, so a sub-action's copy can point at its parent's copy.
        for level in (True, False):
            batch = [a for a in actions if (a.parent_id is None) == level]
            fresh = Action.objects.bulk_create(
                [_copy(a, code=f"{a.code}.{copy}"[:20],
                       parent_id=new_action.get(a.parent_id) if a.parent_id else None)
                 for a in batch]
            )  # fmt: skip
            new_action.update({a.pk: f.pk for a, f in zip(batch, fresh, strict=True)})
        ProgressUpdate.objects.bulk_create(
            [_copy(u, action_id=new_action[u.action_id]) for u in updates]
        )
        shift = datetime.timedelta(days=14 * copy)
        fresh = Meeting.objects.bulk_create(
            [_copy(m, starts_at=m.starts_at - shift) for m in meetings]
        )
        new = {old.pk: f.pk for old, f in zip(meetings, fresh, strict=True)}
        Attendance.objects.bulk_create([_copy(a, meeting_id=new[a.meeting_id]) for a in attendance])


def grow(scale: int) -> dict:
    """The demo, loaded, grown to ``scale`` times: its people with everything of theirs
    (``bench_insights._scale``), alumni profiles, events with their bookings, the
    Derbyshire compact's actions and meetings. Returns the people's tables' sizes."""
    from bench.bench_insights import _scale

    sizes = _scale(scale)
    _grow_alumni(scale)
    _grow_events(scale)
    _grow_compact(scale)
    return sizes


def _sessions(client_for) -> dict:
    """A signed-in session cookie per role (staff: with a second factor)."""
    from alumni.models import AlumniProfile
    from talenthub.core.models import User

    member = (
        AlumniProfile.objects.filter(visibility="members")
        .exclude(user__email__startswith="x")
        .order_by("pk")
        .first()
        .user
    )
    emails = {
        "member": member.email,
        "manager": MANAGER,
        "secretariat": SECRETARIAT,
        "analyst": ANALYST,
        "admin": ADMIN,
    }
    return {role: client_for(User.objects.get(email=email)) for role, email in emails.items()}


def _pages() -> list[dict]:
    """(role, kind, url) of each page measured: the main pages and every admin changelist."""
    from django.contrib import admin
    from django.urls import reverse

    from events.models import Event
    from programmes.models import Programme

    programme = Programme.objects.order_by("pk").first()
    event = Event.objects.filter(status="published").order_by("starts_at").last()
    pages = [
        ("anonymous", "public", "/"),
        ("anonymous", "public", "/programmes/"),
        ("anonymous", "public", programme.get_absolute_url()),
        ("anonymous", "public", "/events/"),
        ("anonymous", "public", event.get_absolute_url()),
        ("anonymous", "public", "/cohorts/"),
        ("anonymous", "public", "/resources/"),
        ("anonymous", "public", "/compacts/"),
        ("anonymous", "public", "/compacts/derbyshire/"),
        ("member", "member", "/alumni/"),
        ("member", "member", "/events/my-bookings/"),
        ("member", "member", reverse("profile")),
        ("manager", "manager", "/cohorts/manage/"),
        ("manager", "manager", "/events/manage/demand/"),
        ("manager", "manager", "/alumni/outcomes/"),
        ("secretariat", "manager", "/compacts/derbyshire/actions/"),
        ("secretariat", "manager", "/compacts/derbyshire/actions/health/"),
        ("secretariat", "manager", "/compacts/derbyshire/meetings/"),
        ("analyst", "insights", "/insights/journey/"),
        ("analyst", "insights", "/insights/representation/"),
        ("analyst", "insights", "/insights/programmes/"),
        ("analyst", "insights", "/insights/events/"),
        ("analyst", "insights", "/insights/compacts/"),
    ]
    for opts in sorted((m._meta for m in admin.site._registry), key=str):
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pages.append(("admin", "admin", url))
    return [{"role": r, "kind": k, "url": u} for r, k, u in pages]


def generate(scale: int) -> dict:
    """Grow the demo to ``scale`` times; return the pages and a session cookie per role."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from bench.bench_counts import _sign_in

    started = time.perf_counter()
    # DEBUG is off (as served), so the demo accounts get a random password of the run's.
    os.environ["TALENTHUB_DEMO_PASSWORD"] = secrets.token_urlsafe(24)
    call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = time.perf_counter() - started
    with transaction.atomic():
        sizes = grow(scale)
    with connection.cursor() as cursor:
        # What autovacuum leaves a production database in: statistics, and a visibility
        # map that lets counts and lookups read an index alone. This machine's PostgreSQL
        # runs with autovacuum off, so without this every count read the whole table.
        cursor.execute("VACUUM (ANALYZE)")
    sizes.update(_counts())

    def cookie(user):
        client = Client()
        _sign_in(client, user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": _sessions(cookie),
        "pages": _pages(),
        "sizes": sizes,
        "seconds": {"demo": demo, "scale": time.perf_counter() - started - demo},
    }


def _counts() -> dict:
    from alumni.models import AlumniProfile
    from compact.models import Action, Meeting
    from events.models import Booking, Event

    return {
        # Replaces the people's generator's figure, counted before the events grew.
        "bookings": Booking.objects.count(),
        "alumni profiles": AlumniProfile.objects.count(),
        "events": Event.objects.count(),
        "compact actions": Action.objects.count(),
        "meetings": Meeting.objects.count(),
    }


def _existing() -> dict:
    """Pages and fresh sessions for a database generated before (``--database``)."""
    from django.conf import settings
    from django.test import Client

    from bench.bench_counts import _sign_in

    def cookie(user):
        client = Client()
        _sign_in(client, user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": _sessions(cookie),
        "pages": _pages(),
        "sizes": {},
        "seconds": {},
    }


# -- the run (this process: no Django database access) -------------------------------------


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_env(database_url: str, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        TALENTHUB_ENV="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    # Pages are kept as in production (with its Redis). Without REDIS_URL each worker
    # keeps its own copies; nothing writes while the bench runs, so they agree.
    env.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "60")
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _child(env: dict, what: str, scale: int) -> dict:
    code = (
        "import django, json, sys; django.setup(); "
        "from bench import bench_pages as b; "
        f"print(json.dumps(b.{what}({scale if what == 'generate' else ''})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _get(conn: http.client.HTTPConnection, url: str, cookie: str) -> tuple[float, int, int]:
    headers = {"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"}
    started = time.perf_counter()
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.getheader("Connection", "").lower() == "close":
        conn.close()
    return elapsed, response.status, len(body)


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))]


def _measure(port, url, cookie, *, seconds, most, baseline=None) -> dict:
    """p50 and p95 of ``url`` over one connection; with ``baseline`` (url, cookie), a
    baseline request after each request of the page, and the page's ratio to the
    baseline's p50 in the same seconds (a shared machine's load moves both alike)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    timings, yardstick = [], []
    status, size, started = None, 0, time.perf_counter()
    try:
        for _ in range(2):
            started = time.perf_counter()
            _elapsed, status, size = _get(conn, url, cookie)
            if baseline:
                _get(conn, *baseline)
        began = time.perf_counter()
        while len(timings) < most and (len(timings) < 10 or time.perf_counter() - began < seconds):
            started = time.perf_counter()
            elapsed, status, size = _get(conn, url, cookie)
            if status != 200:
                break
            timings.append(elapsed)
            if baseline:
                yardstick.append(_get(conn, *baseline)[0])
    except (http.client.HTTPException, OSError):
        # gunicorn's worker timeout (30 s, gunicorn.conf.py) killed the request: say so
        # and go on to the next page.
        status = f"closed after {time.perf_counter() - started:.0f} s (worker timeout?)"
        timings = []
    conn.close()
    if not timings:
        return {"status": status, "p50": None, "p95": None, "n": 0, "bytes": size}
    p50, p95 = _percentiles(timings)
    result = {"status": status, "p50": p50, "p95": p95, "n": len(timings), "bytes": size}
    if yardstick:
        result["baseline"] = _percentiles(yardstick)[0]
    return result


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            _get(conn, "/healthz", "")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def _ratio(result: dict, baseline: float) -> float:
    return result["p50"] / result.get("baseline", baseline)


def _table(results: list[dict], baseline: float) -> list[str]:
    lines = [
        "| page | as | p50 ms | p95 ms | n | list p50 ms | × list | target | |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["p50"] is None:
            lines.append(f"| {r['url']} | {r['role']} | {r['status']} | | | | | | **failed** |")
            continue
        ratio = _ratio(r, baseline)
        target = TARGETS.get(r["kind"])
        mark = "" if target is None else ("ok" if ratio <= target else "**over**")
        lines.append(
            f"| {r['url']} | {r['role']} | {r['p50'] * 1000:.1f} | {r['p95'] * 1000:.1f} | "
            f"{r['n']} | {r.get('baseline', baseline) * 1000:.1f} | {ratio:.1f} | "
            f"{'' if target is None else f'≤ {target:g}'} | {mark} |"
        )
    return lines


def run() -> list[str]:
    options = _options(sys.argv[1:])
    server = _server_url()
    if not server:
        return ["skipped: needs DATABASE_URL pointing at a PostgreSQL server"]
    name = options.database or f"{options.prefix}_{os.getpid()}_{int(time.time())}"
    if name == urlsplit(server).path.lstrip("/") or name.startswith("talenthub_ci"):
        # Never the database DATABASE_URL names (the suite's or a developer's own), nor CI's.
        return [f"refused: {name} is the database DATABASE_URL or CI uses; choose another"]
    database_url = _with_database(server, name)
    static_root = tempfile.mkdtemp(prefix="bench-pages-static-")
    env = _child_env(database_url, static_root)
    lines = [f"database: {name} (scale ×{options.scale})"]
    created = False
    gunicorn = None
    try:
        if options.database:
            data = _child(env, "_existing", options.scale)
        else:
            _admin_sql(server, f'CREATE DATABASE "{name}"')
            created = True
            _manage(env, "migrate", "--noinput")
            data = _child(env, "generate", options.scale)
            lines.append(
                f"demo loaded in {data['seconds']['demo']:.0f} s, grown ×{options.scale} in "
                f"{data['seconds']['scale']:.0f} s: "
                + ", ".join(f"{n:,} {label}" for label, n in data["sizes"].items())
            )
        _manage(env, "collectstatic", "--noinput")
        port = _free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "talenthub.wsgi:application",
             "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for(port, gunicorn)
        cookie_name = data["cookie_name"]
        cookies = {role: f"{cookie_name}={value}" for role, value in data["sessions"].items()}

        def measure(page, interleaved=True):
            seconds = options.admin_seconds if page["kind"] == "admin" else options.seconds
            result = _measure(
                port, page["url"], cookies.get(page["role"], ""), seconds=seconds,
                most=options.requests,
                baseline=("/bench/baseline-list/", cookies["member"]) if interleaved else None,
            )  # fmt: skip
            return {**page, **result}

        yardsticks = [
            {"role": "anonymous", "kind": None, "url": "/bench/baseline-trivial/"},
            {"role": "member", "kind": None, "url": "/bench/baseline-list/"},
        ]
        before = [measure(p, interleaved=False) for p in yardsticks]
        wanted = options.only.split(",")  # "" keeps every page
        pages = [p for p in data["pages"] if any(w in p["url"] for w in wanted)]
        results = [measure(p) for p in pages]
        after = [measure(p, interleaved=False) for p in yardsticks]
        baseline = statistics.median([before[1]["p50"], after[1]["p50"]])
        lines.append(
            f"baseline list p50: {before[1]['p50'] * 1000:.1f} ms before the pages, "
            f"{after[1]['p50'] * 1000:.1f} ms after; trivial response "
            f"{before[0]['p50'] * 1000:.1f} / {after[0]['p50'] * 1000:.1f} ms"
        )
        lines += _table([*before, *results], baseline)
        # A failed page (no answer, or not a 200) counts as over its target.
        over = [r for r in results if not r["p50"] or _ratio(r, baseline) > TARGETS[r["kind"]]]
        lines.append(f"{len(results) - len(over)} of {len(results)} pages within their target")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if created and not options.keep:
            _admin_sql(server, f'DROP DATABASE "{name}" WITH (FORCE)')
        elif created:
            lines.append(f"kept the database {name} (--keep): {database_url}")
    return lines
