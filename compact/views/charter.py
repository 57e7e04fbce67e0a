"""The members' charter and its signatories."""

from django.utils import timezone
from django.views.generic import TemplateView

from .. import selectors
from .compacts import CompactMixin


class CharterView(CompactMixin, TemplateView):
    template_name = "compact/charter.html"

    def get_context_data(self, **kwargs):
        charters = list(self.compact.charters.all())
        signatories = selectors.signatories_latest(compact=self.compact)
        return super().get_context_data(
            charter=charters[0] if charters else None,
            signatories=signatories,
            today=timezone.localdate(),
            **kwargs,
        )
