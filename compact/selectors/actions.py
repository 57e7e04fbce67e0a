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
    QuerySet,
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


# What ``with_health``'s rules read of an action itself.
_HEALTH_RULE_FIELDS = (
    "parent_id",
    "status",
    "percent_complete",
    "target_date",
    "lead_person_id",
    "lead_organisation_id",
    "created_at",
)

HEALTH_FIELDS = (
    "child_count",
    "rolled_status",
    "rolled_percent",
    "last_update_on",
    "flag_overdue",
    "flag_no_lead",
    "flag_no_target",
    "flag_stale",
    "flag_no_aim",
    "flag_count",
)


def with_health(actions, *, today: datetime.date | None = None) -> list:
    """``actions`` (a queryset, or a list read with their plans) as a list, each with the
    figures ``actions_with_health`` annotates (``HEALTH_FIELDS``), worked out in Python from
    four grouped queries whatever the number of actions: the sub-actions, the latest update
    of each action and sub-action, the terms in force and the aims they cite. The same
    rules as the SQL (the tests compare the two on every rule); the SQL's roll-ups are
    subqueries Django repeats wherever a later figure refers to them (99 SubPlans for 100
    actions), so a page reads them from here. For a page of actions: a whole compact's
    goes through ``compact_actions_health``, which names no ids."""
    today = today or timezone.localdate()
    if isinstance(actions, QuerySet):
        actions = actions.select_related("plan")
    actions = list(actions)  # or a page of them, read with their plans already
    if not actions:
        return actions
    ids = [a.pk for a in actions]
    children = Action.objects.filter(parent_id__in=ids)
    facts = _HealthFacts(
        children=children,
        updated=Action.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)),
        cited_by=ids + [a.parent_id for a in actions if a.parent_id],
        compacts={a.plan.compact_id for a in actions},
        today=today,
    )
    for action in actions:
        facts.apply(action, compact_id=action.plan.compact_id)
    return actions


class _HealthFacts:
    """What the health rules read besides an action's own fields, in four grouped
    queries: its sub-actions (``children``, a queryset), the latest update of each action
    in ``updated`` (a queryset: the actions and their sub-actions), the terms in force in
    each of ``compacts`` and which of them the actions in ``cited_by`` (ids, or a queryset
    of ids) cite. ``apply`` sets ``HEALTH_FIELDS`` on one action (a model instance or a
    ``LightAction``)."""

    def __init__(self, *, children, updated, cited_by, compacts, today: datetime.date):
        self.today = today
        self.stale_before = today - datetime.timedelta(weeks=stale_weeks())
        self.children: dict[int, list[tuple]] = {}
        for pk, parent_id, status, percent in children.order_by().values_list(
            "pk", "parent_id", "status", "percent_complete"
        ):
            self.children.setdefault(parent_id, []).append((pk, status, percent))
        self.last_update = dict(
            ProgressUpdate.objects.filter(action_id__in=updated.order_by().values("pk"))
            .order_by()
            .values("action_id")
            .annotate(last=Max("on"))
            .values_list("action_id", "last")
        )
        self.in_force: dict[int, int] = {}  # compact → its terms in force (the newest adopted)
        for compact_id, terms_id in (
            TermsOfReference.objects.filter(compact_id__in=compacts)
            .in_force(today)
            .values_list("compact_id", "pk")
        ):
            self.in_force.setdefault(compact_id, terms_id)
        self.served = set(
            Action.aims.through.objects.filter(
                aim__terms_id__in=self.in_force.values(), action_id__in=cited_by
            ).values_list("action_id", "aim__terms_id")
        )

    def apply(self, action, *, compact_id: int) -> None:
        today, served = self.today, self.served
        _roll_up(action, self.children.get(action.pk, []), self.last_update)
        terms_id = self.in_force.get(compact_id)
        action.flag_overdue = bool(
            action.target_date
            and action.target_date < today
            and action.rolled_status != Status.DONE
        )
        action.flag_no_lead = action.lead_person_id is None and action.lead_organisation_id is None
        action.flag_no_target = action.target_date is None
        if action.rolled_status == Status.DONE:
            action.flag_stale = False
        elif action.last_update_on is not None:
            action.flag_stale = action.last_update_on < self.stale_before
        else:
            action.flag_stale = timezone.localdate(action.created_at) < self.stale_before
        action.flag_no_aim = (action.pk, terms_id) not in served and (
            action.parent_id,
            terms_id,
        ) not in served
        action.flag_count = sum(
            getattr(action, f"flag_{name}")
            for name in ("overdue", "no_lead", "no_target", "stale", "no_aim")
        )


