"""Reads for the career resource hub. Each returns everything its page needs in a fixed
number of queries, and the member-scoped ones return only the member's own rows, so
anything else is a 404."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from talenthub.core.models import FunctionalArea

from .models import (
    CareerConversation,
    Competency,
    CompetencyRating,
    DevelopmentOpportunity,
    Framework,
    HubArticle,
    PathwayLevel,
    PathwayStep,
    ProgrammeSelectionFramework,
    SelfAssessment,
    WheelItem,
    WheelItemRating,
)

# --- Programmes' selection frameworks ---------------------------------------------------


def selection_framework_for(programme, user=None) -> Framework | None:
    """The framework ``programme``'s applicants are selected against, or None (one query).
    ``user`` is unused: the signature of a programme page part (resources/apps.py)."""
    link = (
        ProgrammeSelectionFramework.objects.select_related("framework")
        .filter(programme_id=programme.pk)
        .first()
    )
    return link.framework if link else None


# --- Functional areas --------------------------------------------------------------------


def functional_area_list() -> QuerySet[FunctionalArea]:
    return FunctionalArea.objects.order_by("order", "name")


def functional_area_get(*, slug: str) -> FunctionalArea:
    return get_object_or_404(FunctionalArea, slug=slug)


# --- Career pathway ----------------------------------------------------------------------


@dataclass
class PathwayRow:
    step: PathwayStep
    width: int  # the block's width in the pyramid, a percentage in steps of 10


@dataclass
class PathwayBand:
    """One level of the pyramid: its steps (top first) and its opportunities by kind."""

    level: PathwayLevel
    rows: list[PathwayRow] = field(default_factory=list)
    opportunities: dict[str, list[DevelopmentOpportunity]] = field(default_factory=dict)


def _pyramid_width(position_from_top: int, count: int) -> int:
    """Top step 30 %, entry step 100 %, evenly between, rounded to a CSS class step."""
    if count <= 1:
        return 100
    width = 30 + 70 * position_from_top / (count - 1)
    return int(round(width / 10) * 10)


def pathway_get() -> list[PathwayBand]:
    """The career pathway, top level first: three queries whatever its size."""
    opportunities = DevelopmentOpportunity.objects.select_related("programme").order_by(
        "kind", "order", "title"
    )
    levels = list(
        PathwayLevel.objects.order_by("-level").prefetch_related(
            Prefetch("opportunities", queryset=opportunities)
        )
    )
    steps = list(PathwayStep.objects.order_by("-order").prefetch_related("roles"))
    bands = {level.pk: PathwayBand(level=level) for level in levels}
    for level in levels:
        grouped = bands[level.pk].opportunities
        for kind in DevelopmentOpportunity.Kind:
            grouped[kind.label] = [o for o in level.opportunities.all() if o.kind == kind]
    for position, step in enumerate(steps):
        bands[step.level_id].rows.append(
            PathwayRow(step=step, width=_pyramid_width(position, len(steps)))
        )
    return [bands[level.pk] for level in levels]


# --- Competency frameworks ---------------------------------------------------------------


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.filter(is_published=True).annotate(
        competency_count=Count("competencies")
    )


def framework_get(*, slug: str) -> Framework:
    """A published framework with its competencies and their indicators prefetched."""
    competencies = Competency.objects.order_by("order", "name").prefetch_related("indicators")
    queryset = Framework.objects.filter(is_published=True).prefetch_related(
        Prefetch("competencies", queryset=competencies)
    )
    return get_object_or_404(queryset, slug=slug)


def framework_grid(framework: Framework) -> list[dict]:
    """Rows of the framework table: each competency with its indicator for levels 1–4
    (None where the framework has none). Uses the prefetched rows only."""
    rows = []
    for competency in framework.competencies.all():
        by_level = {i.level: i for i in competency.indicators.all()}
        rows.append({"competency": competency, "cells": [by_level.get(n) for n in (1, 2, 3, 4)]})
    return rows


def wheel_items_active() -> QuerySet[WheelItem]:
    return WheelItem.objects.filter(is_active=True).order_by("order", "name")


# --- Self-assessments (the member's own only) -------------------------------------------


def _with_ratings(queryset):
    return queryset.select_related("framework").prefetch_related(
        Prefetch(
            "competency_ratings",
            queryset=CompetencyRating.objects.select_related("competency").order_by(
                "competency__order", "competency__name"
            ),
        ),
        Prefetch(
            "wheel_ratings",
            queryset=WheelItemRating.objects.select_related("wheel_item").order_by(
                "wheel_item__order", "wheel_item__name"
            ),
        ),
    )


def self_assessment_list(*, member) -> list[SelfAssessment]:
    """The member's assessments, newest first, with their ratings (four queries)."""
    if not member.is_authenticated:
        return []
    return list(_with_ratings(SelfAssessment.objects.for_member(member)).order_by("-created_at"))


