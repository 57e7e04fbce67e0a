"""Compact governance at scale: the action health query and the attendance report over a
compact with thousands of actions and hundreds of meetings. Everything is created inside a
transaction that is rolled back, so the database is left as it was."""

import datetime
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PARENTS = 500
CHILDREN = 3
MEETINGS = 200
ORGANISATIONS = 40


class _Rollback(Exception):
    pass


def _build():
    from compact.models import (
        Action,
        ActionPlan,
        Attendance,
        CharterSignatory,
        CharterVersion,
        Compact,
        Group,
        Meeting,
    )
    from talenthub.core.choices import Region, Sector
    from talenthub.core.models import Organisation, User

    compact = Compact.objects.create(
        name="Bench compact", slug="bench-compact", area="Bench", purpose="Bench",
        established_on=datetime.date(2007, 2, 1),
    )  # fmt: skip
    plan = ActionPlan.objects.create(compact=compact, title="Bench plan")
    today = timezone.localdate()
    parents = Action.objects.bulk_create(
        Action(plan=plan, code=f"P{i}", theme="t", objective="o",
               target_date=today - datetime.timedelta(days=i % 30 - 15))
        for i in range(PARENTS)
    )  # fmt: skip
    Action.objects.bulk_create(
        Action(plan=plan, parent=p, code=f"{p.code} 1.{j}", theme="t", objective="o",
               status=["not_started", "on_track", "done"][j % 3],
               percent_complete=100 if j % 3 == 2 else 10 * j)
        for p in parents for j in range(CHILDREN)
    )  # fmt: skip
    group = Group.objects.create(
        compact=compact, name="Steering", kind="steering", starts_on=datetime.date(2020, 1, 1)
    )
    charter = CharterVersion.objects.create(
        compact=compact, title="Charter", starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2030, 1, 1), text="x",
    )  # fmt: skip
    orgs = [
        Organisation.objects.create(name=f"Bench org {i}", slug=f"bench-org-{i}",
                                    sector=Sector.LOCAL_GOVERNMENT, region=Region.EAST_MIDLANDS)
        for i in range(ORGANISATIONS)
    ]  # fmt: skip
    people = [User.objects.create(email=f"bench{i}@example.com") for i in range(ORGANISATIONS)]
    CharterSignatory.objects.bulk_create(
        CharterSignatory(charter=charter, organisation=o, signatory_name="CE",
                         joined_on=charter.starts_on, renewal_due_on=charter.ends_on,
                         senior_representative=p)
        for o, p in zip(orgs, people, strict=True)
    )  # fmt: skip
    tz = timezone.get_current_timezone()
    meetings = Meeting.objects.bulk_create(
        Meeting(group=group, status="held", place="x",
                starts_at=datetime.datetime(2025, 1, 1, 10, tzinfo=tz) + datetime.timedelta(days=i))
        for i in range(MEETINGS)
    )  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(meeting=m, person=people[k], organisation=orgs[k], status="present")
        for n, m in enumerate(meetings) for k in range(ORGANISATIONS) if (n + k) % 4 == 0
    )  # fmt: skip
    return compact


def _time(fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries.captured_queries)


def run() -> list[str]:
    from compact import selectors

    lines = []
    try:
        with transaction.atomic():
            compact = _build()
            total = PARENTS * (CHILDREN + 1)
            rows, seconds, queries = _time(lambda: list(selectors.actions_health(compact=compact)))
            lines.append(
                f"action health: {len(rows)} of {total} actions with flags and roll-up in "
                f"{seconds * 1000:.0f} ms, {queries} queries"
            )
            flagged, seconds, queries = _time(
                lambda: list(selectors.flagged_actions(compact=compact))
            )
            lines.append(
                f"flagged actions: {len(flagged)} in {seconds * 1000:.0f} ms, {queries} queries"
            )
            report, seconds, queries = _time(
                lambda: selectors.attendance_report(compact=compact, year=2025)
            )
            lines.append(
                f"attendance report: {len(report)} organisations x {MEETINGS} meetings in "
                f"{seconds * 1000:.0f} ms, {queries} queries"
            )
            raise _Rollback
    except _Rollback:
        pass
    return lines
