from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from talenthub.core.models import Organisation
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import contributions, services
from .filters import ProgrammeFilter
from .selectors import (
    member_updates,
    programme_catalogue,
    programme_page,
    programme_updates_state,
    programmes_visible_to,
)


class CatalogueView(FilterView):
    """The public catalogue: published programmes, filtered by GET parameters."""

    template_name = "programmes/programme_list.html"
    filterset_class = ProgrammeFilter
    context_object_name = "programmes"

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        return programme_catalogue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        context["is_filtered"] = any(self.request.GET.get(name) for name in filterset.filters)
        return context


class ProgrammeDetailView(TemplateView):
    """One programme: 404 unless published, or the user may see drafts of its owner.
    Its upcoming cohorts and events and its selection framework are parts the apps above
    the catalogue register (``programmes/contributions.py``)."""

    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = programme_page(slug=kwargs["slug"], user=self.request.user)
        context.update(
            page=page,
            programme=page.programme,
            parts=contributions.page_parts(page.programme, self.request.user),
            updates=programme_updates_state(page.programme, self.request.user),
        )
        return context


def _back(request, default: str):
    """The page the form was on (its ``next``), if it is ours, else ``default``."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(default)


class MyUpdatesView(LoginRequiredMixin, TemplateView):
    """The member's "tell me when it opens" alerts not yet sent and the providers whose
    updates they registered for, each with a button to stop it."""

    template_name = "programmes/my_updates.html"

    def get_context_data(self, **kwargs):
        alerts, registrations = member_updates(self.request.user)
        return super().get_context_data(alerts=alerts, registrations=registrations, **kwargs)


class ProgrammeAlertStopView(LoginRequiredMixin, View):
    """POST: stop my "tell me when it opens" on a programme I may see (else 404)."""

    def post(self, request, slug):
        programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
        if services.programme_alert_unsubscribe(programme=programme, member=request.user):
            messages.success(
                request,
                _("We will not email you when %(programme)s opens.")
                % {"programme": programme.title},
            )
        return _back(request, programme.get_absolute_url())


class ProgrammeAlertSubscribeView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: "tell me when it next opens" on a programme the member may see (else 404).
    What opening means is the app's above (cohorts, alumni): a subclass names its
    ``subscribe(programme=, member=)`` service and the ``success_message``."""

    success_message = ""

    def subscribe(self, *, programme, member):
        raise NotImplementedError

    def post(self, request, slug):
        programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
        with self.domain_error_message():
            self.subscribe(programme=programme, member=request.user)
            messages.success(request, self.success_message)
        return redirect(programme.get_absolute_url())


class ProviderUpdatesView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: register for a provider's updates (``stop``: stop them)."""

    stop = False

    def post(self, request, pk):
        provider = get_object_or_404(Organisation.objects.filter(is_provider=True), pk=pk)
        if self.stop:
            if services.provider_updates_unsubscribe(provider_id=provider.pk, member=request.user):
                messages.success(
                    request,
                    _("You will no longer get updates from %(provider)s.") % {"provider": provider},
                )
        else:
            with self.domain_error_message():
                services.provider_updates_subscribe(provider=provider, member=request.user)
                messages.success(
                    request,
                    f"You are registered for updates from {provider}: we will email you "
                    "when it opens a cohort or publishes an event.",
                )
        return _back(request, "programmes:my_updates")
