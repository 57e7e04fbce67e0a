"""Real services a fault test starts on its own ports and stops: a ``redis-server`` (it
keeps nothing on disk, like the machine's), a Celery worker process that can be
SIGKILLed, and an SMTP sink that records every message it accepts. Never the machine's
shared PostgreSQL or Redis."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=60.0, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self.up, timeout=10), "redis-server did not start"

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        assert wait_until(lambda: not self.up(), timeout=10)

    def restart(self):
        """Killed and started again: everything queued in it is gone."""
        self.stop()
        self.start()


class SmtpSink:
    """An SMTP server that accepts everything, ``delay`` seconds a message, and counts
    the messages by their X-TalentHub-Key header."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.delay = delay
        self.received = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import asyncio
                from email import message_from_bytes

                if sink.delay:
                    await asyncio.sleep(sink.delay)
                key = message_from_bytes(envelope.content)["X-TalentHub-Key"]
                with sink.lock:
                    sink.received[key] += 1
                return "250 OK"

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


class WorkerProcess:
    """``celery -A talenthub worker`` in a process group of its own, on the test's
    database, the private Redis and the SMTP sink."""

    def __init__(self, redis: PrivateRedis, smtp: SmtpSink, log: Path, concurrency: int = 2):
        self.redis, self.smtp, self.log, self.concurrency = redis, smtp, log, concurrency
        self.process = None

    def env(self) -> dict:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DJANGO_SETTINGS_MODULE="talenthub.settings",
            PYTHONPATH=str(settings.BASE_DIR),
            DATABASE_URL=database_url,
            REDIS_URL=self.redis.url,
            CELERY_TASK_ALWAYS_EAGER="0",
            EMAIL_URL=self.smtp.url,
        )
        return env

    def start(self):
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "talenthub",
                "worker",
                "-P",
                "prefork",
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=settings.BASE_DIR,
            env=self.env(),
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        assert wait_until(lambda: " ready." in self.log.read_text(), timeout=60), (
            self.log.read_text()[-3000:]
        )

    def kill(self):
        """SIGKILL to the worker and its children, as the kernel's OOM killer would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        self.kill()
