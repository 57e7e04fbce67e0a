"""Erase a person's account and personal data, for someone who cannot sign in to do it
themselves (the same erasure as the member's own "Delete your account": records such as
bookings and attendance stay, anonymised; the account can never sign in again). Without
--yes it only says whose account it would erase. Audit-logged with --reason.

    manage.py erase_person --email l.nowak@trust.nhs.uk --reason "Erasure request 57" --yes
"""

from django.core.management.base import BaseCommand, CommandError

from talenthub.core.models import User
from talenthub.core.services import account_erase, account_find_by_email


class Command(BaseCommand):
    help = "Erase the account and personal data of the person with --email (needs --yes)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--reason", required=True, help="Why: kept in the audit log.")
        parser.add_argument("--yes", action="store_true", help="Yes, erase it; cannot be undone.")

    def handle(self, *args, email, reason, yes, **options):
        try:
            user = account_find_by_email(email=email)
        except User.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        if not yes:
            raise CommandError(
                f"This erases account {user.pk} ({user.email}, joined {user.date_joined:%Y-%m-%d})"
                " for good. Add --yes to do it."
            )
        account_erase(user=user, reason=reason)
        self.stdout.write(f"Erased account {user.pk}.")
