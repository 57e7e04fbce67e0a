from django.apps import AppConfig


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = "Compacts"

    def ready(self):
        from . import personal_data

        personal_data.register()
