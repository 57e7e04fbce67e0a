"""Action plans: their rows, the progress updates that set an action's status, and the
weekly digest of flagged actions to their leads."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from .. import selectors
from ..exceptions import CompactError
from ..models import Action, ActionPlan, Indicator, ProgressUpdate, Status
from .priorities import check_aims_in_terms


@transaction.atomic
def action_create(*, plan, aims=(), parent: Action | None = None, actor=None, **fields) -> Action:
    """Add a row to a plan. Aims must be aims of the terms in force today for the plan's
    compact; a sub-action's parent must be a top-level row of the same plan. Audited."""
    if parent is not None:
        if parent.plan_id != plan.pk:
            raise CompactError(
                _("A sub-action must be in its parent's plan."), code="sub_action_in_other_plan"
            )
        if parent.parent_id is not None:
            raise CompactError(
                _("Sub-actions cannot have sub-actions of their own."), code="sub_action_nested"
            )
    aims = list(aims)
    if aims:
        terms = selectors.terms_in_force(compact=plan.compact)
        if terms is None:
            raise CompactError(_("No terms of reference are in force."), code="no_terms_in_force")
        check_aims_in_terms(terms=terms, aims=aims)
    priority = fields.get("priority")
    if priority is not None and priority.statement.compact_id != plan.compact_id:
        raise CompactError(
            _("The priority belongs to another compact."), code="priority_of_other_compact"
        )
    action = Action(plan=plan, parent=parent, **fields)
    clean_or_raise(action, CompactError)
    action.save()
    action.aims.set(aims)
    audit_record(actor=actor, action="compact.action_created", obj=action)
    return action


@transaction.atomic
def action_plan_save(*, plan: ActionPlan, actor, changed=()) -> ActionPlan:
    """Save a new or edited action plan (the admin's form): its group is one of its own
    compact's, and an audit entry names the changed fields."""
    adding = plan.pk is None
    if plan.group_id and plan.group.compact_id != plan.compact_id:
        raise CompactError(
            _("The group belongs to another compact."),
            code="group_of_other_compact",
            field_errors={"group": [_("The group belongs to another compact.")]},
            non_field_errors=[],
        )
    clean_or_raise(plan, CompactError)
    plan.save()
    audit_record(
        actor=actor,
        action="compact.action_plan_created" if adding else "compact.action_plan_updated",
        obj=plan,
        data={"changed": list(changed)},
    )
    return plan


def _check_action_links(*, action: Action, aims) -> None:
    """The rules ``action_create`` keeps, for an edited row: a sub-action sits under a
    top-level row of its own plan, its aims are of the terms in force, its priority of
    its compact."""
    plan = action.plan
    if action.parent_id is not None:
        parent = action.parent
        if parent.plan_id != plan.pk:
            raise CompactError(
                _("A sub-action must be in its parent's plan."), code="sub_action_in_other_plan"
            )
        if parent.parent_id is not None:
            raise CompactError(
                _("Sub-actions cannot have sub-actions of their own."), code="sub_action_nested"
            )
        if action.pk is not None and action.sub_actions.exists():
            raise CompactError(
                _("An action with sub-actions cannot become a sub-action."),
                code="sub_action_nested",
            )
    if aims:
        terms = selectors.terms_in_force(compact=plan.compact)
        if terms is None:
            raise CompactError(_("No terms of reference are in force."), code="no_terms_in_force")
        check_aims_in_terms(terms=terms, aims=aims)
    if action.priority_id is not None and action.priority.statement.compact_id != plan.compact_id:
        raise CompactError(
            _("The priority belongs to another compact."), code="priority_of_other_compact"
        )


@transaction.atomic
def action_update(*, action: Action, actor, aims=None, changed=()) -> Action:
    """Save an edited (or, from the admin, a new) action: its lead, target date, text,
    priority and aims, under the rules of ``action_create``. Its status and progress are
    not written here: they change only through a dated progress update
    (``progress_update_add``, ``action_complete``). Audited with the changed fields."""
    adding = action.pk is None
    if not adding:
        # The status and progress as stored: an edit form cannot set them.
        stored = Action.objects.select_for_update().get(pk=action.pk)
        action.status, action.percent_complete = stored.status, stored.percent_complete
    aims = None if aims is None else list(aims)
    _check_action_links(action=action, aims=aims or [])
    clean_or_raise(action, CompactError)
    action.save()
    if aims is not None:
        action.aims.set(aims)
    audit_record(
        actor=actor,
        action="compact.action_created" if adding else "compact.action_updated",
        obj=action,
        data={"changed": list(changed)},
    )
    return action