def self_assessment_get(*, member, pk: int) -> SelfAssessment:
    """One of the member's own assessments; anyone else's is a 404."""
    return get_object_or_404(_with_ratings(SelfAssessment.objects.for_member(member)), pk=pk)


def self_assessment_previous(assessment: SelfAssessment) -> SelfAssessment | None:
    """The member's assessment against the same framework just before this one."""
    earlier = SelfAssessment.objects.filter(
        Q(created_at__lt=assessment.created_at)
        | Q(created_at=assessment.created_at, pk__lt=assessment.pk),
        member_id=assessment.member_id,
        framework_id=assessment.framework_id,
    )
    return _with_ratings(earlier).order_by("-created_at", "-pk").first()


def rating_comparison(current, previous, key: str) -> list[dict]:
    """Rows of ``{"name", "rating", "previous", "change"}`` comparing two lists of rating
    rows (CompetencyRating or WheelItemRating), matched by the rated item."""
    before = {getattr(r, f"{key}_id"): r.rating for r in (previous or [])}
    rows = []
    for rating in current:
        was = before.get(getattr(rating, f"{key}_id"))
        rows.append(
            {
                "name": str(getattr(rating, key)),
                "rating": rating.rating,
                "label": rating.get_rating_display(),
                "previous": was,
                "change": None if was is None else rating.rating - was,
            }
        )
    return rows


def _rows_over_time(assessments, relation: str, key: str) -> list[dict]:
    """``[{"name", "ratings"}]``: each rated item with its rating in each assessment
    (None where that assessment did not rate it), items in first-rated order."""
    names: dict[int, str] = {}
    by_assessment = []
    for assessment in assessments:
        ratings = {}
        for rating in getattr(assessment, relation).all():
            item_id = getattr(rating, f"{key}_id")
            names.setdefault(item_id, str(getattr(rating, key)))
            ratings[item_id] = rating.rating
        by_assessment.append(ratings)
    return [
        {"name": name, "ratings": [ratings.get(item_id) for ratings in by_assessment]}
        for item_id, name in names.items()
    ]


def self_assessment_history(*, member) -> list[dict]:
    """The member's assessments grouped by framework, oldest first within each, with
    each competency's and each wheel spoke's rating over time:
    ``[{"framework", "assessments", "rows", "wheel_rows"}]``. Four queries."""
    by_framework: dict[int, dict] = {}
    for assessment in reversed(self_assessment_list(member=member)):
        group = by_framework.setdefault(
            assessment.framework_id, {"framework": assessment.framework, "assessments": []}
        )
        group["assessments"].append(assessment)
    for group in by_framework.values():
        group["rows"] = _rows_over_time(group["assessments"], "competency_ratings", "competency")
        group["wheel_rows"] = _rows_over_time(group["assessments"], "wheel_ratings", "wheel_item")
    return list(by_framework.values())


# --- Career conversations (the member's own only) ---------------------------------------


def career_conversation_list(*, member) -> QuerySet[CareerConversation]:
    return (
        CareerConversation.objects.filter(member=member)
        .annotate(share_count=Count("shares"))
        .order_by("-updated_at", "-id")
    )


def career_conversation_get(*, member, pk: int) -> CareerConversation:
    """One of the member's own conversations, with its wheel items and shares; anyone
    else's is a 404."""
    queryset = CareerConversation.objects.filter(member=member).prefetch_related(
        "wheel_items", "shares"
    )
    return get_object_or_404(queryset, pk=pk)


# --- Hub articles ------------------------------------------------------------------------


def hub_articles(*, section: str) -> QuerySet[HubArticle]:
    """The published articles of one hub section, in their order."""
    return HubArticle.objects.published().filter(section=section).order_by("order", "title")


def inclusion_journey_get(*, slug: str) -> HubArticle:
    return get_object_or_404(
        HubArticle.objects.published(),
        section=HubArticle.Section.INCLUSION_JOURNEY,
        slug=slug,
    )
