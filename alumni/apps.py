from django.apps import AppConfig


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = "Alumni"

    def ready(self):
        from . import personal_data

        # Until the cohorts app registers its own section, this app registers it.
        personal_data.register()
