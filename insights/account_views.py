"""A member's own equality monitoring: view, answer or change, withdraw. These pages
show a record to its own person only (it is always ``request.user``'s), are never
cached, and their POST data is marked sensitive so error reports never include it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from .choices import CHARACTERISTICS
from .disclosure import threshold
from .exceptions import InsightsError
from .forms import MonitoringForm
from .models import CONSENT_PURPOSE, CONSENT_VERSION, MonitoringRecord
from .services import monitoring_save, monitoring_withdraw

private = [never_cache, sensitive_post_parameters()]


def own_record(user) -> MonitoringRecord | None:
    return MonitoringRecord.objects.filter(user=user).first()


@method_decorator(private, name="dispatch")
class MonitoringSummaryView(LoginRequiredMixin, TemplateView):
    template_name = "insights/monitoring_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = own_record(self.request.user)
        context["record"] = record
        # The current statement; a record also carries the version its person agreed to
        # (``record.consent_statement``), which the page shows back to them.
        context["consent_purpose"] = CONSENT_PURPOSE
        context["consent_version"] = CONSENT_VERSION
        context["threshold"] = threshold()
        if record is not None:
            context["answers"] = [
                (c.question, getattr(record, f"get_{name}_display")())
                for name, c in CHARACTERISTICS.items()
            ]
        return context


@method_decorator(private, name="dispatch")
class MonitoringFormView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "insights/monitoring_form.html"
    form_class = MonitoringForm
    success_url = reverse_lazy("monitoring")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["record"] = own_record(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = own_record(self.request.user)
        context["consent_version"] = CONSENT_VERSION
        return context

    def form_valid(self, form):
        had_record = own_record(self.request.user) is not None
        try:
            monitoring_save(
                user=self.request.user,
                consent=form.cleaned_data["consent"],
                answers=form.answers(),
            )
        except InsightsError as error:
            return self.domain_error_form_invalid(form, error)
        messages.success(
            self.request,
            "Your answers have been changed."
            if had_record
            else "Thank you: your answers have been saved.",
        )
        return super().form_valid(form)


@method_decorator(private, name="dispatch")
class MonitoringWithdrawView(LoginRequiredMixin, TemplateView):
    template_name = "insights/monitoring_withdraw.html"

    def get(self, request, *args, **kwargs):
        if own_record(request.user) is None:
            messages.info(request, "You have not given any equality monitoring information.")
            return redirect("monitoring")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if monitoring_withdraw(user=request.user):
            messages.success(
                request, "You have withdrawn your consent and your answers have been deleted."
            )
        return redirect("monitoring")
