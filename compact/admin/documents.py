"""Documents (uploaded through the site, corrected here)."""

from django.contrib import admin

from .. import services
from ..models import Document
from .scoping import CompactScopedAdmin


@admin.register(Document)
class DocumentAdmin(CompactScopedAdmin):
    """Uploads go through the site's pages (``services.document_upload`` checks the
    content): the meeting's page for papers and minutes, the documents page otherwise.
    Here an existing document's details can be corrected; ``Document.clean`` keeps its
    meeting within its compact."""

    list_display = ["title", "compact", "kind", "visibility", "published_on", "size"]
    list_filter = ["kind", "visibility", "compact"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]
    raw_id_fields = ["meeting"]

    def has_add_permission(self, request):
        return False  # uploads are validated by the service (the documents page)

    def save_model(self, request, obj, form, change):
        services.document_update(document=obj, actor=request.user, changed=form.changed_data)
