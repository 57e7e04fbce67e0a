"""Statements of annual priorities and their priorities, which may cite only aims of
the statement's terms of reference."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise, constraint_error
from talenthub.core.services import audit_record

from .. import selectors
from ..exceptions import CompactError
from ..models import Aim, Compact, PrioritiesStatement, Priority, TermsOfReference


@transaction.atomic
def statement_create(
    *, compact: Compact, year: str, starts_on: datetime.date, ends_on: datetime.date, actor=None
) -> PrioritiesStatement:
    """A statement of annual priorities, bound to the terms in force on ``starts_on``."""
    terms = selectors.terms_in_force(compact=compact, on=starts_on)
    if terms is None:
        raise CompactError(
            _("No terms of reference are in force on %(d)s.") % {"d": starts_on},
            code="no_terms_in_force",
        )
    statement = PrioritiesStatement(
        compact=compact, year=year, starts_on=starts_on, ends_on=ends_on, terms=terms
    )
    clean_or_raise(statement, CompactError)
    statement.save()
    audit_record(actor=actor, action="compact.statement_created", obj=statement)
    return statement


def _aims_from_numbers(terms: TermsOfReference, numbers) -> list[Aim]:
    """The aims of ``terms`` with these numbers; any number not in those terms is an error
    (this is the aim-reference validation: only aims of the terms in force)."""
    wanted = [str(n).strip().rstrip(".") for n in numbers if str(n).strip()]
    found = {a.number: a for a in Aim.objects.filter(terms=terms, number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise CompactError(
            _("Aim %(aims)s is not in the terms of reference in force (version %(v)s).")
            % {"aims": ", ".join(missing), "v": terms.version},
            code="aim_not_in_terms",
        )
    return [found[n] for n in wanted]


def check_aims_in_terms(*, terms: TermsOfReference, aims) -> None:
    foreign = [a for a in aims if a.terms_id != terms.pk]
    if foreign:
        raise CompactError(
            _("Aim %(aims)s is not in the terms of reference in force (version %(v)s).")
            % {"aims": ", ".join(a.number for a in foreign), "v": terms.version},
            code="aim_not_in_terms",
        )


def check_priority_has_aims(aims) -> None:
    """A priority says which aims of the terms it serves: one at least (a priority with
    none was shown publicly as serving "None")."""
    if not list(aims):
        message = _("Choose the aims of the terms of reference this priority serves.")
        raise CompactError(
            message,
            code="priority_without_aims",
            field_errors={"aims": [message]},
            non_field_errors=[],
        )


@transaction.atomic
def statement_update(*, statement: PrioritiesStatement, actor, changed=()) -> PrioritiesStatement:
    """Save a new or edited statement (the admin's form): it stays bound to the terms
    in force when its year starts (``PrioritiesStatement.clean``); an audit entry names
    the changed fields."""
    adding = statement.pk is None
    clean_or_raise(statement, CompactError)
    statement.save()
    audit_record(
        actor=actor,
        action="compact.statement_created" if adding else "compact.statement_updated",
        obj=statement,
        data={"changed": list(changed)},
    )
    return statement


@transaction.atomic
def priority_save(*, priority: Priority, aims, actor, changed=()) -> Priority:
    """Save a new or edited priority with the aims it serves: at least one, all of the
    statement's terms. Its order is unique in the statement; a clash with a row saved
    meanwhile by someone else (a stale form) is a ``CompactError``, not a fault."""
    aims = list(aims)
    check_priority_has_aims(aims)
    check_aims_in_terms(terms=priority.statement.terms, aims=aims)
    adding = priority.pk is None
    clean_or_raise(priority, CompactError)
    try:
        with transaction.atomic():
            priority.save()
    except IntegrityError as exc:
        error = constraint_error(exc, [Priority])
        if error is None:
            raise
        raise CompactError(error.message, code=error.code) from exc
    priority.aims.set(aims)
    audit_record(
        actor=actor,
        action="compact.priority_added" if adding else "compact.priority_updated",
        obj=priority,
        data={"changed": list(changed), "aims": [a.number for a in aims]},
    )
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, actor) -> None:
    """Remove a priority from its statement (refused while a group or action names it:
    those keep their history)."""
    audit_record(actor=actor, action="compact.priority_deleted", obj=priority)
    try:
        with transaction.atomic():
            priority.delete()
    except ProtectedError as exc:
        raise CompactError(
            _("This priority is named by a group or an action, so it cannot be removed."),
            code="priority_in_use",
        ) from exc


@transaction.atomic
def priority_create(
    *, statement: PrioritiesStatement, title: str, aim_numbers, comments: str = "", order=None
) -> Priority:
    """Add a priority citing the aims it serves by number; every number must be an aim of
    the statement's terms of reference (the terms in force for that year)."""
    aims = _aims_from_numbers(statement.terms, aim_numbers)
    check_priority_has_aims(aims)
    if order is None:
        order = statement.priorities.count() + 1
    priority = Priority(statement=statement, title=title, comments=comments, order=order)
    clean_or_raise(priority, CompactError)
    priority.save()
    priority.aims.set(aims)
    return priority


@transaction.atomic
def priority_set_aims(*, priority: Priority, aims) -> Priority:
    """Replace the aims a priority serves (one at least); rejects aims of any other terms
    version."""
    check_priority_has_aims(aims)
    check_aims_in_terms(terms=priority.statement.terms, aims=aims)
    priority.aims.set(aims)
    return priority


def _lock_draft_statement(statement: PrioritiesStatement) -> PrioritiesStatement:
    statement = (
        PrioritiesStatement.objects.select_for_update()
        .select_related("terms", "compact")
        .get(pk=statement.pk)
    )
    if not statement.is_draft:
        raise CompactError(
            _("The %(year)s statement has been published.") % {"year": statement.year},
            code="statement_not_draft",
        )
    return statement


def _check_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on <= starts_on:
        message = _("The year ends after it starts.")
        raise CompactError(
            message,
            code="statement_ends_before_start",
            field_errors={"ends_on": [message]},
            non_field_errors=[],
        )


@transaction.atomic
def statement_draft_create(
    *, compact: Compact, year: str, starts_on: datetime.date, ends_on: datetime.date, actor
) -> PrioritiesStatement:
    """Draft the next statement of annual priorities (seen by the compact's editors only
    until ``statement_publish``), bound to the terms in force when its year starts. One
    draft at a time."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if PrioritiesStatement.objects.filter(
        compact=compact, status=PrioritiesStatement.Status.DRAFT
    ).exists():
        raise CompactError(
            _("A draft statement is waiting: publish it, or edit it."),
            code="statement_draft_exists",
        )
    _check_period(starts_on, ends_on)
    terms = selectors.terms_in_force(compact=compact, on=starts_on)
    if terms is None:
        raise CompactError(
            _("No terms of reference are in force on %(d)s.") % {"d": starts_on},
            code="no_terms_in_force",
        )
    statement = PrioritiesStatement(
        compact=compact,
        year=year.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        terms=terms,
        status=PrioritiesStatement.Status.DRAFT,
    )
    clean_or_raise(statement, CompactError)
    statement.save()
    audit_record(actor=actor, action="compact.statement_drafted", obj=statement)
    return statement


@transaction.atomic
def statement_draft_update(
    *,
    statement: PrioritiesStatement,
    year: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
    changed=(),
) -> PrioritiesStatement:
    """Change a draft's year and dates. It follows the terms in force on its new start;
    its priorities must still cite only those terms' aims (``aim_not_in_terms``)."""
    statement = _lock_draft_statement(statement)
    _check_period(starts_on, ends_on)
    terms = selectors.terms_in_force(compact=statement.compact, on=starts_on)
    if terms is None:
        raise CompactError(
            _("No terms of reference are in force on %(d)s.") % {"d": starts_on},
            code="no_terms_in_force",
        )
    for priority in statement.priorities.prefetch_related("aims"):
        check_aims_in_terms(terms=terms, aims=list(priority.aims.all()))
    statement.year, statement.starts_on, statement.ends_on = year.strip(), starts_on, ends_on
    statement.terms = terms
    clean_or_raise(statement, CompactError)
    statement.save()
    audit_record(
        actor=actor,
        action="compact.statement_updated",
        obj=statement,
        data={"changed": list(changed)},
    )
    return statement


@transaction.atomic
def statement_priority_add(
    *, statement: PrioritiesStatement, title: str, aims, comments: str = "", actor
) -> Priority:
    """Add a priority to a draft, with the aims it serves: one at least, of the
    statement's terms (``priority_save``'s rules). Numbered after the last."""
    statement = _lock_draft_statement(statement)
    last = statement.priorities.order_by("-order").values_list("order", flat=True).first()
    priority = Priority(
        statement=statement, title=title.strip(), comments=comments.strip(), order=(last or 0) + 1
    )
    return priority_save(priority=priority, aims=aims, actor=actor)


@transaction.atomic
def statement_priority_remove(*, priority: Priority, actor) -> None:
    """Remove a priority from a draft (a published statement keeps its priorities)."""
    _lock_draft_statement(priority.statement)
    priority_delete(priority=priority, actor=actor)


@transaction.atomic
def statement_publish(
    *, statement: PrioritiesStatement, actor, today: datetime.date | None = None
) -> PrioritiesStatement:
    """Publish a draft: it joins the public pages (the statement covering today is the
    compact page's; every published one is in the archive, so the one before is kept
    there). Guarantees: at least one priority, each serving at least one aim of the
    statement's terms, which are still the terms in force when its year starts (a
    version adopted since the draft was made would change them); its year starts after
    the latest published statement's."""
    statement = _lock_draft_statement(statement)
    priorities = list(statement.priorities.prefetch_related("aims"))
    if not priorities:
        raise CompactError(
            _("Add the statement's priorities before publishing it."),
            code="statement_without_priorities",
        )
    terms = selectors.terms_in_force(compact=statement.compact, on=statement.starts_on)
    if terms is None or terms.pk != statement.terms_id:
        raise CompactError(
            _(
                "Other terms of reference are now in force when this year starts: change "
                "the statement's dates to bind it to them, and check its priorities' aims."
            ),
            code="terms_not_in_force",
        )
    for priority in priorities:
        aims = list(priority.aims.all())
        check_priority_has_aims(aims)
        check_aims_in_terms(terms=terms, aims=aims)
    latest = (
        PrioritiesStatement.objects.published()
        .filter(compact=statement.compact)
        .order_by("-starts_on")
        .first()
    )
    if latest is not None and statement.starts_on <= latest.starts_on:
        raise CompactError(
            _("The year starts after the latest published statement's (%(year)s).")
            % {"year": latest.year},
            code="statement_not_after_previous",
        )
    statement.status = PrioritiesStatement.Status.PUBLISHED
    statement.published_at = timezone.now()
    clean_or_raise(statement, CompactError)
    statement.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="compact.statement_published",
        obj=statement,
        data={"previous": latest.pk if latest else None},
    )
    return statement
