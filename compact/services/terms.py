"""Terms of reference: new versions with their numbered aims, and the reminder that
the version in force is due for its annual review."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from .. import selectors
from ..exceptions import CompactError
from ..models import Aim, Compact, CompactRole, TermsOfReference


def _check_no_draft(compact: Compact) -> None:
    """Versions are numbered in adoption order: while a draft waits (it holds the next
    number), no other version is made."""
    if TermsOfReference.objects.filter(
        compact=compact, status=TermsOfReference.Status.DRAFT
    ).exists():
        raise CompactError(
            _("A draft of the next version is waiting: adopt it, or edit it."),
            code="terms_draft_exists",
        )


def _last_adopted(compact: Compact):
    return TermsOfReference.objects.adopted().filter(compact=compact).order_by("-version").first()


def _aims_replace(terms: TermsOfReference, aims: list[tuple[str, str]]) -> None:
    """Give ``terms`` these numbered aims (``[("1", text), ("2.1", text) …]``), replacing
    any it had. A sub-aim's parent is the aim its number extends (``2.1`` → ``2``), which
    must come before it."""
    terms.aims.all().delete()
    by_number = {}
    for order, (number, text) in enumerate(aims, start=1):
        number = number.strip().rstrip(".")
        parent_number = number.rsplit(".", 1)[0] if "." in number else None
        if parent_number and parent_number not in by_number:
            raise CompactError(
                _("Aim %(n)s comes before its parent aim.") % {"n": number},
                code="aim_before_parent",
            )
        if number in by_number:
            raise CompactError(
                _("Aim %(n)s is numbered twice.") % {"n": number}, code="aim_number_twice"
            )
        aim = Aim(
            terms=terms,
            number=number,
            text=text.strip(),
            order=order,
            parent=by_number.get(parent_number),
        )
        clean_or_raise(aim, CompactError)
        aim.save()
        by_number[number] = aim


@transaction.atomic
def terms_create(*, compact: Compact, aims: list[tuple[str, str]], actor=None, **fields):
    """Create the next version of the terms, adopted, with its numbered aims, given as
    ``[("1", text), ("2", text), ("2.1", text) …]`` (see ``_aims_replace``). Versions are
    numbered 1, 2, 3 … per compact in adoption order (none while a draft waits)."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    _check_no_draft(compact)
    last = _last_adopted(compact)
    if last and fields["adopted_on"] <= last.adopted_on:
        raise CompactError(
            _("A new version must be adopted after the previous one."),
            code="terms_not_after_previous",
        )
    terms = TermsOfReference(compact=compact, version=(last.version + 1 if last else 1), **fields)
    clean_or_raise(terms, CompactError)
    terms.save()
    _aims_replace(terms, aims)
    audit_record(actor=actor, action="compact.terms_created", obj=terms)
    return terms


# The fields of a version the secretariat drafts (its dates are given on adoption).
TERMS_TEXT_FIELDS = (
    "title",
    "purpose",
    "mode_of_operation",
    "steering_group_role",
    "membership",
    "vcs_participation",
    "equality_and_diversity",
    "change_note",
)


