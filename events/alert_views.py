""" "Tell me when booking opens" on an event page: POST to ask, POST to stop."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View

from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services


class BookingAlertView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: email me when booking opens for this event (``stop``: I no longer want to)."""

    stop = False

    def post(self, request, slug):
        event = selectors.event_get(request.user, slug, with_counts=False)
        if self.stop:
            if services.booking_alert_unsubscribe(event=event, member=request.user):
                messages.success(request, "We will not email you when booking opens.")
            return redirect(event.get_absolute_url())
        with self.domain_error_message():
            services.booking_alert_subscribe(event=event, member=request.user)
            messages.success(
                request, "We will email you when booking opens. You can stop this here."
            )
        return redirect(event.get_absolute_url())
