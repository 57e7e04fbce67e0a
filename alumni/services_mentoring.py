"""Writes of a mentoring relationship once it is accepted (issue 19, item 2): the goals
and agreed frequency, the session log, the closing reviews; and the notice to mentees
when their mentor deletes the account. Requests, answers and endings are in
``services.py``. Each function is one transaction and raises ``AlumniError``."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify

from .exceptions import AlumniError
from .models import MentoringRequest, MentoringSession

MENTOR_LEFT_TEMPLATE = "alumni_mentoring_mentor_left"


def _locked_for_party(relationship: MentoringRequest, by) -> MentoringRequest:
    relationship = (
        MentoringRequest.objects.select_for_update()
        .select_related("offer__mentor", "mentee")
        .get(pk=relationship.pk)
    )
    if by.pk not in (relationship.offer.mentor_id, relationship.mentee_id):
        raise AlumniError(_("Only the mentor or the mentee can do this."), code="not_party")
    return relationship


@transaction.atomic
def mentoring_agreement_save(*, relationship: MentoringRequest, by, goals: str, frequency: str):
    """Either party records the goals and how often they meet, while the mentoring is
    active (accepted)."""
    relationship = _locked_for_party(relationship, by)
    if relationship.status != MentoringRequest.Status.ACCEPTED:
        raise AlumniError(
            _("Goals can be changed only while the mentoring is active."),
            code="mentoring_not_active",
        )
    relationship.goals, relationship.frequency = goals.strip(), frequency
    clean_or_raise(relationship, AlumniError)
    relationship.save(update_fields=["goals", "frequency", "updated_at"])
    return relationship


@transaction.atomic
def mentoring_session_log(*, relationship: MentoringRequest, by, held_on, notes: str = ""):
    """Either party logs a session of an active mentoring (not one dated in the future).
    Both see the log."""
    relationship = _locked_for_party(relationship, by)
    if relationship.status != MentoringRequest.Status.ACCEPTED:
        raise AlumniError(
            _("Sessions can be logged only while the mentoring is active."),
            code="mentoring_not_active",
        )
    session = MentoringSession(
        relationship=relationship, held_on=held_on, notes=notes.strip(), logged_by=by
    )
    clean_or_raise(session, AlumniError)
    session.save()
    return session


@transaction.atomic
def mentoring_review_save(*, relationship: MentoringRequest, by, review: str):
    """Once the mentoring has ended, each party writes their own closing review (what
    worked, what the mentee achieved); the other party's review is never changed."""
    relationship = _locked_for_party(relationship, by)
    if relationship.status != MentoringRequest.Status.ENDED:
        raise AlumniError(
            _("The closing review is written once the mentoring has ended."),
            code="mentoring_not_ended",
        )
    if not review.strip():
        raise AlumniError(_("Enter your closing review."), code="review_required")
    field = "mentor_review" if by.pk == relationship.offer.mentor_id else "mentee_review"
    setattr(relationship, field, review.strip())
    clean_or_raise(relationship, AlumniError)
    relationship.save(update_fields=[field, "updated_at"])
    return relationship


def mentor_leaving_notify(*, mentor) -> int:
    """Email each mentee whose request to ``mentor`` is live (requested or accepted) that
    the mentor has left the network: called by the alumni eraser, in the erasure's
    transaction, before the requests are deleted (so the mail merge still has the
    mentor's name). One email per request (key ``alumni.mentoring.mentor_left:<id>``).
    Returns how many were queued."""
    live = (
        MentoringRequest.objects.live()
        .filter(offer__mentor=mentor)
        .exclude(Q(mentee=mentor))
        .select_related("mentee")
    )
    mentor_name = mentor.get_full_name() or _("Your mentor")
    queued = 0
    for relationship in live:
        if notify(
            key=f"alumni.mentoring.mentor_left:{relationship.pk}",
            user=relationship.mentee,
            template=MENTOR_LEFT_TEMPLATE,
            context={"mentor_name": mentor_name, "was_accepted": relationship.status == "accepted"},
        ):
            queued += 1
    return queued
