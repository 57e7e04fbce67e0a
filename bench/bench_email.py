"""An announcement to a whole region, end to end: N opted-in members (100,000), an event
published, and everything after it done by a real Celery worker (``celery -A talenthub
worker -c 2``, two processes on this 2-core machine) on a private ``redis-server`` the
benchmark starts on its own port, sending to a local SMTP sink (aiosmtpd, in this
process) that counts what it accepts. PostgreSQL only: the benchmark creates and drops
its own database (``talenthub_bench_email``) and refuses SQLite.

Reported:
- queueing: from the publish's commit until every member's email is an outbox row
  (the fan-out and all its batch tasks), and the worker processes' peak resident memory
  while it ran, next to their memory when idle (flat memory: the peak does not grow with N);
- delivery: emails accepted by the SMTP sink per second, from the first to the last,
  with two worker processes;
- a baseline in the same run: the same sink fed by one plain ``smtplib`` connection
  sending ready-made messages in a loop (what the machine and the sink can take with no
  database, no Celery and no rendering), and the delivery rate as a ratio of it;
- whether anybody got two emails, and what is left not sent.

Environment: ``BENCH_EMAIL_MEMBERS`` (100000), ``BENCH_EMAIL_CONCURRENCY`` (2),
``BENCH_EMAIL_BASELINE`` (5000 messages).
"""

import os
import smtplib
import tempfile
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from django.db import connection

DB_NAME = "talenthub_bench_email"
MEMBERS = int(os.environ.get("BENCH_EMAIL_MEMBERS", "100000"))
CONCURRENCY = int(os.environ.get("BENCH_EMAIL_CONCURRENCY", "2"))
BASELINE = int(os.environ.get("BENCH_EMAIL_BASELINE", "5000"))


def run() -> list[str]:
    if connection.vendor != "postgresql":
        return [
            "skipped: bench_email needs PostgreSQL (the worker is another process); "
            "set DATABASE_URL=postgres://..."
        ]
    original_name = connection.settings_dict["NAME"]
    if original_name == DB_NAME:
        return [f"refused: the configured database is already {DB_NAME}"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-email-") as workdir:
            return _measure(Path(workdir))
    finally:
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)


