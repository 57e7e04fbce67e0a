"""The compact's documents: the list with its upload form, and downloads."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import DocumentUploadForm
from ..models import Document
from .compacts import CompactMixin


class DocumentListView(CompactMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/document_list.html"
    form_class = DocumentUploadForm

    def post(self, request, *args, **kwargs):
        if not self.access.is_editor:
            raise Http404("Not available to you.")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meetings"] = selectors.meetings_for_documents(compact=self.compact)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.document_upload(
                compact=self.compact,
                uploaded=data["file"],
                title=data["title"],
                kind=data["kind"],
                visibility=data["visibility"],
                meeting=data["meeting"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The document has been added.")
        return redirect("compact:document_list", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        documents = self.compact.documents.visible_at(self.access.document_levels).select_related(
            "compact", "meeting__group"
        )
        page = Paginator(documents, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page_obj=page, documents=page.object_list, **kwargs)


class DocumentDownloadView(CompactMixin, TemplateView):
    """Serves a stored document only to those allowed to read it."""

    def get(self, request, *args, **kwargs):
        document = (
            self.compact.documents.visible_at(self.access.document_levels)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if document is None:
            raise Http404("No such document.")
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=document.content_type != "application/pdf",
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = (
            "public, max-age=3600"
            if document.visibility == Document.Visibility.PUBLIC
            else "private, no-store"
        )
        return response
