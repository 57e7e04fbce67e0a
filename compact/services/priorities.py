"""Statements of annual priorities and their priorities, which may cite only aims of
the statement's terms of reference."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
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


@transaction.atomic
def priority_create(
    *, statement: PrioritiesStatement, title: str, aim_numbers, comments: str = "", order=None
) -> Priority:
    """Add a priority citing the aims it serves by number; every number must be an aim of
    the statement's terms of reference (the terms in force for that year)."""
    aims = _aims_from_numbers(statement.terms, aim_numbers)
    if order is None:
        order = statement.priorities.count() + 1
    priority = Priority(statement=statement, title=title, comments=comments, order=order)
    clean_or_raise(priority, CompactError)
    priority.save()
    priority.aims.set(aims)
    return priority


@transaction.atomic
def priority_set_aims(*, priority: Priority, aims) -> Priority:
    """Replace the aims a priority serves; rejects aims of any other terms version."""
    check_aims_in_terms(terms=priority.statement.terms, aims=aims)
    priority.aims.set(aims)
    return priority
