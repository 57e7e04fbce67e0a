from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talenthub.core.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the code the demo staff accounts' authenticator app shows now (their "
        "published demo secret, README). Development only: refuses with DEBUG=0."
    )

    def handle(self, *args, **options):
        from allauth.mfa.totp.internal.auth import (  # noqa: PLC0415
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        if not settings.DEBUG:
            raise CommandError("demo_totp_code is for the demo only: DEBUG is off.")
        counters = list(yield_hotp_counters_from_time())
        counter = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
