"""“Email the participants”: a manager's own subject and text to one audience of a
cohort (by participant status), through the outbox, one email per person, logged as a
``CohortMessage``. The events twin is ``events.services.messages``."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils.translation import gettext as _

from talenthub.core.notifications import notify_many, progress_by_key_prefix
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Cohort, CohortMessage, Participant
from . import emails

Audience = CohortMessage.Audience

AUDIENCE_STATUSES = {
    Audience.ACTIVE: [Participant.Status.ENROLLED, Participant.Status.COMPLETED],
    Audience.ENROLLED: [Participant.Status.ENROLLED],
    Audience.COMPLETED: [Participant.Status.COMPLETED],
    Audience.NOT_COMPLETED: [Participant.Status.NOT_COMPLETED],
}
AUDIENCE_REASON = {
    Audience.ACTIVE: _("are taking part in it"),
    Audience.ENROLLED: _("are taking part in it"),
    Audience.COMPLETED: _("completed it"),
    Audience.NOT_COMPLETED: _("took part in it"),
}


def cohort_message_recipients(cohort: Cohort, audience: str):
    """The active accounts in ``audience`` of ``cohort``, each once, by id."""
    if audience not in AUDIENCE_STATUSES:
        raise CohortError(_("Choose who to email."), code="message_audience")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            cohort_participations__cohort=cohort,
            cohort_participations__status__in=AUDIENCE_STATUSES[audience],
        )
        .distinct()
        .order_by("pk")
    )


def message_key_prefix(message: CohortMessage) -> str:
    return f"cohort.message:{message.pk}:"


def cohort_message_progress(message: CohortMessage) -> dict[str, int]:
    return progress_by_key_prefix(message_key_prefix(message))


def _context(cohort, audience, subject, body) -> dict:
    return {
        "cohort": cohort,
        "message_subject": subject.strip(),
        "message_body": body.strip(),
        "audience_reason": AUDIENCE_REASON[audience],
    }


def _check(subject: str, body: str) -> None:
    errors = {}
    if not subject.strip():
        errors["subject"] = [_("Enter a subject")]
    if not body.strip():
        errors["body"] = [_("Enter the message")]
    if errors:
        raise CohortError(
            _("Enter a subject and the message."),
            code="message_incomplete",
            field_errors=errors,
            non_field_errors=[],
        )


def cohort_message_preview(*, cohort: Cohort, audience: str, subject: str, body: str, viewer):
    """``(subject, text, count)``: the email as its first recipient will read it (as
    ``viewer`` when there is nobody) and how many people it goes to. Reads only."""
    _check(subject, body)
    recipients = cohort_message_recipients(cohort, audience)
    count = recipients.count()
    context = {**_context(cohort, audience, subject, body), "user": recipients.first() or viewer}
    rendered = get_template(emails.MESSAGE).render(context)
    preview_subject, _sep, text = rendered.lstrip().partition("\n")
    return preview_subject.strip(), text.strip(), count


@transaction.atomic
def cohort_message_send(
    *, cohort: Cohort, actor, audience: str, subject: str, body: str, token: str
) -> CohortMessage:
    """Email ``audience`` of ``cohort`` the manager's ``subject`` and ``body``: one outbox
    row per person (key ``cohort.message:<message>:<user>``, so nobody gets it twice),
    logged as a ``CohortMessage`` with who sent it and the count. The same ``token``
    again returns the first message and sends nothing. Refused for an empty audience."""
    existing = CohortMessage.objects.filter(token=token).first()
    if existing is not None:
        return existing
    _check(subject, body)
    recipients = list(
        cohort_message_recipients(cohort, audience).only("pk", "email", "full_name", "is_active")
    )
    if not recipients:
        raise CohortError(
            _("Nobody is in this audience: there is no one to email."),
            code="message_no_recipients",
        )
    try:
        with transaction.atomic():
            message = CohortMessage.objects.create(
                cohort=cohort,
                sent_by=actor,
                audience=audience,
                subject=subject.strip()[:150],
                body=body.strip(),
                recipient_count=len(recipients),
                token=token,
            )
    except IntegrityError:
        return CohortMessage.objects.get(token=token)
    prefix = message_key_prefix(message)
    notify_many(
        template=emails.template_name(emails.MESSAGE),
        context=_context(cohort, audience, subject, body),
        recipients=[(f"{prefix}{user.pk}", user) for user in recipients],
    )
    audit_record(
        actor=actor,
        action="cohort.message_sent",
        obj=cohort,
        data={"message": message.pk, "audience": audience, "recipients": len(recipients)},
    )
    return message
