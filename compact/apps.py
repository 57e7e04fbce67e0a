from django.apps import AppConfig


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = "Compacts"
