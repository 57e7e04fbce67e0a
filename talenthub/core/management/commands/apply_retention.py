"""Delete what the portal keeps no longer (docs/retention.md), as the hourly
``core-apply-retention`` beat task does, but until nothing is due: for a backlog (the
first run on old data) or after changing a retention setting.

    manage.py apply_retention            # purge, and say how many of each
    manage.py apply_retention --dry-run  # only say what is due
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from talenthub.core.retention import retention_apply


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Purge old outbox bodies, expired account emails, old audit entries, expired sessions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        if dry_run:
            # The same purge in one transaction that is rolled back: the counts are
            # exactly what a real run would do now. (Sessions kept outside the database,
            # in files, are not counted: there, even a dry run clears them.)
            try:
                with transaction.atomic():
                    done = retention_apply(now=now)
                    raise _DryRun
            except _DryRun:
                pass
        else:
            done = retention_apply(now=now)
        verb = "due" if dry_run else "purged"
        for name, count in done.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count} {verb}")
