from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talenthub.core"
    label = "core"
    verbose_name = "Core: people and organisations"

    def ready(self):
        from . import (
            page_cache,  # noqa: PLC0415
            retention,  # noqa: F401, PLC0415 (registers its system check)
            signals,  # noqa: PLC0415
        )

        signals.connect()
        page_cache.connect()
