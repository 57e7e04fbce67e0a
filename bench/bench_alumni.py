"""The alumni directory and outcomes with many alumni: time and query counts. Runs inside
a transaction that is rolled back, against a migrated database (DATABASE_URL):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python -m bench bench_alumni
"""

import datetime
import time
from datetime import UTC

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

ALUMNI = 5000
COHORTS = 10


def _build():
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from alumni.models import AlumniProfile, CareerEntry
    from cohorts.models import Cohort, Participant
    from programmes.models import Programme, ProgrammeVersion
    from talenthub.core.models import Organisation, Profile, User

    provider = Organisation.objects.create(
        name="Bench Employers", slug="bench-employers", sector="other", region="west_midlands",
        is_provider=True,
    )  # fmt: skip
    programme = Programme.objects.create(
        title="Bench programme", slug="bench-programme", kind="multi_module", owner=provider,
        summary="x",
    )  # fmt: skip
    version = ProgrammeVersion.objects.create(
        programme=programme, name="v1", launched_on=datetime.date(2010, 1, 1)
    )
    cohorts = [
        Cohort.objects.create(
            version=version,
            provider=provider,
            name=f"Bench {2010 + i}",
            slug=f"bench-{i}",
            region="west_midlands",
            capacity=ALUMNI,
            starts_on=datetime.date(2010 + i, 4, 1),
            ends_on=datetime.date(2010 + i, 11, 1),
            applications_open_at=datetime.datetime(2010 + i, 1, 1, tzinfo=UTC),
            applications_close_at=datetime.datetime(2010 + i, 2, 1, tzinfo=UTC),
            status="completed",
        )  # fmt: skip
        for i in range(COHORTS)
    ]
    password = make_password("bench")
    User.objects.bulk_create(
        [User(email=f"bench{n}@example.com", full_name=f"Bench {n}", password=password)
         for n in range(ALUMNI)]
    )  # fmt: skip
    users = list(User.objects.filter(email__startswith="bench").order_by("pk"))
    Participant.objects.bulk_create(
        [Participant(cohort=cohorts[i % COHORTS], user=u, status="completed",
                     completed_at=datetime.datetime(2015, 1, 1, tzinfo=UTC))
         for i, u in enumerate(users)]
    )  # fmt: skip
    AlumniProfile.objects.bulk_create(
        [AlumniProfile(user=u, headline="Bench", visibility="members") for u in users]
    )
    CareerEntry.objects.bulk_create(
        [CareerEntry(user=u, role="Head of HR", organisation_name="x", level=3 + i % 2,
                     started_on=datetime.date(2016 + i % 8, 1, 1)) for i, u in enumerate(users)]
    )  # fmt: skip
    manager = User.objects.create(email="bench.manager@example.com", is_staff=True)
    manager.groups.add(Group.objects.get_or_create(name="Programme managers")[0])
    Profile.objects.create(user=manager, organisation=provider)
    return manager, users[0]


def _measure(label, fn):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
    return f"{label}: {elapsed * 1000:.0f} ms, {len(queries)} queries"


def run() -> list[str]:
    from alumni import selectors

    lines = []
    with transaction.atomic():
        started = time.perf_counter()
        manager, viewer = _build()
        lines.append(
            f"built {ALUMNI} alumni in {COHORTS} cohorts in {time.perf_counter() - started:.1f} s"
        )

        def directory_page():
            qs = selectors.directory_profiles(viewer)
            qs.count()
            list(qs[:20])

        lines.append(_measure("directory first page + count", directory_page))
        lines.append(
            _measure("outcomes (level 4, 5 years)",
                     lambda: selectors.outcomes(user=manager, level=4, years=5))
        )  # fmt: skip
        transaction.set_rollback(True)
    return lines
