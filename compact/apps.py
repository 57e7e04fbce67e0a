from django.apps import AppConfig


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = "Compacts"

    def ready(self):
        from . import personal_data

        personal_data.register()

        from . import signals

        signals.connect()

        from talenthub.core import unsubscribe

        from .services import (
            bulletin_unsubscribe_label,
            bulletin_unsubscribe_manage_url,
            bulletin_unsubscribe_turn_off,
        )

        unsubscribe.register(
            "bulletin",
            label=bulletin_unsubscribe_label,
            turn_off=bulletin_unsubscribe_turn_off,
            manage_url=bulletin_unsubscribe_manage_url,
        )
