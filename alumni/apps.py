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

        # A talent pool's intake and "tell me when it next opens", on its programme page.
        from programmes import contributions

        contributions.register_page_part(
            "alumni.pool_alert",
            slot="how_to_apply",
            order=20,
            template="alumni/_pool_alert.html",
            items=_pool_alert_part,
        )

        # The hub's "My career story" and pledges sections are this app's pages; the hub
        # (a lower layer) lists them through its registry.
        from resources import contributions as hub

        hub.register_section(
            "alumni.career_stories",
            group="inclusion",
            order=10,
            title=_("My career story"),
            url_name="alumni:stories",
            summary=_(
                "Leaders share what they have learned from their own career pathways: "
                "their beginnings, their route to their current jobs and tips for "
                "others. Share yours too."
            ),
        )
        hub.register_section(
            "alumni.pledges",
            group="inclusion",
            order=20,
            title=_("Pledges to drive equality"),
            url_name="alumni:pledges",
            summary=_(
                "HR and OD leaders' public pledges to lead more inclusive and diverse "
                "departments. Make yours with the pledge form."
            ),
        )


def _pool_alert_part(programme, user):
    """For a talent pool: its next intake (for everyone) and, for a signed-in member,
    the alert asked or the button to ask (when the intake is not open)."""
    from programmes.models import Programme, ProgrammeAlert

    from .services_alerts import pool_alert_refusal

    if programme.kind != Programme.Kind.TALENT_POOL:
        return None
    alert = None
    if user.is_authenticated:
        alert = ProgrammeAlert.objects.filter(
            programme=programme, member=user, sent_at__isnull=True
        ).first()
    can_ask = user.is_authenticated and pool_alert_refusal(programme) is None
    if not (programme.intake_opens_on or alert or can_ask):
        return None
    return {"programme": programme, "alert": alert, "can_ask": can_ask}
