from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class MonitoringSummaryView(LoginRequiredMixin, TemplateView):
    template_name = "insights/monitoring_summary.html"
