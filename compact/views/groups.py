"""The compact's groups and their current members."""

from django.views.generic import TemplateView

from .. import selectors
from .compacts import CompactMixin


class GroupListView(CompactMixin, TemplateView):
    required = "member"
    template_name = "compact/group_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.group_list(compact=self.compact), **kwargs)
