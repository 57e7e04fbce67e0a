"""Terms of reference: every version, and one version beside the one before it."""

from django.utils import timezone
from django.views.generic import TemplateView

from .. import selectors
from ..diff import terms_diff
from .compacts import CompactMixin


class TermsListView(CompactMixin, TemplateView):
    template_name = "compact/terms_list.html"

    def get_context_data(self, **kwargs):
        in_force = selectors.terms_in_force(compact=self.compact)
        return super().get_context_data(
            versions=selectors.terms_list(compact=self.compact),
            in_force=in_force,
            # Flagged: the annual review of the terms in force is past its date.
            review_overdue=in_force is not None and in_force.review_due_on < timezone.localdate(),
            **kwargs,
        )


class TermsDetailView(CompactMixin, TemplateView):
    """One version, with the change from the previous version side by side."""

    template_name = "compact/terms_detail.html"

    def get_context_data(self, **kwargs):
        terms = selectors.terms_get(compact=self.compact, version=self.kwargs["version"])
        previous = (
            selectors.terms_get(compact=self.compact, version=terms.version - 1)
            if terms.version > 1
            else None
        )
        return super().get_context_data(
            terms=terms,
            previous=previous,
            rows=terms_diff(previous, terms) if previous else [],
            **kwargs,
        )
