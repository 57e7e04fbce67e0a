""" "Tell me when this pool next opens" on a talent pool's page: POST to ask (stopping is
the catalogue's own, ``programmes:alert_stop``)."""

from programmes.views import ProgrammeAlertSubscribeView

from . import services_alerts


class PoolAlertView(ProgrammeAlertSubscribeView):
    """POST: email me when this talent pool's next intake opens."""

    success_message = (
        "We will email you when this pool's next intake opens. "
        "You can stop this here or on your updates page."
    )

    def subscribe(self, *, programme, member):
        services_alerts.pool_alert_subscribe(pool=programme, member=member)
