"""Surveys with their response counts and answers."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from ..models import Compact, Survey, SurveyAnswer, SurveyQuestion


def survey_results(*, compact: Compact):
    return (
        Survey.objects.filter(compact=compact)
        .select_related("group")
        .annotate(
            sent_count=Count("invitations", distinct=True),
            reply_count=Count(
                "invitations", filter=Q(invitations__responded_on__isnull=False), distinct=True
            ),
            usable_count=Count(
                "invitations",
                filter=Q(invitations__responded_on__isnull=False, invitations__usable=True),
                distinct=True,
            ),
        )
        .order_by("-sent_on")
    )


def survey_get(*, compact: Compact, pk: int):
    """One survey with its response counts and every question's answers (usable replies
    only), in three queries."""
    answers = SurveyAnswer.objects.filter(invitation__usable=True).order_by("id")
    survey = (
        survey_results(compact=compact)
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=SurveyQuestion.objects.prefetch_related(
                    Prefetch("answers", queryset=answers, to_attr="usable_answers")
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404("No such survey.")
    for question in survey.questions.all():
        values = question.usable_answers
        question.yes_count = sum(1 for a in values if a.yes is True)
        question.no_count = sum(1 for a in values if a.yes is False)
        scales = [a.scale for a in values if a.scale is not None]
        question.scale_mean = round(sum(scales) / len(scales), 1) if scales else None
        question.texts = [a.text for a in values if a.text]
    return survey
