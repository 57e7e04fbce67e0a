"""Running a cohort: attendance, visibility, project work, not completing (completing is
``completion``)."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Attendance, Participant, ProjectWork, Session
from ..uploads import detect_report_type


@transaction.atomic
def attendance_record(
    *, session: Session, participant: Participant, status: str, actor
) -> Attendance:
    """Record (or correct) one participant's attendance at one session of their cohort."""
    if participant.cohort_id != session.cohort_id:
        raise CohortError(
            _("This participant is not in the session's cohort."), code="participant_not_in_cohort"
        )
    if status not in Attendance.Status.values:
        raise CohortError(_("Choose present, absent or apologies."), code="attendance_invalid")
    # Apologies come before a session; whether someone came is known only on the day.
    if status != Attendance.Status.APOLOGIES and session.date > timezone.localdate():
        raise CohortError(
            _(
                "Attendance can be recorded from the day of the session (%(date)s); before "
                "then, only apologies."
            )
            % {"date": date_format(session.date, "j F Y")},
            code="attendance_before_session",
        )
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={"status": status, "recorded_by": actor},
    )
    return attendance


@transaction.atomic
def session_attendance_record(*, session: Session, statuses: dict[int, str], actor) -> int:
    """Record the attendance page's choices (participant id → status) for one session,
    all or nothing: one refusal (a future date, a stranger to the cohort) records none.
    Returns the number recorded."""
    participants = session.cohort.participants.active().filter(pk__in=statuses)
    recorded = 0
    for participant in participants:
        attendance_record(
            session=session, participant=participant, status=statuses[participant.pk], actor=actor
        )
        recorded += 1
    return recorded


@transaction.atomic
def participant_set_visibility(*, participant: Participant, visible: bool) -> Participant:
    participant.visible_to_cohort = visible
    participant.save(update_fields=["visible_to_cohort", "updated_at"])
    return participant


@transaction.atomic
def project_work_submit(
    *, participant: Participant, title: str, summary: str, profession_map_area: str, upload
) -> ProjectWork:
    """Store (or replace) the participant's project report. The file's type is checked by
    its content (PDF, DOCX or PPTX only) and its size against the limit; it is stored
    under MEDIA_ROOT with a safe name and served only by the permission-checked view.
    Refused on a cohort whose version has no project work (a workshop such as Inspire
    OD, unless its version asks for it)."""
    if participant.status == Participant.Status.WITHDRAWN:
        raise CohortError(
            _("You are no longer a participant of this cohort."), code="not_participant"
        )
    if not participant.cohort.version.offers_project_work:
        raise CohortError(
            _("%(version)s has no project work to submit.")
            % {"version": participant.cohort.version.name},
            code="project_work_not_offered",
        )
    try:
        file_type = detect_report_type(upload)
    except ValidationError as exc:
        raise CohortError.from_validation_error(
            ValidationError({"report": exc.error_list}), code="report_invalid"
        ) from exc
    original = os.path.basename(upload.name or "")[:255]
    safe_name = f"report.{file_type}"
    work = ProjectWork.objects.select_for_update().filter(participant=participant).first()
    old_file = work.file.name if work and work.file else None
    if work is None:
        work = ProjectWork(participant=participant)
    work.title = title.strip()
    work.summary = summary.strip()
    work.profession_map_area = profession_map_area
    work.file_type = file_type
    work.original_filename = get_valid_filename(original) or safe_name
    work.size = upload.size
    work.submitted_at = timezone.now()
    work.file.save(safe_name, upload, save=False)
    clean_or_raise(work, CohortError)
    work.save()
    if old_file and old_file != work.file.name:
        storage = work.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return work


@transaction.atomic
def participant_mark_not_completed(*, participant: Participant, actor, reason: str) -> Participant:
    """Mark a participant as not having completed, with the reason (required)."""
    if not reason.strip():
        raise CohortError(
            _("Give the reason the participant did not complete."), code="reason_required"
        )
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.status = Participant.Status.NOT_COMPLETED
    participant.completed_at = None
    participant.completion_reason = reason.strip()
    participant.completion_recorded_by = actor
    clean_or_raise(participant, CohortError)
    participant.save()
    audit_record(
        actor=actor, action="cohorts.participant_not_completed", obj=participant, reason=reason
    )
    return participant
