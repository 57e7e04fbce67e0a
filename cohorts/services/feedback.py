"""Feedback after every cohort: one invitation per participant, one response each."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise

from ..exceptions import CohortError
from ..models import Cohort, Feedback, ModuleRating, Participant
from . import emails
from .emails import notify_user


def feedback_invite_due(*, today=None) -> int:
    """Invite every participant of every cohort that has ended to give feedback, once.
    A query for due rows (ended cohort, not invited), so running it twice or late is
    harmless; the outbox key ``cohort.feedback_invite:<participant>`` also guarantees one
    email. Returns the number invited."""
    today = today or timezone.localdate()
    invited = 0
    due = (
        Participant.objects.active()
        .filter(cohort__in=Cohort.objects.ended(today), feedback_invited_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for participant_id in list(due.iterator(chunk_size=500)):
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update()
                .select_related("cohort", "user")
                .get(pk=participant_id)
            )
            if participant.feedback_invited_at is not None:
                continue
            notify_user(
                key=f"cohort.feedback_invite:{participant.pk}",
                user=participant.user,
                template=emails.FEEDBACK_INVITE,
                context={"cohort": participant.cohort, "participant": participant},
            )
            participant.feedback_invited_at = timezone.now()
            participant.save(update_fields=["feedback_invited_at", "updated_at"])
            invited += 1
    return invited


def feedback_is_open(participant: Participant, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        participant.status != Participant.Status.WITHDRAWN and participant.cohort.ends_on <= today
    )


@transaction.atomic
def feedback_submit(
    *, participant: Participant, overall_rating: int, comments: str, module_ratings: dict
) -> Feedback:
    """Record a participant's feedback once, from the cohort's last day: an overall
    rating, a rating for each module of the cohort's version and comments."""
    if not feedback_is_open(participant):
        raise CohortError(
            _("Feedback opens on the last day of the cohort."), code="feedback_not_open"
        )
    if Feedback.objects.filter(participant=participant).exists():
        raise CohortError(
            _("You have already given feedback on this cohort. Thank you."), code="feedback_given"
        )
    valid_modules = set(participant.cohort.version.modules.values_list("pk", flat=True))
    feedback = Feedback(
        participant=participant, overall_rating=overall_rating, comments=comments.strip()
    )
    clean_or_raise(feedback, CohortError)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as exc:  # a second submission racing the first
        raise CohortError(
            _("You have already given feedback on this cohort. Thank you."), code="feedback_given"
        ) from exc
    ModuleRating.objects.bulk_create(
        ModuleRating(feedback=feedback, module_id=module_id, rating=rating)
        for module_id, rating in module_ratings.items()
        if module_id in valid_modules and rating
    )
    return feedback
