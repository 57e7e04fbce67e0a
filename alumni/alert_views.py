""" "Tell me when this pool next opens" on a talent pool's page: POST to ask (stopping is
the catalogue's own, ``programmes:alert_stop``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from programmes.selectors import programmes_visible_to
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import services_alerts


class PoolAlertView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: email me when this talent pool's next intake opens."""

    def post(self, request, slug):
        pool = get_object_or_404(programmes_visible_to(request.user), slug=slug)
        with self.domain_error_message():
            services_alerts.pool_alert_subscribe(pool=pool, member=request.user)
            messages.success(
                request,
                "We will email you when this pool's next intake opens. "
                "You can stop this here or on your updates page.",
            )
        return redirect(pool.get_absolute_url())
