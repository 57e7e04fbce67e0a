from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = "Alumni"

    def ready(self):
        from . import personal_data

        personal_data.register()

        from talenthub.core.signals import current_role_changed

        from .services import copy_current_role_from_profile

        current_role_changed.connect(
            copy_current_role_from_profile, dispatch_uid="alumni.copy_current_role"
        )

        from talenthub.core import unsubscribe

        from .services import career_updates_turn_off

        unsubscribe.register(
            "career_updates",
            label=lambda scope: str(_("emails about alumni career updates")),
            turn_off=career_updates_turn_off,
            manage_url=lambda scope: reverse("alumni:my_profile"),
        )
