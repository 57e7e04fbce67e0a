from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talenthub.core"
    label = "core"
    verbose_name = "Core: people and organisations"
