"""Reviewers' challenge of project reports at the celebration event (seed 000: "project
reports are presented at a celebration event … where conclusions are challenged by
experienced heads of HR"): a comment and a score against each of the version's criteria."""

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import CohortReviewer, ProjectReview, ProjectWork, ReviewCriterion, ReviewScore


@transaction.atomic
def project_review_save(
    *, project_work: ProjectWork, reviewer, comment: str, scores: dict[int, int]
) -> ProjectReview:
    """Record (or revise) ``reviewer``'s review of one project report: ``comment`` and
    ``scores`` (criterion id → 1 to 5).

    Guarantees: only a reviewer named for the report's cohort may review it (a manager
    reads reviews, never writes them); every criterion of the cohort's version is scored,
    each from 1 to 5, and no criterion of another version; the comment is not empty; one
    review per reviewer per report (a second save revises the first, under a row lock)."""
    project_work = (
        ProjectWork.objects.select_related("participant__cohort__version")
        .select_for_update(of=("self",))
        .get(pk=project_work.pk)
    )
    cohort = project_work.participant.cohort
    if not CohortReviewer.objects.filter(cohort=cohort, user=reviewer).exists():
        raise CohortError(
            _("Only the reviewers named for %(cohort)s can review its project reports.")
            % {"cohort": cohort},
            code="not_cohort_reviewer",
        )
    comment = comment.strip()
    if not comment:
        raise CohortError(
            _("Write a comment: what you would challenge in the report's conclusions."),
            code="review_comment_required",
            field_errors={"comment": [_("Write a comment.")]},
        )
    criteria = list(ReviewCriterion.objects.filter(version_id=cohort.version_id))
    known = {criterion.pk for criterion in criteria}
    if set(scores) - known:
        raise CohortError(
            _("Score only this programme's criteria."), code="review_unknown_criterion"
        )
    missing = [c.title for c in criteria if scores.get(c.pk) is None]
    if missing:
        raise CohortError(
            _("Score the report against every criterion: %(missing)s.")
            % {"missing": ", ".join(missing)},
            code="review_scores_incomplete",
        )
    review = ProjectReview.objects.filter(project_work=project_work, reviewer=reviewer).first()
    created = review is None
    if created:
        review = ProjectReview(project_work=project_work, reviewer=reviewer)
    review.comment = comment
    clean_or_raise(review, CohortError)
    review.save()
    for criterion in criteria:
        score = ReviewScore.objects.filter(review=review, criterion=criterion).first() or (
            ReviewScore(review=review, criterion=criterion)
        )
        score.score = scores[criterion.pk]
        clean_or_raise(score, CohortError)
        score.save()
    audit_record(
        actor=reviewer,
        action="cohorts.project_reviewed" if created else "cohorts.project_review_revised",
        obj=review,
    )
    return review
