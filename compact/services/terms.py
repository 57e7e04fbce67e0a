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


@transaction.atomic
def terms_create(*, compact: Compact, aims: list[tuple[str, str]], actor=None, **fields):
    """Create the next version of the terms with its numbered aims, given as
    ``[("1", text), ("2", text), ("2.1", text) …]``. A sub-aim's parent is the aim its
    number extends (``2.1`` → ``2``), which must come before it. Versions are numbered
    1, 2, 3 … per compact in adoption order."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    last = TermsOfReference.objects.filter(compact=compact).order_by("-version").first()
    if last and fields["adopted_on"] <= last.adopted_on:
        raise CompactError(
            _("A new version must be adopted after the previous one."),
            code="terms_not_after_previous",
        )
    terms = TermsOfReference(compact=compact, version=(last.version + 1 if last else 1), **fields)
    clean_or_raise(terms, CompactError)
    terms.save()
    by_number = {}
    for order, (number, text) in enumerate(aims, start=1):
        number = number.strip().rstrip(".")
        parent_number = number.rsplit(".", 1)[0] if "." in number else None
        if parent_number and parent_number not in by_number:
            raise CompactError(
                _("Aim %(n)s comes before its parent aim.") % {"n": number},
                code="aim_before_parent",
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
    audit_record(actor=actor, action="compact.terms_created", obj=terms)
    return terms


@transaction.atomic
def terms_update(*, terms: TermsOfReference, actor, changed=()) -> TermsOfReference:
    """Save a new or corrected terms version (the admin's form), with an audit entry
    naming the changed fields. A new one is numbered after the compact's last version
    and must be adopted after it (as ``terms_create``)."""
    adding = terms.pk is None
    if adding:
        Compact.objects.select_for_update().get(pk=terms.compact_id)
        last = TermsOfReference.objects.filter(compact_id=terms.compact_id).order_by("-version")
        last = last.first()
        if last and terms.adopted_on <= last.adopted_on:
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
