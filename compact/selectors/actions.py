"""Actions with their rolled-up status and health flags, computed in the database."""

import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from talenthub.core.aggregates import related_aggregate, related_count

from ..models import Action, Compact, Indicator, ProgressUpdate, Status, TermsOfReference


def stale_weeks() -> int:
    return int(settings.TALENTHUB.get("COMPACT_STALE_WEEKS", 8))


def actions_with_health(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Actions annotated with their rolled-up status and progress and their health flags,
    all computed in the database (no per-row queries).

    Roll-up rule for an action with sub-actions: progress is the mean of its
    sub-actions' progress (rounded down); status is *done* when every sub-action is done,
    otherwise the worst of them (off track, then at risk), otherwise *not started* when
    none has started, otherwise *on track*. An action without sub-actions keeps its own.

    Flags (each a boolean annotation, ``flag_count`` their sum):
    - ``flag_overdue``: target date passed and the (rolled-up) status is not done;
    - ``flag_no_lead``: neither a lead person nor a lead organisation;
    - ``flag_no_target``: no target date;
    - ``flag_stale``: not done and no progress update (on it or, for a parent, on any of its
      sub-actions) in COMPACT_STALE_WEEKS weeks (the row's creation counts as its first);
    - ``flag_no_aim``: serves no aim of the terms of reference in force on ``today`` for
      its compact (a sub-action serves its parent's aims too); an action citing only
      aims of superseded terms is flagged.
    """
    today = today or timezone.localdate()
    stale_before = today - datetime.timedelta(weeks=stale_weeks())
    qs = Action.objects.all()
    if compact is not None:
        qs = qs.filter(plan__compact=compact)
    aims_through = Action.aims.through
    children = Action.objects.filter(parent=OuterRef("pk"))
    # The terms in force for each row's compact, as a scalar subquery: the query stays one
    # whatever the number of compacts or actions.
    qs = qs.annotate(
        terms_in_force_id=Subquery(
            TermsOfReference.objects.filter(compact=OuterRef("plan__compact"))
            .in_force(today)
            .values("pk")[:1]
        )
    )
    current_aims = aims_through.objects.filter(aim__terms_id=OuterRef("terms_in_force_id"))
    # Each figure over sub-actions or updates is its own subquery: joining sub-actions and
    # updates (and the sub-actions' updates) to one action multiplied them (issue 21).
    sub_actions = Action.objects.all()
    own_last_update = related_aggregate(
        ProgressUpdate.objects.all(), Max("on"), link="action", output_field=DateField()
    )
    qs = qs.annotate(
        child_count=related_count(sub_actions, link="parent"),
        child_done=related_count(sub_actions.filter(status=Status.DONE), link="parent"),
        child_off=related_count(sub_actions.filter(status=Status.OFF_TRACK), link="parent"),
        child_risk=related_count(sub_actions.filter(status=Status.AT_RISK), link="parent"),
        child_not_started=related_count(
            sub_actions.filter(status=Status.NOT_STARTED), link="parent"
        ),
        child_progress_sum=Coalesce(
            _sum_subquery(children, "percent_complete"), Value(0), output_field=IntegerField()
        ),
        own_last_update=own_last_update,
        # The latest of the sub-actions' own latest updates: a subquery per sub-action
        # (found through the parent index), not updates joined to actions and filtered
        # on the parent, which read every update once for each action.
        child_last_update=related_aggregate(
            sub_actions.annotate(own_last=own_last_update),
            Max("own_last"),
            link="parent",
            output_field=DateField(),
        ),
        has_own_aim=Exists(current_aims.filter(action_id=OuterRef("pk"))),
        has_parent_aim=Exists(current_aims.filter(action_id=OuterRef("parent_id"))),
        created_date=TruncDate("created_at"),
    ).annotate(
        rolled_status=Case(
            When(child_count=0, then=F("status")),
            When(child_done=F("child_count"), then=Value(Status.DONE)),
            When(child_off__gt=0, then=Value(Status.OFF_TRACK)),
            When(child_risk__gt=0, then=Value(Status.AT_RISK)),
            When(child_not_started=F("child_count"), then=Value(Status.NOT_STARTED)),
            default=Value(Status.ON_TRACK),
        ),
        rolled_percent=Case(
            When(child_count=0, then=F("percent_complete")),
            default=F("child_progress_sum") / F("child_count"),
            output_field=IntegerField(),
        ),
        last_update_on=Case(
            When(child_last_update__gt=F("own_last_update"), then=F("child_last_update")),
            When(own_last_update__isnull=True, then=F("child_last_update")),
            default=F("own_last_update"),
        ),
    )
    qs = qs.annotate(
        flag_overdue=Case(
            When(Q(target_date__lt=today) & ~Q(rolled_status=Status.DONE), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_lead=Case(
            When(lead_person__isnull=True, lead_organisation__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_target=Case(
            When(target_date__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_stale=Case(
            When(rolled_status=Status.DONE, then=Value(False)),
            When(last_update_on__gte=stale_before, then=Value(False)),
            When(last_update_on__isnull=False, then=Value(True)),
            When(Q(created_date__lt=stale_before), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_no_aim=Case(
            When(has_own_aim=False, has_parent_aim=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).annotate(
        flag_count=Case(When(flag_overdue=True, then=1), default=0)
        + Case(When(flag_no_lead=True, then=1), default=0)
        + Case(When(flag_no_target=True, then=1), default=0)
        + Case(When(flag_stale=True, then=1), default=0)
        + Case(When(flag_no_aim=True, then=1), default=0)
    )
    return qs.select_related(
        "plan", "plan__compact", "lead_person", "lead_organisation", "priority", "parent"
    ).prefetch_related("aims")


def _sum_subquery(queryset, field_name):
    """SUM(field) over ``queryset`` as a scalar subquery: a plain Sum() over the join would
    be multiplied by the progress-update rows joined for the other annotations."""
    return Subquery(
        queryset.order_by().values("parent").annotate(total=Sum(field_name)).values("total")[:1],
        output_field=IntegerField(),
    )


def actions_health(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Actions with health annotations (see ``actions_with_health``), in plan order."""
    return actions_with_health(compact=compact, today=today).order_by(
        "plan__title", "order", "code"
    )


def flagged_actions(*, compact: Compact | None = None, today: datetime.date | None = None):
    return actions_health(compact=compact, today=today).filter(flag_count__gt=0)


def action_is_led_by(*, compact: Compact, pk: int, user) -> bool:
    """Whether ``user`` leads action ``pk`` of ``compact``, or the action it is part of:
    the digest's recipients may open and update the actions it lists for them."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Action.objects.filter(plan__compact=compact, pk=pk)
        .filter(Q(lead_person=user) | Q(parent__lead_person=user))
        .exists()
    )


def action_get(*, compact: Compact, pk: int):
    action = (
        actions_with_health(compact=compact)
        .prefetch_related("updates__author", "sub_actions")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def indicators_for(*, compact: Compact):
    """Every SMART indicator of the compact's actions, by plan, action and due date, with
    what each row shows (one query)."""
    return (
        Indicator.objects.filter(action__plan__compact=compact)
        .select_related("action__plan__compact")
        .order_by("action__plan__title", "action__order", "action__code", "due_on", "measure")
    )


def indicator_get(*, compact: Compact, pk: int):
    indicator = indicators_for(compact=compact).filter(pk=pk).first()
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator
