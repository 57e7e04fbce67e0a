""" "Tell me when the next cohort opens" on a programme page: POST to ask (stopping is
the catalogue's own, ``programmes:alert_stop``)."""

from programmes.views import ProgrammeAlertSubscribeView

from . import services


class ProgrammeAlertView(ProgrammeAlertSubscribeView):
    """POST: email me when a cohort of this programme next opens for applications."""

    success_message = (
        "We will email you when the next cohort opens for applications. "
        "You can stop this here or on your updates page."
    )

    def subscribe(self, *, programme, member):
        services.programme_alert_subscribe(programme=programme, member=member)
