"""“Email the participants”: a manager's own subject and text to one audience of a
cohort (by participant status), through the outbox, one email per person, logged as a
``CohortMessage``. The sending itself (its checks, keys and token rule) is
``talenthub.core.messages``, shared with events."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from talenthub.core.messages import BulkMessageKind, bulk_message_preview, bulk_message_send

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


COHORT_MESSAGE = BulkMessageKind(
    model=CohortMessage,
    parent_field="cohort",
    key="cohort.message",
    template=emails.template_name(emails.MESSAGE),
    error=CohortError,
    audit_action="cohort.message_sent",
    recipients=cohort_message_recipients,
    audience_reason=AUDIENCE_REASON,
)


def message_key_prefix(message: CohortMessage) -> str:
    return COHORT_MESSAGE.key_prefix(message)


def cohort_message_progress(message: CohortMessage) -> dict[str, int]:
    return COHORT_MESSAGE.progress(message)


def cohort_message_preview(*, cohort: Cohort, audience: str, subject: str, body: str, viewer):
    """``(subject, text, count)``: the email as its first recipient will read it (as
    ``viewer`` when there is nobody) and how many people it goes to. Reads only."""
    return bulk_message_preview(
        kind=COHORT_MESSAGE,
        parent=cohort,
        audience=audience,
        subject=subject,
        body=body,
        viewer=viewer,
    )


def cohort_message_send(
    *, cohort: Cohort, actor, audience: str, subject: str, body: str, token: str
) -> CohortMessage:
    """Email ``audience`` of ``cohort`` the manager's ``subject`` and ``body``: one outbox
    row per person (key ``cohort.message:<message>:<user>``, so nobody gets it twice),
    logged as a ``CohortMessage`` with who sent it and the count. The same ``token``
    again returns the first message and sends nothing. Refused for an empty audience.
    One transaction (``bulk_message_send``)."""
    return bulk_message_send(
        kind=COHORT_MESSAGE,
        parent=cohort,
        actor=actor,
        audience=audience,
        subject=subject,
        body=body,
        token=token,
    )
