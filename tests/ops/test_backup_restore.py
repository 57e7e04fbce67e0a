"""The restore drill (issue 17, docs/operations.md "Backup and restore"): a private
database with data in it is backed up with `manage.py backup`, dropped, restored with
`manage.py restore`, and then the portal answers from it and every table holds what it
held, row for row; MEDIA_ROOT comes back file for file.

The private database (``talenthub_drill_<random>``) is seeded from this test's own test
database, and dropped at the end whatever happens; no other database is touched."""

import json
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from talenthub.core.models import User
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import (
    AuditLogFactory,
    MemberFactory,
    OutboundEmailFactory,
)
from tests.ops.processes import django_process
from tests.programmes.factories import ProgrammeFactory


def _pg(dbname: str) -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": dbname,
    }


def _url(dbname: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{dbname}"


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"]
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def snapshot(dbname: str) -> dict:
    """Per table: row count and an MD5 over its rows in a fixed order; per sequence: its
    last value (so new rows after a restore do not collide with restored ones)."""
    with psycopg.connect(**_pg(dbname), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        state = {}
        for table in tables:
            rows = "string_agg(t::text, E'\\n' ORDER BY t::text)"
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce({rows}, '')) FROM \"{table}\" t"
            ).fetchone()
            state[table] = (count, digest)
        for name, value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            state[f"sequence {name}"] = value
    return state


def manage(*args: str, dbname: str, media_root: Path) -> subprocess.CompletedProcess:
    return django_process(
        "manage.py", *args, DATABASE_URL=_url(dbname), MEDIA_ROOT=str(media_root), REDIS_URL=None
    )


APP_PROBE = """
import json
import django
from django.test.utils import setup_test_environment
django.setup()
setup_test_environment()
from django.test import Client
from talenthub.core.models import User
client = Client()
print(json.dumps({
    "healthz": client.get("/healthz?scope=web").status_code,
    "events": client.get("/events/").status_code,
    "users": User.objects.count(),
    "emails": sorted(User.objects.values_list("email", flat=True)),
}))
"""


@pytest.fixture
def private_database():
    name = f"talenthub_drill_{uuid.uuid4().hex[:12]}"
    env = _pg_env()
    subprocess.run(["createdb", name], env=env, check=True, capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], env=env, capture_output=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_drill(private_database, tmp_path):
    # Data: people, a programme, an event with bookings, emails, the audit trail.
    members = MemberFactory.create_batch(5, full_name="Łucja Nowak-Śliwińska")
    event = EventFactory(capacity=3)
    for member in members[:3]:
        BookingFactory(event=event, member=member)
    ProgrammeFactory.create_batch(2)
    OutboundEmailFactory.create_batch(4)
    AuditLogFactory.create_batch(3)
    # … copied into the private database (pg_dump of this test's own database).
    env = _pg_env()
    dump = tmp_path / "seed.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", connection.settings_dict["NAME"]],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={private_database}", str(dump)],
        env=env,
        check=True,
        capture_output=True,
    )
    media = tmp_path / "media"
    (media / "compact" / "minutes").mkdir(parents=True)
    (media / "compact" / "minutes" / "steering-group-2026-03.pdf").write_bytes(b"%PDF-1.7 minutes")
    (media / "cohorts" / "reports").mkdir(parents=True)
    (media / "cohorts" / "reports" / "Śliwińska project.docx").write_bytes(os.urandom(4096))
    files_before = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    before = snapshot(private_database)
    assert before["core_user"][0] == User.objects.count() >= 5
    assert before["events_booking"][0] == 3

    backed_up = manage(
        "backup",
        "--backup-dir",
        str(tmp_path / "backups"),
        dbname=private_database,
        media_root=media,
    )
    assert backed_up.returncode == 0, backed_up.stderr
    backup = Path(backed_up.stdout.strip().splitlines()[-1])
    assert json.loads((backup / "manifest.json").read_text())["database"] == private_database

    # Disaster: the database is gone, and the uploads are damaged.
    subprocess.run(["dropdb", "--force", private_database], env=env, check=True)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**_pg(private_database)).close()
    (media / "compact" / "minutes" / "steering-group-2026-03.pdf").write_bytes(b"overwritten")
    (media / "stray.txt").write_text("not in the backup")

    refused = manage("restore", str(backup), dbname=private_database, media_root=media)
    assert refused.returncode != 0 and "--yes" in refused.stderr

    restored = manage("restore", str(backup), "--yes", dbname=private_database, media_root=media)
    assert restored.returncode == 0, restored.stderr

    assert snapshot(private_database) == before
    files_after = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert files_after == files_before
    # The portal answers from the restored database (a fresh process, as after a restart).
    probe = manage("shell", "-c", APP_PROBE, dbname=private_database, media_root=media)
    assert probe.returncode == 0, probe.stderr
    answers = json.loads(probe.stdout.strip().splitlines()[-1])
    assert answers["healthz"] == 200 and answers["events"] == 200
    assert answers["emails"] == sorted(User.objects.values_list("email", flat=True))
    assert {m.email for m in members} <= set(answers["emails"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_dropped(private_database, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    backed_up = manage(
        "backup", "--backup-dir", str(tmp_path / "b"), dbname=private_database, media_root=media
    )
    assert backed_up.returncode == 0, backed_up.stderr
    backup = Path(backed_up.stdout.strip().splitlines()[-1])
    with psycopg.connect(**_pg(private_database), autocommit=True) as conn:
        conn.execute("CREATE TABLE still_here (id int)")
    with (backup / "database.dump").open("ab") as dump:
        dump.write(b"damage")
    result = manage("restore", str(backup), "--yes", dbname=private_database, media_root=media)
    assert result.returncode != 0 and "damaged" in result.stderr
    assert "still_here" in snapshot(private_database)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_backup_refuses_sqlite(settings, tmp_path):
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"},
    }
    with pytest.raises(CommandError, match="SQLite"):
        call_command("backup", "--backup-dir", str(tmp_path))
