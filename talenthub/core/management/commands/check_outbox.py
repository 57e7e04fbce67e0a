"""Report emails stuck in 'sending' and, once a person has decided, send them again.

A row is stuck when a worker was killed between handing the message to the mail server
and recording it, or the connection broke mid-message: the recipient may or may not have
it. The portal never resends such a row on its own (at most once:
docs/adr/0002-outbox-semantics.md). Look in the mail server's log for the Message-ID,
then ``--send-again ID …`` or ``--give-up ID …``. Exits 1 while any row is stuck, so a
monitoring check can run it.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from talenthub.core.models import OutboundEmail
from talenthub.core.notifications import message_id, stuck_emails


class Command(BaseCommand):
    help = "List emails stuck in 'sending'; --send-again or --give-up the ones decided."

    def add_arguments(self, parser):
        parser.add_argument("--send-again", nargs="+", type=int, default=[], metavar="ID")
        parser.add_argument("--give-up", nargs="+", type=int, default=[], metavar="ID")

    def handle(self, *args, send_again, give_up, **options):
        now = timezone.now()
        sending = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING)
        if send_again or give_up:
            again = sending.filter(pk__in=send_again).update(
                status=OutboundEmail.Status.PENDING, claimed_at=None, updated_at=now
            )
            failed = sending.filter(pk__in=give_up).update(
                status=OutboundEmail.Status.FAILED, updated_at=now
            )
            self.stdout.write(f"{again} to send again, {failed} marked failed.")
            return
        stuck = list(stuck_emails().order_by("claimed_at"))
        for email in stuck:
            self.stdout.write(
                f"{email.pk}\t{email.claimed_at:%Y-%m-%d %H:%M}\t{email.to}\t{email.key}\t"
                f"{message_id(email.key)}\t{email.last_error or '-'}"
            )
        self.stdout.write(f"{len(stuck)} email(s) stuck in 'sending' for over 10 minutes.")
        if stuck:
            sys.exit(1)