@transaction.atomic
def terms_draft_create(
    *, compact: Compact, aims: list[tuple[str, str]], actor, **fields
) -> TermsOfReference:
    """Draft the next version of the terms (its text and aims; no dates yet): seen by
    the compact's editors only, never in force, until ``terms_adopt``. One draft at a
    time; it holds the next version number."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    _check_no_draft(compact)
    if not aims:
        raise CompactError(_("Give the terms at least one aim."), code="terms_without_aims")
    last = TermsOfReference.objects.filter(compact=compact).order_by("-version").first()
    terms = TermsOfReference(
        compact=compact,
        version=(last.version + 1 if last else 1),
        status=TermsOfReference.Status.DRAFT,
        **{name: fields.get(name, "") for name in TERMS_TEXT_FIELDS},
    )
    clean_or_raise(terms, CompactError)
    terms.save()
    _aims_replace(terms, aims)
    audit_record(actor=actor, action="compact.terms_drafted", obj=terms)
    return terms


def _lock_draft(terms: TermsOfReference) -> TermsOfReference:
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if not terms.is_draft:
        raise CompactError(
            _("Version %(v)s has been adopted: it is no longer a draft.") % {"v": terms.version},
            code="terms_not_draft",
        )
    return terms


@transaction.atomic
def terms_draft_update(
    *, terms: TermsOfReference, aims: list[tuple[str, str]], actor, changed=(), **fields
) -> TermsOfReference:
    """Edit a draft's text and aims (its aims are replaced: a draft's are cited by
    nothing, since only the terms in force can be cited). Refused once adopted."""
    terms = _lock_draft(terms)
    if not aims:
        raise CompactError(_("Give the terms at least one aim."), code="terms_without_aims")
    for name in TERMS_TEXT_FIELDS:
        if name in fields:
            setattr(terms, name, fields[name])
    clean_or_raise(terms, CompactError)
    terms.save()
    _aims_replace(terms, aims)
    audit_record(
        actor=actor,
        action="compact.terms_draft_updated",
        obj=terms,
        data={"changed": list(changed)},
    )
    return terms


@transaction.atomic
def terms_adopt(
    *,
    terms: TermsOfReference,
    adopted_on: datetime.date,
    review_due_on: datetime.date,
    actor,
    today: datetime.date | None = None,
) -> TermsOfReference:
    """Adopt a draft: from ``adopted_on`` it is the version in force, so the public pages,
    the aims priorities and actions may cite and the annual-review flag follow it.
    Guarantees, so that the flag stays right: adopted on or before today (a version
    adopted "in the future" would leave the old one, and its overdue flag, in force with
    nothing saying why), after the version before it, and with a review date after
    today (a review already due at adoption is no review date)."""
    today = today or timezone.localdate()
    Compact.objects.select_for_update().get(pk=terms.compact_id)
    terms = _lock_draft(terms)
    if adopted_on > today:
        raise CompactError(
            _("A version is adopted once it has been agreed: not on a future date."),
            code="terms_adopted_in_future",
            field_errors={"adopted_on": [_("The date of adoption cannot be in the future.")]},
            non_field_errors=[],
        )
    last = _last_adopted(terms.compact)
    if last and adopted_on <= last.adopted_on:
        message = _("A new version is adopted after the previous one (%(d)s).") % {
            "d": f"{last.adopted_on:%d %B %Y}"
        }
        raise CompactError(
            message,
            code="terms_not_after_previous",
            field_errors={"adopted_on": [message]},
            non_field_errors=[],
        )
    if review_due_on <= today or review_due_on <= adopted_on:
        message = _("The review date is after today and after the adoption.")
        raise CompactError(
            message,
            code="terms_review_not_ahead",
            field_errors={"review_due_on": [message]},
            non_field_errors=[],
        )
    if not terms.aims.exists():
        raise CompactError(_("Give the terms at least one aim."), code="terms_without_aims")
    terms.status = TermsOfReference.Status.ADOPTED
    terms.adopted_on, terms.review_due_on = adopted_on, review_due_on
    clean_or_raise(terms, CompactError)
    terms.save()
    audit_record(
        actor=actor,
        action="compact.terms_adopted",
        obj=terms,
        data={"adopted_on": str(adopted_on), "review_due_on": str(review_due_on)},
    )
    return terms


@transaction.atomic
def terms_update(*, terms: TermsOfReference, actor, changed=()) -> TermsOfReference:
    """Save a new or corrected terms version (the admin's form), with an audit entry
    naming the changed fields. A new one is numbered after the compact's last version
    and must be adopted after it (as ``terms_create``)."""
    adding = terms.pk is None
    if adding:
        compact = Compact.objects.select_for_update().get(pk=terms.compact_id)
        _check_no_draft(compact)
        last = _last_adopted(compact)
        if last and terms.adopted_on and terms.adopted_on <= last.adopted_on:
            raise CompactError(
                _("A new version must be adopted after the previous one."),
                code="terms_not_after_previous",
            )
        terms.version = last.version + 1 if last else 1
    clean_or_raise(terms, CompactError)
    terms.save()
    audit_record(
        actor=actor,
        action="compact.terms_created" if adding else "compact.terms_updated",
        obj=terms,
        data={"changed": list(changed)},
    )
    return terms


@transaction.atomic
def aim_save(*, aim: Aim, actor, changed=()) -> Aim:
    """Save a new or corrected aim of a terms version, with an audit entry."""
    adding = aim.pk is None
    clean_or_raise(aim, CompactError)
    aim.save()
    audit_record(
        actor=actor,
        action="compact.aim_added" if adding else "compact.aim_updated",
        obj=aim,
        data={"changed": list(changed)},
    )
    return aim


# The emails of the review reminder (``templates/emails/<name>.txt``).
TERMS_REVIEW = "compact_terms_review"
TERMS_REVIEW_OVERDUE = "compact_terms_review_overdue"


def send_terms_review_reminders(*, today: datetime.date | None = None, days: int = 30) -> int:
    """Remind the secretariat when the terms in force are due for their annual review
    within ``days`` days, once per terms version and person; and, once the date has
    passed with no new version adopted, tell them it is overdue (once more, a key of
    its own). A query for due rows: a late or repeated run sends nothing twice."""
    today = today or timezone.localdate()
    queued = 0
    for compact in Compact.objects.all():
        terms = selectors.terms_in_force(compact=compact, on=today)
        if terms is None or terms.review_due_on > today + datetime.timedelta(days=days):
            continue
        overdue = terms.review_due_on < today
        secretariat = CompactRole.objects.filter(
            compact=compact, role=CompactRole.Role.SECRETARIAT
        ).select_related("user")
        for role in secretariat:
            with transaction.atomic():
                queued += (
                    notify(
                        key=f"compact.terms_review:{terms.pk}:{role.user_id}",
                        user=role.user,
                        template=TERMS_REVIEW,
                        context={"terms": terms, "compact": compact},
                    )
                    is not None
                )
                if overdue:
                    queued += (
                        notify(
                            key=f"compact.terms_review_overdue:{terms.pk}:{role.user_id}",
                            user=role.user,
                            template=TERMS_REVIEW_OVERDUE,
                            context={"terms": terms, "compact": compact},
                        )
                        is not None
                    )
    return queued
