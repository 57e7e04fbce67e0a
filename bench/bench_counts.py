"""Pages whose counts used to multiply two relations (issue 21), on the demo at ten times its
size (``BENCH_COUNTS_SCALE``), against a baseline measured in the same run: a 50-row list
from one query rendered with a template, served by the same Django stack (the page-speed
issue's yardstick: manager pages should take at most twice as long).

- each page: the median of five requests (``BENCH_COUNTS_REPEAT``) through the whole
  stack, its queries, its ratio
  to the baseline;
- the removed query shape, for comparison: the cohort list annotated with COUNT(DISTINCT)
  over LEFT JOINs of both participants and applications, as /cohorts/manage/ and the
  admin's cohort list ran it before.

Runs in a transaction that is rolled back, against a migrated PostgreSQL database
(DATABASE_URL); loads the demo first if it is not there:

    DATABASE_URL=postgres://…/talenthub_bench python manage.py migrate
    DATABASE_URL=postgres://…/talenthub_bench python -m bench bench_counts

Every person of the demo (profile, monitoring answers, applications, participations,
career history, bookings) is copied scale - 1 times (``bench_insights._scale``).
"""

import io
import os
import statistics
import tempfile
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from bench.baseline import baseline_list

SCALE = int(os.environ.get("BENCH_COUNTS_SCALE", "10"))
REPEAT = int(os.environ.get("BENCH_COUNTS_REPEAT", "5"))
MANAGER = "rebecca.manager@wme.example"
SECRETARIAT = "elisabeth.secretariat@ddep.example"
ADMIN = "admin@talenthub.example"

urlpatterns = [
    path("bench/baseline-list/", baseline_list),
    path("", include(settings.ROOT_URLCONF)),
]


def _sign_in(client: Client, user) -> None:
    """As staff sign in: with a second factor (a real TOTP authenticator, made in the
    rolled-back transaction), without which the admin pages redirect (issue 13)."""
    from tests.mfa import mark_session_mfa, totp_enrol

    client.force_login(user)
    if user.is_staff or user.is_superuser:
        totp_enrol(user)
        mark_session_mfa(client, user)


def _time_page(client: Client, url: str) -> tuple[float, int]:
    """Median of REPEAT requests (after one to warm up)."""
    client.get(url)
    timings, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), queries


def _old_cohort_counts(user) -> float:
    """The removed shape, as /cohorts/manage/ ran it: the first page of 20 and its count."""
    from django.db.models import Count, Q

    from cohorts.selectors import cohorts_visible_to

    queryset = (
        cohorts_visible_to(user)
        .annotate(
            participant_count=Count(
                "participants", filter=~Q(participants__status="withdrawn"), distinct=True
            ),
            offer_count=Count(
                "applications", filter=Q(applications__status="offered"), distinct=True
            ),
            waiting_count=Count(
                "applications", filter=Q(applications__status="waiting"), distinct=True
            ),
        )
        .order_by("-starts_on", "name")
    )
    started = time.perf_counter()
    queryset.count()
    list(queryset[:20])
    return time.perf_counter() - started


def run() -> list[str]:
    from django.core.management import call_command

    from bench.bench_insights import _scale
    from compact.models import Compact
    from programmes.models import Programme
    from talenthub.core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-counts-")
    lines = [f"database: {connection.vendor}"]
    with transaction.atomic(), override_settings(ROOT_URLCONF=__name__):
        if not Compact.objects.filter(slug="derbyshire").exists():
            started = time.perf_counter()
            call_command("load_demo", stdout=io.StringIO())
            lines.append(f"loaded the demo in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        sizes = _scale(SCALE)
        lines.append(
            f"scaled the demo ×{SCALE} in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {label}" for label, n in sizes.items())
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics for the copied rows
        client = Client()
        _sign_in(client, User.objects.get(email=MANAGER))
        baseline, _queries = _time_page(client, "/bench/baseline-list/")
        lines.append(f"baseline, a 50-row list from one query: {baseline * 1000:.1f} ms")
        schemes = Programme.objects.filter(subsidy_schemes__isnull=False).first()
        pages = [
            (MANAGER, "/cohorts/manage/"),
            (MANAGER, "/admin/cohorts/cohort/"),
            (ADMIN, "/admin/cohorts/cohort/"),
            (ADMIN, "/admin/resources/pathwaylevel/"),
            (None, schemes.get_absolute_url()),
            (None, "/compacts/derbyshire/"),
            (SECRETARIAT, "/compacts/derbyshire/actions/"),
            (SECRETARIAT, "/compacts/derbyshire/actions/health/"),
            (None, "/events/"),
        ]
        for who, url in pages:
            client.logout()
            if who:
                _sign_in(client, User.objects.get(email=who))
            seconds, queries = _time_page(client, url)
            lines.append(
                f"{url} ({who or 'anonymous'}): {seconds * 1000:.0f} ms, {queries} queries, "
                f"{seconds / baseline:.1f}× the baseline"
            )
        if SCALE > 10:
            lines.append("the removed shape: not run above ×10 (it grows with the square)")
            transaction.set_rollback(True)
            return lines
        old = _old_cohort_counts(User.objects.get(email=MANAGER))
        lines.append(
            f"the removed shape (cohort list with COUNT(DISTINCT) over participants and "
            f"applications joined, page of 20 and its count): {old * 1000:.0f} ms, "
            f"{old / baseline:.1f}× the baseline"
        )
        transaction.set_rollback(True)
    return lines
