"""The insights pages on the demo data at ten times its size (``BENCH_INSIGHTS_SCALE``):

- publishing the quarter's equality releases (counting, rounding and the disclosure
  audit, as the beat task does), against a baseline measured in the same run: counting
  the journey alone (what the journey page did on every request before releases);
- each page, the median of five requests through the whole Django stack, and its
  queries;
- with ``BENCH_ATTACK=1``, the tests' own attacker (``tests/insights/attacker.py``) over
  every CSV an analyst can download: how many protected figures it narrows past the
  promise (it must be none), and how long that took.

Runs in a transaction that is rolled back, against a migrated database (DATABASE_URL);
loads the demo first if it is not there:

    DATABASE_URL=postgres://…/talenthub_bench python manage.py migrate
    DATABASE_URL=postgres://…/talenthub_bench python -m bench bench_insights

``BENCH_INSIGHTS_SCALE`` (default 10) sets the multiple. Every person of the demo (with
their profile, monitoring answers, applications, participations, career history and
bookings) is copied scale - 1 times.
"""

import io
import os
import statistics
import tempfile
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

SCALE = int(os.environ.get("BENCH_INSIGHTS_SCALE", "10"))
PAGES = [
    ("journey, all programmes, ethnicity", "/insights/journey/?characteristic=ethnicity"),
    ("journey CSV, all programmes, religion", "/insights/journey.csv?characteristic=religion"),
    ("representation, ethnicity", "/insights/representation/?characteristic=ethnicity"),
    ("programme outcomes", "/insights/programmes/"),
    ("event demand", "/insights/events/"),
    ("compact health", "/insights/compacts/"),
]


def _copy(instance, **changes):
    """An unsaved copy of ``instance`` with ``changes`` (concrete fields, no pk)."""
    data = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    data.update(changes)
    return type(instance)(**data)


def _scale(factor: int) -> dict:
    from alumni.models import CareerEntry
    from cohorts.models import Application, Participant, new_certificate_code
    from events.models import Booking
    from insights.demo import answers_for
    from insights.models import MonitoringRecord
    from talenthub.core.models import Profile, User

    people = list(User.objects.filter(is_active=True, is_superuser=False, is_staff=False))
    ids = [u.pk for u in people]
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids)}
    records = {r.user_id: r for r in MonitoringRecord.objects.filter(user_id__in=ids)}
    applications = list(Application.objects.filter(applicant_id__in=ids))
    participants = list(Participant.objects.filter(user_id__in=ids))
    careers = list(CareerEntry.objects.filter(user_id__in=ids))
    bookings = list(Booking.objects.filter(member_id__in=ids))
    password = people[0].password if people else ""
    for copy in range(1, factor):
        users = User.objects.bulk_create(
            [User(email=f"x{copy}.{u.email}", full_name=u.full_name, password=password)
             for u in people]
        )  # fmt: skip
        new = {old.pk: fresh.pk for old, fresh in zip(people, users, strict=True)}
        Profile.objects.bulk_create([_copy(p, user_id=new[p.user_id]) for p in profiles.values()])
        MonitoringRecord.objects.bulk_create(
            [_copy(r, user_id=new[r.user_id], **(answers_for(f"x{copy}{r.user_id}", 3) or {}))
             for r in records.values()]
        )  # fmt: skip
        copies = Application.objects.bulk_create(
            [_copy(a, applicant_id=new[a.applicant_id]) for a in applications]
        )
        new_application = {a.pk: c.pk for a, c in zip(applications, copies, strict=True)}
        Participant.objects.bulk_create(
            [_copy(p, user_id=new[p.user_id], subsidy_allocation_id=None,
                   application_id=new_application.get(p.application_id),
                   certificate_code=new_certificate_code())
             for p in participants]
        )  # fmt: skip
        CareerEntry.objects.bulk_create([_copy(e, user_id=new[e.user_id]) for e in careers])
        Booking.objects.bulk_create(
            [_copy(b, member_id=new[b.member_id], rerun_source_id=None) for b in bookings]
        )
    return {
        "people": User.objects.filter(is_active=True).count(),
        "monitoring records": MonitoringRecord.objects.count(),
        "applications": Application.objects.count(),
        "participants": Participant.objects.count(),
        "career entries": CareerEntry.objects.count(),
        "bookings": Booking.objects.count(),
    }


def _time_page(client: Client, path: str) -> tuple[float, int]:
    """Median of five requests."""
    timings, queries = [], 0
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured)
    return statistics.median(timings), queries


def run() -> list[str]:
    from django.core.management import call_command

    from compact.models import Compact
    from insights.demo import ANALYST_EMAIL
    from talenthub.core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-insights-")
    lines = [f"database: {connection.vendor}"]
    with transaction.atomic():
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
        lines += _publish()
        client = Client()
        client.force_login(User.objects.get(email=ANALYST_EMAIL))
        for label, path in PAGES:
            seconds, queries = _time_page(client, path)
            lines.append(f"{label}: {seconds * 1000:.0f} ms, {queries} queries")
        if os.environ.get("BENCH_ATTACK") == "1":
            lines += _attack(client)
        transaction.set_rollback(True)
    return lines


def _publish() -> list[str]:
    """The quarter's releases, made afresh, against counting the journey alone."""
    from insights import reports
    from insights.models import EqualityRelease
    from insights.services import equality_release_publish, release_period

    counting = []
    for _ in range(3):
        started = time.perf_counter()
        reports.journey_problem()
        counting.append(time.perf_counter() - started)
    baseline = statistics.median(counting)
    lines = [f"baseline, counting the journey: {baseline * 1000:.0f} ms (median of 3)"]
    EqualityRelease.objects.all().delete()
    for report in EqualityRelease.Report.values:
        started = time.perf_counter()
        release = equality_release_publish(report=report, period=release_period())
        seconds = time.perf_counter() - started
        lines.append(
            f"publishing the {report} release: {seconds * 1000:.0f} ms "
            f"({seconds / baseline:.1f}× the baseline); {release.audited} protected figures "
            f"checked, {release.withheld} of {len(release.problem['cells'])} withheld"
        )
    return lines


def _attack(client) -> list[str]:
    """The tests' attacker over every CSV of a release (it publishes the release twice:
    exact, for the truth, then protected)."""
    from insights.demo import ANALYST_EMAIL
    from talenthub.core.models import User
    from tests.insights.test_attack import unprotected

    started = time.perf_counter()
    threshold = settings.TALENTHUB["SUPPRESSION_THRESHOLD"]
    try:
        found = unprotected(client, settings, User.objects.get(email=ANALYST_EMAIL))
    finally:
        settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": threshold}
    return [
        f"the tests' attacker over every download: {len(found)} protected figures narrowed "
        f"past the promise, in {time.perf_counter() - started:.0f} s"
    ]
