"""Backup and restore of a whole deployment: the PostgreSQL database and MEDIA_ROOT.

A backup is a directory ``<backup dir>/<UTC time>/`` holding

- ``database.dump``: ``pg_dump --format=custom`` of the configured database;
- ``media.tar.gz``: every file under MEDIA_ROOT (uploads: minutes, project reports);
- ``manifest.json``: when, which database, and the SHA-256 of both files.

Restoring checks both checksums first, then **drops** the database and creates it anew
(so nothing of the old one, not even a table a newer migration added, is left), restores
the dump into it, and replaces MEDIA_ROOT's contents with the archive's. The PostgreSQL
client programs (pg_dump, pg_restore, dropdb, createdb) must be of the server's major
version or newer; the connection comes from DATABASE_URL, the password through the
environment, never the command line. docs/operations.md, "Backup and restore".
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _database() -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups are of PostgreSQL databases (DATABASE_URL=postgres://…); the embedded "
            "SQLite database is a file: copy db.sqlite3 while the portal is stopped."
        )
    return db


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, backup_dir: str | Path) -> Path:
    """Dump the database and archive MEDIA_ROOT into a new timestamped directory under
    ``backup_dir``; returns it. The portal may keep running: pg_dump reads one consistent
    snapshot (an upload made during the backup may or may not be in the archive)."""
    db = _database()
    target = Path(backup_dir) / timezone.now().strftime("%Y%m%dT%H%M%S.%fZ")
    target.mkdir(parents=True)
    _run(
        ["pg_dump", "--format=custom", f"--file={target / DUMP}", f"--dbname={db['NAME']}"],
        _pg_env(db),
    )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": db["NAME"],
        "files": {name: _sha256(target / name) for name in (DUMP, MEDIA)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return target


def backup_restore(*, source: str | Path) -> dict:
    """Replace the database and MEDIA_ROOT with the backup in ``source``. Refuses (and
    changes nothing) when a file is missing or does not match its checksum."""
    db = _database()
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{source} has no {MANIFEST}: not a backup made by `backup`.") from exc
    for name, expected in manifest["files"].items():
        if not (source / name).is_file() or _sha256(source / name) != expected:
            raise BackupError(f"{source / name} is missing or damaged (checksum differs).")

    connections.close_all()
    env = _pg_env(db)
    name = db["NAME"]
    _run(["dropdb", "--if-exists", "--force", "--maintenance-db=postgres", name], env)
    _run(["createdb", "--maintenance-db=postgres", name], env)
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={name}",
            str(source / DUMP),
        ],
        env,
    )

    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        # "data": no absolute paths, no "..", no links out, no device files.
        archive.extractall(media_root, filter="data")
    return manifest
