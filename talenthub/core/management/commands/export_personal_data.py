"""A person's personal data, for a subject access request from someone who cannot sign
in (the member's own "Download your data" gives the same file). Written to --output with
permissions 0600; the export is audit-logged with --reason.

    manage.py export_personal_data --email l.nowak@trust.nhs.uk --output sar-118.json \\
        --reason "SAR 118, identity checked by the DPO"
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talenthub.core.models import User
from talenthub.core.personal_data import export_personal_data
from talenthub.core.services import account_find_by_email, audit_record


class Command(BaseCommand):
    help = "Write everything the portal holds about the person with --email to --output."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--output", required=True, help="A new file (never overwritten).")
        parser.add_argument("--reason", required=True, help="Why: kept in the audit log.")

    def handle(self, *args, email, output, reason, **options):
        try:
            user = account_find_by_email(email=email)
        except User.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        path = Path(output)
        data = json.dumps(export_personal_data(user), indent=2, ensure_ascii=False)
        try:
            # Created, never overwritten, readable by its owner only: it is personal data.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists; give a new file.") from exc
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            f.write(data)
        audit_record(
            actor=None, action="personal_data.exported_by_operator", obj=user, reason=reason
        )
        self.stdout.write(f"Wrote the personal data of account {user.pk} to {path}.")
