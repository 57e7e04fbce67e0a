"""Back up the database (pg_dump, custom format) and MEDIA_ROOT into a new timestamped
directory under --backup-dir (default BACKUP_DIR, else var/backups); `make backup`.

    manage.py backup --backup-dir /srv/backups
"""

import os

from django.core.management.base import BaseCommand, CommandError

from talenthub.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Dump the database and archive MEDIA_ROOT into BACKUP_DIR/<UTC time>/."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup-dir", default=os.environ.get("BACKUP_DIR", "var/backups"), metavar="DIR"
        )

    def handle(self, *args, backup_dir, **options):
        try:
            target = backup_create(backup_dir=backup_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(target))
