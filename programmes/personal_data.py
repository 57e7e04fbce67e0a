"""The programmes section of a member's personal data (see
``talenthub.core.personal_data``): their "tell me when it opens" alerts and their
registrations for providers' updates. Registered by ``ProgrammesConfig.ready()``; erasure
deletes both (nothing else depends on them)."""

from talenthub.core import personal_data


def export_programmes(user) -> dict:
    from .models import ProgrammeAlert, ProviderUpdates

    alerts = ProgrammeAlert.objects.filter(member=user).select_related("programme")
    registrations = ProviderUpdates.objects.filter(member=user).select_related("provider")
    return {
        "opening_alerts": [
            {"programme": a.programme.title, "asked_at": a.created_at, "sent_at": a.sent_at}
            for a in alerts.order_by("created_at", "pk")
        ],
        "provider_updates": [
            {"provider": r.provider.name, "registered_at": r.created_at}
            for r in registrations.order_by("created_at", "pk")
        ],
    }


def erase_programmes(user) -> None:
    from .models import ProgrammeAlert, ProviderUpdates

    ProgrammeAlert.objects.filter(member=user).delete()
    ProviderUpdates.objects.filter(member=user).delete()


def register() -> None:
    personal_data.register("programmes", exporter=export_programmes, eraser=erase_programmes)
