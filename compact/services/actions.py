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
from ..models import Action, Indicator, ProgressUpdate, Status
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
