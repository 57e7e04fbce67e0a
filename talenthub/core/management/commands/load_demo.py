import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from talenthub.core import demo


class Command(BaseCommand):
    help = (
        "Load the demo data drawn from the seed documents. Idempotent: running it again "
        "updates the demo rows and never duplicates them. Each installed app may provide a "
        "demo.py with load(stdout); they run in INSTALLED_APPS order."
    )

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
        with transaction.atomic():
            demo.enrol_demo_staff(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
