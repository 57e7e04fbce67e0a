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
            charters=charters,
            charter=charters[0] if charters else None,
            signatories=signatories,
            today=timezone.localdate(),
            **kwargs,
        )


class CharterVersionView(CompactMixin, TemplateView):
    """An earlier (or the current) charter version, with the organisations that signed
    it: the archive of the members' charter (public)."""

    template_name = "compact/charter_version.html"

    def get_context_data(self, **kwargs):
        charter = selectors.charter_version_get(compact=self.compact, pk=self.kwargs["pk"])
        return super().get_context_data(
            charter=charter,
            signatories=selectors.charter_version_signatories(charter=charter),
            **kwargs,
        )


class PrioritiesArchiveView(CompactMixin, TemplateView):
    """Every statement of annual priorities, latest first (public)."""

    template_name = "compact/priorities_archive.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statements=selectors.statements_archive(compact=self.compact), **kwargs
        )
