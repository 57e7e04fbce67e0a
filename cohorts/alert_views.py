""" "Tell me when the next cohort opens" on a programme page: POST to ask (stopping is
the catalogue's own, ``programmes:alert_stop``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from programmes.selectors import programmes_visible_to
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import services


class ProgrammeAlertView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: email me when a cohort of this programme next opens for applications."""

    def post(self, request, slug):
        programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
        with self.domain_error_message():
            services.programme_alert_subscribe(programme=programme, member=request.user)
            messages.success(
                request,
                "We will email you when the next cohort opens for applications. "
                "You can stop this here or on your updates page.",
            )
        return redirect(programme.get_absolute_url())
