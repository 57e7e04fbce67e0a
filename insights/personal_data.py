"""The equality monitoring section of a member's personal data download and erasure
(see ``talenthub.core.personal_data``): the person's own answers, with the consent they
gave; erasure deletes the record outright."""

from talenthub.core import personal_data

from .choices import CHARACTERISTICS


def export_monitoring(user) -> dict:
    from .models import MonitoringRecord

    record = MonitoringRecord.objects.filter(user=user).first()
    if record is None:
        return {"monitoring_record": None}
    return {
        "monitoring_record": {
            "consent_given_at": record.consent_given_at,
            "consent_version": record.consent_version,
            "answers": {
                str(c.label): getattr(record, f"get_{name}_display")()
                for name, c in CHARACTERISTICS.items()
            },
            "updated_at": record.updated_at,
        }
    }


def erase_monitoring(user) -> None:
    from .services import monitoring_withdraw

    monitoring_withdraw(user=user)


def register():
    personal_data.register(
        "equality_monitoring", exporter=export_monitoring, eraser=erase_monitoring
    )
