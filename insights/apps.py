from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Equality monitoring and insights"

    def ready(self):
        from . import personal_data

        personal_data.register()
