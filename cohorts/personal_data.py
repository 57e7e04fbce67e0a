"""The cohorts section of a member's personal data (see ``talenthub.core.personal_data``).
Registered by ``CohortsConfig.ready()``.

Erasure keeps what aggregate figures are computed from: every application and
participation row with its status, attendance, completion, scores and feedback ratings,
so cohort sizes, attendance and completion counts and rating averages do not change. What
goes is what the person wrote or what identifies them: answers, comments, line manager
details, free-text reasons, project reports (the file is deleted from storage after
commit) and reviewer roles.

Places are changed only through the cohorts services, which lock the cohort first: the
member's open applications are withdrawn, an open offer is declined (so the place goes to
the next person on the waiting list, who is emailed as usual), and a place on a cohort
that has not started is given up (as ``participant_withdraw`` does for a manager, which
also returns a subsidised place to its scheme). No email about any of this goes to the
erased member: their pending cohorts emails are marked failed.
"""

from django.db import transaction
from django.utils import timezone

from talenthub.core import personal_data

ERASED = "(erased)"
ERASED_REASON = "Account deleted"


def export_cohorts(user) -> dict:
    from .models import Application, CohortReviewer, Participant, ProjectReview
    from .selectors import waiting_list_position

    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cohort")
        .prefetch_related("answers__question", "competency_scores__competency")
        .order_by("created_at", "pk")
    )
    participations = (
        Participant.objects.filter(user=user)
        .select_related("cohort", "project_work", "feedback", "subsidy_allocation")
        .prefetch_related("attendance__session__module", "feedback__module_ratings__module")
        .order_by("enrolled_at", "pk")
    )
    reviewing = (
        CohortReviewer.objects.filter(user=user).select_related("cohort").order_by("created_at")
    )
    reviews = (
        ProjectReview.objects.filter(reviewer=user)
        .select_related("project_work__participant__cohort")
        .prefetch_related("scores__criterion")
        .order_by("created_at", "pk")
    )
    return {
        "applications": [
            {
                "cohort": a.cohort.name,
                "status": a.status,
                "created_at": a.created_at,
                "submitted_at": a.submitted_at,
                "answers": [
                    {"question": x.question.text, "answer": x.text} for x in a.answers.all()
                ],
                "self_ratings": [
                    {"competency": s.competency.name, "rating": s.self_rating}
                    for s in a.competency_scores.all()
                    if s.self_rating is not None
                ],
                "score": a.score,
                "decision": a.decision,
                "decision_reason": a.decision_reason,
                "decided_at": a.decided_at,
                "line_manager_name": a.line_manager_name,
                "line_manager_email": a.line_manager_email,
                "line_manager_confirmed_at": a.line_manager_confirmed_at,
                "line_manager_comment": a.line_manager_comment,
                "waiting_list_position": waiting_list_position(a),
                "offers_made": a.offer_count,
                "offered_at": a.offered_at,
                "offer_expires_at": a.offer_expires_at,
                "responded_at": a.responded_at,
            }
            for a in applications
        ],
        "participations": [_participation(p) for p in participations],
        "reviewer_roles": [
            {"cohort": r.cohort.name, "since": r.created_at, "role": "Project report reviewer"}
            for r in reviewing
        ],
        "project_reviews": [
            {
                "cohort": r.project_work.participant.cohort.name,
                "report": r.project_work.title,
                "comment": r.comment,
                "scores": [
                    {"criterion": s.criterion.title, "score": s.score} for s in r.scores.all()
                ],
                "reviewed_at": r.updated_at,
            }
            for r in reviews
        ],
    }


def _participation(participant) -> dict:
    # Reverse one-to-ones: a missing row raises DoesNotExist (an AttributeError).
    project = getattr(participant, "project_work", None)
    feedback = getattr(participant, "feedback", None)
    return {
        "cohort": participant.cohort.name,
        "status": participant.status,
        "enrolled_at": participant.enrolled_at,
        "completed_at": participant.completed_at,
        "certificate_code": participant.certificate_code,
        "completion_reason": participant.completion_reason,
        "completion_override_reason": participant.completion_override_reason,
        "subsidised_place": participant.subsidy_allocation_id is not None,
        "visible_to_cohort": participant.visible_to_cohort,
        "attendance": [
            {
                "session": str(a.session),
                "date": a.session.date,
                "status": a.status,
                "cpd_hours": str(a.session.cpd_hours_awarded if a.status == "present" else 0),
            }
            for a in participant.attendance.all()
        ],
        "project_work": None
        if project is None
        else {
            "title": project.title,
            "summary": project.summary,
            "profession_map_area": project.get_profession_map_area_display(),
            "submitted_at": project.submitted_at,
            "file": project.original_filename,
            "file_type": project.file_type,
        },
        "feedback": None
        if feedback is None
        else {
            "given_at": feedback.created_at,
            "overall_rating": feedback.overall_rating,
            "module_ratings": [
                {"module": r.module.title, "rating": r.rating}
                for r in sorted(feedback.module_ratings.all(), key=lambda r: r.module.order)
            ],
            "comments": feedback.comments,
        },
    }


