from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Career resource hub"

    def ready(self):
        from . import personal_data

        personal_data.register()
