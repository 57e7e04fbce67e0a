from django.conf import settings
from django.views.generic import TemplateView
from django_filters.views import FilterView

from . import contributions
from .filters import ProgrammeFilter
from .selectors import programme_catalogue, programme_page


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
        )
        return context
