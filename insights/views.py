from django.views.generic import TemplateView

from .permissions import InsightsAccessMixin


class InsightsIndexView(InsightsAccessMixin, TemplateView):
    template_name = "insights/index.html"