@transaction.atomic
def action_complete(*, action: Action, actor, note: str = "") -> ProgressUpdate:
    """Close an action as done: a dated progress update at 100% (so its history says who
    closed it and when). Refused for an action already done, and for a row with
    sub-actions (those are completed one by one; the row follows them)."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status == Status.DONE:
        raise CompactError(
            _("%(code)s is already done.") % {"code": locked.code}, code="action_already_done"
        )
    update = progress_update_add(
        action=locked,
        author=actor,
        status=Status.DONE,
        percent_complete=100,
        note=note.strip() or _("Completed."),
    )
    audit_record(actor=actor, action="compact.action_completed", obj=locked)
    return update


@transaction.atomic
def action_delete(*, action: Action, actor) -> None:
    """Remove a row from its plan (the admin's delete), its sub-actions, indicators and
    updates with it; the audit entry keeps what it was."""
    audit_record(
        actor=actor,
        action="compact.action_deleted",
        obj=action,
        data={"plan": action.plan_id, "code": action.code},
    )
    action.delete()


@transaction.atomic
def action_plan_delete(*, plan: ActionPlan, actor) -> None:
    """Remove a plan with its actions (the admin's delete), audited."""
    audit_record(
        actor=actor,
        action="compact.action_plan_deleted",
        obj=plan,
        data={"actions": plan.actions.count()},
    )
    plan.delete()


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    actor,
    measure: str,
    unit: str,
    baseline,
    target,
    due_on,
    actual=None,
    actual_on=None,
) -> Indicator:
    """Correct an indicator: its measure, unit, baseline, target, due date and latest
    measured value (dated, not in the future; a value needs its date). The target still
    differs from the baseline. The row is locked; an audit entry keeps the values before."""
    if actual is not None and actual_on is None:
        actual_on = timezone.localdate()
    if actual is None:
        actual_on = None
    if actual_on is not None and actual_on > timezone.localdate():
        raise CompactError(
            _("A value is recorded once it has been measured: not for a future date."),
            code="indicator_measured_in_future",
        )
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    fields = ["measure", "unit", "baseline", "target", "due_on", "actual", "actual_on"]
    before = {name: str(getattr(indicator, name)) for name in fields}
    indicator.measure, indicator.unit = measure.strip(), unit.strip()
    indicator.baseline, indicator.target, indicator.due_on = baseline, target, due_on
    indicator.actual, indicator.actual_on = actual, actual_on
    clean_or_raise(indicator, CompactError)
    indicator.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor, action="compact.indicator_updated", obj=indicator, data={"before": before}
    )
    return indicator


@transaction.atomic
def indicator_add(
    *, action: Action, actor, measure: str, unit: str, baseline, target, due_on
) -> Indicator:
    """Give an action a SMART indicator: what is measured, its unit, the baseline, the
    target (not the baseline) and when it is due. Audited."""
    indicator = Indicator(
        action=action,
        measure=measure.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        due_on=due_on,
    )
    clean_or_raise(indicator, CompactError)
    indicator.save()
    audit_record(actor=actor, action="compact.indicator_added", obj=indicator)
    return indicator


@transaction.atomic
def indicator_record(*, indicator: Indicator, actual, on=None, actor) -> Indicator:
    """Record the latest measured value of an indicator (dated; not in the future). The
    row is locked so two people recording at once keep the later one whole."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise CompactError(
            _("A value is recorded once it has been measured: not for a future date."),
            code="indicator_measured_in_future",
        )
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = indicator.actual
    indicator.actual, indicator.actual_on = actual, on
    clean_or_raise(indicator, CompactError)
    indicator.save(update_fields=["actual", "actual_on", "updated_at"])
    audit_record(
        actor=actor,
        action="compact.indicator_recorded",
        obj=indicator,
        data={"before": str(before) if before is not None else None, "actual": str(actual)},
    )
    return indicator


@transaction.atomic
def progress_update_add(
    *, action: Action, author, status: str, percent_complete: int, note: str, on=None
) -> ProgressUpdate:
    """Record a dated progress update and make its status and progress the action's own.
    Guarantees: done means 100%; an action with sub-actions takes its status from them, so
    updates are recorded on the sub-actions instead."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.sub_actions.exists():
        raise CompactError(
            _("%(code)s takes its status from its sub-actions: update those instead.")
            % {"code": action.code},
            code="action_has_sub_actions",
        )
    if status == Status.DONE:
        percent_complete = 100
    update = ProgressUpdate(
        action=action,
        author=author,
        on=on or timezone.localdate(),
        status=status,
        percent_complete=percent_complete,
        note=note,
    )
    clean_or_raise(update, CompactError)
    update.save()
    action.status = status
    action.percent_complete = percent_complete
    clean_or_raise(action, CompactError)
    action.save(update_fields=["status", "percent_complete", "updated_at"])
    audit_record(actor=author, action="compact.progress_update", obj=action, reason=note[:500])
    return update


def send_action_digests(*, today: datetime.date | None = None) -> int:
    """Email each action lead the flagged actions they lead, once per ISO week: the key
    ``compact.digest:<lead id>:<year>-W<week>`` makes a rerun in the same week a no-op.
    Returns the number of emails queued by this call."""
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    week = f"{iso_year}-W{iso_week:02d}"
    by_lead = defaultdict(list)
    for action in selectors.flagged_actions(today=today).filter(lead_person__isnull=False):
        by_lead[action.lead_person].append(action)
    queued = 0
    for lead, actions in by_lead.items():
        with transaction.atomic():
            email = notify(
                key=f"compact.digest:{lead.pk}:{week}",
                user=lead,
                template="compact_digest",
                context={"actions": actions, "week": week, "stale_weeks": selectors.stale_weeks()},
            )
        queued += email is not None
    return queued
