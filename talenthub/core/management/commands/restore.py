"""Restore a backup made by `manage.py backup`: the database is DROPPED and created anew
from the dump, MEDIA_ROOT's contents replaced by the archive's; `make restore
BACKUP=<dir>`. Stop web, worker and beat first (docs/operations.md, "Backup and
restore"); without --yes nothing is done.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talenthub.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and MEDIA_ROOT with a backup (drops the database)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A directory made by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Yes, drop the database and replace it."
        )

    def handle(self, *args, backup, yes, **options):
        if not yes:
            name = settings.DATABASES["default"]["NAME"]
            raise CommandError(
                f"This drops the database {name} and replaces MEDIA_ROOT "
                f"({settings.MEDIA_ROOT}) with the backup in {backup}. Add --yes to do it."
            )
        try:
            manifest = backup_restore(source=backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {settings.DATABASES['default']['NAME']} and MEDIA_ROOT from the "
            f"backup of {manifest['database']} made at {manifest['created_at']}."
        )
