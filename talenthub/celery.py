"""The Celery app. Configured from Django settings (CELERY_* names); tasks are found in
each installed app's tasks.py. Without REDIS_URL the settings make every task run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talenthub.settings")

app = Celery("talenthub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
