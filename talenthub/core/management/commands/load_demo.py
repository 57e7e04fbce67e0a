import importlib
import os

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from talenthub.core import demo

PASSWORD_ENV = "TALENTHUB_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "Load the demo data drawn from the seed documents. Idempotent: running it again "
        "updates the demo rows and never duplicates them. Each installed app may provide a "
        "demo.py with load(stdout); they run in INSTALLED_APPS order. With DEBUG off it "
        f"refuses to run unless given --allow-production and a password in ${PASSWORD_ENV} "
        "(the demo accounts, a superuser among them, never get the public demo password)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=f"Run with DEBUG off; the demo accounts get the password in ${PASSWORD_ENV}.",
        )

    def handle(self, *args, allow_production=False, **options):
        demo.set_demo_password(self._password(allow_production))
        try:
            self._load()
        finally:
            demo.set_demo_password(demo.DEMO_PASSWORD)

    def _password(self, allow_production: bool) -> str:
        if settings.DEBUG:
            return demo.DEMO_PASSWORD
        if not allow_production:
            raise CommandError(
                "DEBUG is off, so this looks like a production stack: load_demo would create "
                "a superuser with the public demo password. To load the demo here anyway, run "
                f"it with --allow-production and the accounts' password in ${PASSWORD_ENV}."
            )
        password = os.environ.get(PASSWORD_ENV, "")
        if not password or password == demo.DEMO_PASSWORD:
            raise CommandError(
                f"--allow-production needs the demo accounts' password in ${PASSWORD_ENV} "
                "(not the public demo password)."
            )
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(f"${PASSWORD_ENV} is too weak: {' '.join(error.messages)}") from None
        return password

    def _load(self):
        for app_config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
        if settings.DEBUG:
            # The published authenticator secret is for demo stacks only: on a DEBUG=0
            # stack each demo staff account sets up its own at its first admin page.
            with transaction.atomic():
                demo.enrol_demo_staff(stdout=self.stdout)
        else:
            self.stdout.write(
                "Demo staff accounts have no second factor yet: each sets one up at its "
                "first admin page."
            )
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
