from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self):
        from . import personal_data

        personal_data.register()
        _register_unsubscribe()


def _register_unsubscribe():
    """The one-click link in a provider's announcements to a member registered for its
    updates stops those updates (scope: the provider's id)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from talenthub.core import unsubscribe
    from talenthub.core.models import Organisation

    def label(scope):
        provider = Organisation.objects.filter(pk=scope).first()
        return _("updates from %(provider)s") % {"provider": provider or _("this provider")}

    def turn_off(*, user, scope=None):
        from .services import provider_updates_unsubscribe

        provider_updates_unsubscribe(provider_id=scope, member=user, record_consent=False)

    unsubscribe.register(
        "provider",
        label=label,
        turn_off=turn_off,
        manage_url=lambda scope: reverse("programmes:my_updates"),
    )
