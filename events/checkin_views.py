"""Check-in at the door (docs/events.md, "Check-in"): the organiser's door list with a
search and one button per person, and the member's self check-in with the event's code.
Every button is a plain POST form (CSRF, works without JavaScript); the door list is a
GOV.UK summary list, which stacks on a 320 px phone and prints without its buttons."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from talenthub.core.pagination import CountWhenFullPaginator
from talenthub.core.permissions import ProgrammeManagerRequiredMixin
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services
from .services.checkin import checkin_opens_on


class DoorListView(ProgrammeManagerRequiredMixin, TemplateView):
    """GET ``/events/manage/<slug>/door/?q=``: everyone with a place, by name."""

    template_name = "events/door_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = selectors.event_managed_get(self.request.user, self.kwargs["slug"])
        search = self.request.GET.get("q", "")[:100]
        paginator = CountWhenFullPaginator(
            selectors.door_list(event, search), settings.TALENTHUB["PAGE_SIZE"] * 5
        )
        page_obj = paginator.get_page(self.request.GET.get("page"))
        context.update(
            event=event,
            search=search,
            page_obj=page_obj,
            bookings=page_obj.object_list,
            counts=selectors.door_list_counts(event),
            checkin_open=services.checkin_is_open(event),
            opens_on=checkin_opens_on(event),
        )
        return context


class CheckInView(ProgrammeManagerRequiredMixin, DomainErrorFormMixin, View):
    """POST: mark one person attended, then back to the same search and page."""

    def post(self, request, slug, pk):
        event = selectors.event_managed_get(request.user, slug)
        booking = get_object_or_404(event.bookings.select_related("member"), pk=pk)
        with self.domain_error_message() as refused:
            services.booking_check_in(booking=booking, actor=request.user)
        if not refused:
            messages.success(request, f"{booking.member.full_name} is checked in.")
        query = {
            key: request.POST[key] for key in ("q", "page") if request.POST.get(key, "").strip()
        }
        url = reverse("events:door_list", args=[event.slug])
        return redirect(f"{url}?{urlencode(query)}#booking-{booking.pk}" if query else url)


class SelfCheckInForm(forms.Form):
    code = forms.CharField(
        label="Check-in code",
        help_text="The code shown at the event, for example K7PM2Q.",
        max_length=20,
        error_messages={"required": "Enter the check-in code shown at the event"},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class SelfCheckInView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST from the event page on the day: the member enters the code → attended."""

    def post(self, request, slug):
        event = selectors.event_get(request.user, slug, with_counts=False)
        form = SelfCheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["code"][0])
        else:
            with self.domain_error_message() as refused:
                services.booking_self_check_in(
                    event=event, member=request.user, code=form.cleaned_data["code"]
                )
            if not refused:
                messages.success(request, "You are checked in. Enjoy the event.")
        return redirect(event.get_absolute_url())


class CheckinCodeResetView(ProgrammeManagerRequiredMixin, DomainErrorFormMixin, View):
    """POST from the door list: a new self check-in code; the old one stops working."""

    def post(self, request, slug):
        event = selectors.event_managed_get(request.user, slug)
        with self.domain_error_message() as refused:
            event = services.event_checkin_code_reset(event=event, actor=request.user)
        if not refused:
            messages.success(
                request,
                f"The self check-in code is now {event.checkin_code}. "
                "The old code no longer works.",
            )
        return redirect("events:door_list", slug=event.slug)