def _measure(workdir: Path) -> list[str]:
    from talenthub.celery import app
    from talenthub.core.models import OutboundEmail
    from tests.core.services import PrivateRedis, WorkerProcess, wait_until

    started = time.perf_counter()
    event = _members_and_event()
    lines = [f"{MEMBERS} opted-in members made in {time.perf_counter() - started:.0f} s"]

    sink = _SinkProcess()
    sink.start()
    redis = PrivateRedis(workdir)
    redis.start()
    previous = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = (
        redis.url,
        None,
        False,
    )
    app._pool = None
    app.amqp._producer_pool = None
    worker = WorkerProcess(redis, sink, workdir / "worker.log", concurrency=CONCURRENCY)
    try:
        baseline_rate = _baseline(sink)
        sink.reset()
        worker.start()
        idle = _worker_rss(worker)
        lines.append(
            f"baseline: one smtplib connection, {BASELINE} ready-made messages to the same "
            f"sink: {baseline_rate:.0f} emails/s"
        )

        from events import services as event_services

        peak = [idle]
        first_delivery = []

        def queued():
            peak[0] = max(peak[0], _worker_rss(worker))
            if not first_delivery and sink.total():
                first_delivery.append(time.perf_counter())
            return OutboundEmail.objects.count() >= MEMBERS

        publish = time.perf_counter()
        event_services.event_publish(event=event, override=True, reason="benchmark")
        wait_until(queued, timeout=1800, every=0.25)
        queueing = time.perf_counter() - publish
        rows = OutboundEmail.objects.count()
        lines.append(
            f"queueing: {rows} outbox rows {queueing:.1f} s after the publish "
            f"({rows / queueing:.0f}/s, sending running alongside); worker processes' "
            f"resident memory {idle / 2**20:.0f} MiB idle, peak {peak[0] / 2**20:.0f} MiB "
            f"({peak[0] / idle:.2f}×)"
        )

        def delivered():
            peak[0] = max(peak[0], _worker_rss(worker))
            if not first_delivery and sink.total():
                first_delivery.append(time.perf_counter())
            return sink.total() >= rows

        wait_until(delivered, timeout=3600, every=0.5)
        finished = time.perf_counter()
        total = sink.total()
        start = first_delivery[0] if first_delivery else publish
        rate = total / max(finished - start, 1e-9)
        lines.append(
            f"delivery: {total} emails accepted by the sink in {finished - publish:.0f} s "
            f"after the publish, {rate:.0f} emails/s from the first to the last with "
            f"{CONCURRENCY} worker processes = {rate / baseline_rate:.2f}× the baseline; "
            f"peak worker memory {peak[0] / 2**20:.0f} MiB ({peak[0] / idle:.2f}× idle)"
        )
        twice = sink.twice()
        states = dict(OutboundEmail.objects.values_list("status").annotate(n=_count()).order_by())
        lines.append(f"emailed twice: {twice}; outbox by status: {states}")
    finally:
        worker.stop()
        redis.stop()
        sink.stop()
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = previous
        app._pool = None
        app.amqp._producer_pool = None
    load = os.getloadavg()
    lines.append(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return lines


def _count():
    from django.db.models import Count

    return Count("pk")


def _members_and_event():
    """MEMBERS active, opted-in members with no region or employer recorded (so all are
    in the audience of a national event) and a draft event of a national provider."""
    from django.utils import timezone

    from events.models import Event
    from talenthub.core.models import Organisation, Profile, Region, User

    step = 10_000
    for start in range(0, MEMBERS, step):
        users = User.objects.bulk_create(
            User(email=f"member{n}@bench.example", full_name=f"Bench Member {n}")
            for n in range(start, min(start + step, MEMBERS))
        )
        Profile.objects.bulk_create(
            Profile(user=user, email_event_announcements=True) for user in users
        )
    organiser = Organisation.objects.create(
        name="Bench national provider",
        slug="bench-national",
        sector="other",
        region=Region.NATIONAL,
        is_provider=True,
    )
    starts = timezone.now() + timedelta(days=14)
    return Event.objects.create(
        title="Bench event for the whole region",
        slug="bench-event-email",
        organiser=organiser,
        theme="looking_after_our_people",
        summary="Bench",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Bench",
        capacity=10,
        booking_opens_at=timezone.now(),
        booking_closes_at=starts,
        status="draft",
    )


class _SinkProcess:
    """An SMTP server (aiosmtpd) in a process of its own, so that it is not what limits
    the rate: it accepts every message and counts them by their X-TalentHub-Key header
    (a byte search, no parsing), and how many keys came more than once."""

    def __init__(self):
        import multiprocessing

        from tests.core.services import free_port

        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self._total = context.Value("q", 0)
        self._twice = context.Value("q", 0)
        self._reset = context.Event()
        self._ready = context.Event()
        self._stop = context.Event()
        self.process = context.Process(
            target=_sink_main,
            args=(self.port, self._total, self._twice, self._reset, self._ready, self._stop),
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.process.start()
        assert self._ready.wait(30), "the SMTP sink did not start"

    def stop(self):
        self._stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()

    def total(self) -> int:
        return self._total.value

    def twice(self) -> int:
        return self._twice.value

    def reset(self):
        self._reset.set()
        while self._reset.is_set():
            time.sleep(0.05)


def _sink_main(port, total, twice, reset, ready, stop):
    import logging
    import re

    from aiosmtpd.controller import Controller

    header = re.compile(rb"^X-TalentHub-Key:\s*(\S+)", re.MULTILINE | re.IGNORECASE)
    seen = set()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if reset.is_set():
                seen.clear()
                total.value = twice.value = 0
                reset.clear()
            found = header.search(envelope.original_content or envelope.content)
            key = found.group(1) if found else None
            if key in seen:
                twice.value += 1
            seen.add(key)
            total.value += 1
            return "250 OK"

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while not stop.wait(0.1):
        if reset.is_set():
            seen.clear()
            total.value = twice.value = 0
            reset.clear()
    controller.stop()


def _baseline(sink) -> float:
    """Ready-made messages of the announcement's size over one plain SMTP connection."""
    body = "Dear member,\n\n" + "A new event is open for booking. " * 30
    port = int(sink.url.rsplit(":", 1)[1])
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        started = time.perf_counter()
        for n in range(BASELINE):
            message = EmailMessage()
            message["From"] = "TalentHub <noreply@talenthub.example>"
            message["To"] = f"baseline{n}@bench.example"
            message["Subject"] = "A new event"
            message["X-TalentHub-Key"] = f"baseline:{n}"
            message.set_content(body)
            smtp.send_message(message)
        elapsed = time.perf_counter() - started
    assert sink.total() >= BASELINE
    return BASELINE / elapsed


def _worker_rss(worker) -> int:
    """Resident memory (bytes) of the worker's process group: the main process and its
    pool processes, read from /proc."""
    if worker.process is None:
        return 0
    group = os.getpgid(worker.process.pid)
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != group:
                continue
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except (OSError, ProcessLookupError):
            continue
    return total