def erase_cohorts(user) -> None:
    from talenthub.core.models import OutboundEmail

    from .models import (
        Answer,
        Application,
        Cohort,
        CohortReviewer,
        Feedback,
        Participant,
        ProjectReview,
        ProjectWork,
        new_certificate_code,
    )
    from .services import application_withdraw, offer_decline, participant_withdraw
    from .services.selection import cohort_start

    # 1. Places, through the services. Every cohort involved is locked first, in id order
    # (two erasures at once cannot deadlock), and the statuses are read under those
    # locks; each service then re-locks (a no-op in this transaction) and re-checks.
    open_statuses = [
        Application.Status.DRAFT,
        Application.Status.SUBMITTED,
        Application.Status.WAITING,
    ]
    active_applications = Application.objects.filter(
        applicant=user, status__in=[*open_statuses, Application.Status.OFFERED]
    )
    enrolled = Participant.objects.filter(user=user, status=Participant.Status.ENROLLED)
    cohort_ids = set(active_applications.values_list("cohort_id", flat=True))
    cohort_ids |= set(enrolled.values_list("cohort_id", flat=True))
    for cohort_id in sorted(cohort_ids):
        Cohort.objects.select_for_update().get(pk=cohort_id)
    for application in active_applications.order_by("cohort_id", "pk"):
        if application.status == Application.Status.OFFERED:
            # Frees the place and offers it to the next person waiting.
            offer_decline(application=application, user=user)
        else:
            application_withdraw(application=application, user=user)
    now = timezone.now()
    for participant in enrolled.select_related("cohort").order_by("cohort_id"):
        # A place on a cohort still to start is given up, as a booking on an event still
        # to come is cancelled: nobody will take it up (a subsidised place goes back to
        # its scheme). Participations that have started stay as they are: attendance and
        # completion are recorded on them.
        if cohort_start(participant.cohort) > now:
            participant_withdraw(participant=participant, actor=user, reason=ERASED_REASON)

    # 2. No email goes to the erased member (offer_decline queued one): the send task only
    # sends pending rows. The core eraser then blanks every row addressed to them.
    OutboundEmail.objects.filter(
        recipient=user, status=OutboundEmail.Status.PENDING, key__startswith="cohort."
    ).update(status=OutboundEmail.Status.FAILED, last_error="Not sent: the account was deleted.")
    # Emails to their line manager name the member and are about their application.
    application_ids = list(Application.objects.filter(applicant=user).values_list("pk", flat=True))
    for application_id in application_ids:
        to_line_manager = OutboundEmail.objects.filter(
            key__startswith=f"cohort.line_manager_support:{application_id}:"
        )
        to_line_manager.filter(status=OutboundEmail.Status.PENDING).update(
            status=OutboundEmail.Status.FAILED,
            last_error="Not sent: the applicant's account was deleted.",
        )
        to_line_manager.update(
            to="erased@invalid.invalid", subject=ERASED, body_text="", body_html=""
        )

    # 3. What the person wrote, or what names them, goes; rows, statuses and ratings stay.
    Answer.objects.filter(application__applicant=user).update(text="")
    applications = Application.objects.filter(applicant=user)
    applications.update(line_manager_name="", line_manager_email="", line_manager_comment="")
    # A recorded decision must keep a reason (application_decision_has_reason).
    applications.exclude(decision_reason="").update(decision_reason=ERASED)
    participants = Participant.objects.filter(user=user)
    participants.update(visible_to_cohort=False)
    # A new code for each place: the public page no longer confirms a certificate under
    # the old one (it would show the erased name).
    for participant_pk in participants.values_list("pk", flat=True):
        Participant.objects.filter(pk=participant_pk).update(
            certificate_code=new_certificate_code()
        )
    # A "not completed" participation must keep a reason (participant_not_completed_has_reason).
    participants.exclude(completion_reason__in=["", ERASED_REASON]).update(completion_reason=ERASED)
    Feedback.objects.filter(participant__user=user).update(comments="")
    files = []
    for work in ProjectWork.objects.filter(participant__user=user).exclude(file=""):
        files.append((work.file.storage, work.file.name))
    ProjectWork.objects.filter(participant__user=user).update(
        title=ERASED, summary="", original_filename="", file=""
    )
    # The reports leave storage only once the erasure is committed: a rolled-back
    # erasure keeps them.
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    CohortReviewer.objects.filter(user=user).delete()
    # Their reviews' scores stay (a report's scores should not change); the comment,
    # which they wrote, goes.
    ProjectReview.objects.filter(reviewer=user).update(comment=ERASED)
    # Override reasons they gave as a manager name the participant, not them: kept.


def register() -> None:
    personal_data.register("cohorts", exporter=export_cohorts, eraser=erase_cohorts)
