"""Announcement fan-out at scale: with N opted-in members, how long and how much memory
it takes to cut the member ids into batches (what ``announce_event_task`` does), and how
long one batch of 500 emails takes to queue (``announce_event_batch_task``). Everything
runs inside a transaction that is rolled back, so no email is sent and nothing stays."""

import time
import tracemalloc
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

MEMBERS = 20_000


class _Rollback(Exception):
    pass


def run() -> list[str]:
    from events.models import Event
    from events.services.events import (
        ANNOUNCEMENT_BATCH_SIZE,
        announcement_batches,
        event_announce_batch,
    )
    from talenthub.core.models import Organisation, Profile, User

    lines = []
    try:
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"bench-member-{i}@bench.example", full_name=f"Bench Member {i}")
                for i in range(MEMBERS)
            )
            users = list(User.objects.filter(email__endswith="@bench.example"))
            Profile.objects.bulk_create(
                Profile(user=u, email_event_announcements=True) for u in users
            )
            organiser, _ = Organisation.objects.get_or_create(
                slug="bench-provider",
                defaults={
                    "name": "Bench provider",
                    "sector": "other",
                    "region": "london",
                    "is_provider": True,
                },
            )
            starts = timezone.now() + timedelta(days=14)
            event = Event.objects.create(
                title="Bench event",
                slug="bench-event-announce",
                organiser=organiser,
                theme="looking_after_our_people",
                summary="Bench",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue="Bench",
                capacity=10,
                booking_opens_at=timezone.now(),
                booking_closes_at=starts,
                status="published",
            )
            tracemalloc.start()
            started = time.perf_counter()
            batches = list(announcement_batches(event))
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            lines.append(
                f"{MEMBERS} members → {len(batches)} batch tasks of {ANNOUNCEMENT_BATCH_SIZE}: "
                f"{elapsed * 1000:.0f} ms, peak {peak / 1024:.0f} KiB while streaming ids"
            )
            first_id, last_id = batches[0]
            started = time.perf_counter()
            queued = event_announce_batch(event_id=event.pk, first_id=first_id, last_id=last_id)
            elapsed = time.perf_counter() - started
            lines.append(
                f"one batch: {queued} emails queued in {elapsed:.2f} s "
                f"({elapsed / max(queued, 1) * 1000:.1f} ms per member)"
            )
            raise _Rollback
    except _Rollback:
        pass
    return lines