class LightAction:
    """An action as the health rules read it (``_HEALTH_RULE_FIELDS`` and its compact),
    with ``HEALTH_FIELDS`` once worked out: a row of ``compact_actions_health``."""

    __slots__ = ("pk", *_HEALTH_RULE_FIELDS, "compact_id", *HEALTH_FIELDS)

    def __init__(self, row: tuple):
        for name, value in zip(("pk", *_HEALTH_RULE_FIELDS, "compact_id"), row, strict=True):
            setattr(self, name, value)


def compact_actions_health(
    *, compacts, top_level_only: bool = False, today: datetime.date | None = None
) -> list[LightAction]:
    """Every action of ``compacts`` (a list or queryset of compacts; only the top-level
    ones with ``top_level_only``) in plan order, as ``LightAction`` rows with the figures
    ``with_health`` works out, by the same rules and four grouped queries. Each query
    finds its rows by the compacts in SQL (a subquery on the actions), not by a list of
    their ids, and no model instance is built: at 100x the demo, the health page's 1,000
    ``Action`` instances (``Model.__init__``, ``from_db``) and the 1,000-id ``IN`` lists
    (Django resolving each id, psycopg splitting the query) were most of its CPU
    (issue 16)."""
    today = today or timezone.localdate()
    scope = Action.objects.filter(plan__compact__in=compacts)
    if top_level_only:
        scope = scope.filter(parent__isnull=True)
    actions = [
        LightAction(row)
        for row in scope.order_by("plan__title", "order", "code").values_list(
            "pk", *_HEALTH_RULE_FIELDS, "plan__compact_id"
        )
    ]
    if not actions:
        return actions
    in_scope = scope.order_by().values("pk")
    facts = _HealthFacts(
        children=Action.objects.filter(parent_id__in=in_scope),
        updated=Action.objects.filter(Q(pk__in=in_scope) | Q(parent_id__in=in_scope)),
        cited_by=Action.objects.filter(
            Q(pk__in=in_scope) | Q(pk__in=scope.order_by().values("parent_id"))
        ).values("pk"),
        compacts={action.compact_id for action in actions},
        today=today,
    )
    for action in actions:
        facts.apply(action, compact_id=action.compact_id)
    return actions


def _roll_up(action, subs: list[tuple], last_update: dict) -> None:
    """``actions_with_health``'s roll-up rule, for one action and its (pk, status, percent)
    sub-actions."""
    action.child_count = len(subs)
    own = last_update.get(action.pk)
    latest = [d for d in (own, *(last_update.get(pk) for pk, _s, _p in subs)) if d is not None]
    action.last_update_on = max(latest) if latest else None
    if not subs:
        action.rolled_status, action.rolled_percent = action.status, action.percent_complete
        return
    statuses = [status for _pk, status, _p in subs]
    if all(s == Status.DONE for s in statuses):
        action.rolled_status = Status.DONE
    elif Status.OFF_TRACK in statuses:
        action.rolled_status = Status.OFF_TRACK
    elif Status.AT_RISK in statuses:
        action.rolled_status = Status.AT_RISK
    elif all(s == Status.NOT_STARTED for s in statuses):
        action.rolled_status = Status.NOT_STARTED
    else:
        action.rolled_status = Status.ON_TRACK
    action.rolled_percent = sum(percent for _pk, _s, percent in subs) // len(subs)


def actions_in_plan_order(*, compact: Compact | None = None):
    """The compact's actions and sub-actions in plan order, as a queryset (a page of it
    goes to ``with_health``: the action list reads only the rows it shows)."""
    qs = Action.objects.all() if compact is None else Action.objects.filter(plan__compact=compact)
    return (
        qs.select_related(
            "plan", "plan__compact", "lead_person", "lead_organisation", "priority", "parent"
        )
        .prefetch_related("aims")
        .order_by("plan__title", "order", "code")
    )


def actions_health(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Actions with their health figures (see ``actions_with_health``), in plan order, as
    a list (``with_health``): six queries whatever the number of actions."""
    return with_health(actions_in_plan_order(compact=compact), today=today)


def flagged_action_ids(*, compact: Compact, today: datetime.date | None = None) -> list[int]:
    """The primary keys of the compact's flagged actions, in plan order. Whether an action
    is flagged needs every action's health, but not their text, people or aims: only the
    fields the rules read (``compact_actions_health``; issue 16)."""
    return [a.pk for a in compact_actions_health(compacts=[compact], today=today) if a.flag_count]


def actions_health_of(
    *, compact: Compact, pks: list[int], today: datetime.date | None = None
) -> list:
    """The actions ``pks`` of the compact with their health figures, in plan order: a
    page of ``flagged_action_ids``."""
    return with_health(actions_in_plan_order(compact=compact).filter(pk__in=pks), today=today)


def flagged_actions(*, compact: Compact | None = None, today: datetime.date | None = None):
    """Flagged actions as a queryset (the SQL annotations), for a further filter."""
    return (
        actions_with_health(compact=compact, today=today)
        .order_by("plan__title", "order", "code")
        .filter(flag_count__gt=0)
    )


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
