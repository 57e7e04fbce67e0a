"""Statements of annual priorities and their priorities, which may cite only aims of
the statement's terms of reference."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
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
