"""Uploaded documents, checked by content and size before they are stored."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import Compact, Document, Group, Meeting
from ..uploads import EXTENSIONS, validate_document


def _document_from_upload(*, compact, uploaded, title, kind, visibility, meeting=None, actor=None):
    try:
        content_type = validate_document(uploaded)
    except ValidationError as exc:
        # The file itself is refused (code "empty", "too_big" or "type"): told against
        # the ``file`` field, so an upload form shows it next to the file input.
        raise CompactError.from_validation_error(ValidationError({"file": exc.error_list})) from exc
    base = os.path.splitext(os.path.basename(uploaded.name or "document"))[0][:200] or "document"
    document = Document(
        compact=compact,
        title=title,
        kind=kind,
        visibility=visibility,
        meeting=meeting,
        original_name=f"{base}.{EXTENSIONS[content_type]}",
        content_type=content_type,
        size=uploaded.size,
        published_on=timezone.localdate(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(document.original_name, uploaded, save=False)
    try:
        clean_or_raise(document, CompactError)
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_upload(
    *, compact: Compact, uploaded, title: str, kind: str, visibility: str, meeting=None, actor=None
) -> Document:
    """Store an uploaded document under MEDIA_ROOT with a random name, after checking its
    type by content and its size (``uploads.validate_document``). A document attached to
    a meeting must be of the same compact (``Document.clean``); minutes only to a meeting
    that was held, papers to one that is scheduled or held."""
    if meeting is not None:
        # Refusals about the meeting are told against the ``meeting`` field (shown at the
        # top of a form that has none, e.g. the meeting's own page).
        if kind == Document.Kind.MINUTES and meeting.status != Meeting.Status.HELD:
            message = _("Minutes can be added only to a meeting that has been held.")
            raise CompactError(
                message,
                code="minutes_before_held",
                field_errors={"meeting": [message]},
                non_field_errors=[],
            )
        if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.HELD):
            message = _(
                "This meeting was %(status)s: add papers to the meeting that took its place."
            ) % {"status": meeting.get_status_display().lower()}
            raise CompactError(
                message,
                code="meeting_moved_or_cancelled",
                field_errors={"meeting": [message]},
                non_field_errors=[],
            )
    try:
        document = _document_from_upload(
            compact=compact,
            uploaded=uploaded,
            title=title,
            kind=kind,
            visibility=visibility,
            meeting=meeting,
            actor=actor,
        )
    except ValidationError as exc:
        raise CompactError.from_validation_error(exc) from exc
    audit_record(actor=actor, action="compact.document_uploaded", obj=document)
    return document


@transaction.atomic
def document_update(*, document: Document, actor, changed=()) -> Document:
    """Save corrected details of a document (title, kind, visibility, meeting; never
    its file): ``Document.clean`` keeps its meeting within its compact."""
    clean_or_raise(document, CompactError)
    document.save()
    audit_record(
        actor=actor,
        action="compact.document_updated",
        obj=document,
        data={"changed": list(changed)},
    )
    return document


@transaction.atomic
def subgroup_report_attach(
    *, meeting: Meeting, group: Group, uploaded, title: str, visibility: str, actor
) -> Document:
    """Route a task-and-finish group's report to a meeting of the group it reports to
    (the steering group): stored as a report paper of that meeting, naming the sub-group.
    Refused for a group that does not report to the meeting's group, and for a meeting
    moved or cancelled (as every paper)."""
    if group.reports_to_id != meeting.group_id:
        message = _("The %(group)s does not report to the %(to)s.") % {
            "group": group,
            "to": meeting.group,
        }
        raise CompactError(
            message,
            code="report_not_to_this_group",
            field_errors={"group": [message]},
            non_field_errors=[],
        )
    document = document_upload(
        compact=meeting.group.compact,
        uploaded=uploaded,
        title=title.strip() or f"Report of the {group}",
        kind=Document.Kind.REPORT,
        visibility=visibility,
        meeting=meeting,
        actor=actor,
    )
    document.from_group = group
    document.save(update_fields=["from_group"])
    audit_record(actor=actor, action="compact.subgroup_report_attached", obj=document)
    return document
