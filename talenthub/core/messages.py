"""Bulk messages: a manager's own subject and text to one audience of something they run,
through the outbox, one email per person, logged as a ``BulkMessage`` row. One
implementation for "email the attendees" (``events.services.messages``) and "email the
participants" (``cohorts.services.messages``); each app describes its kind of message
with a ``BulkMessageKind`` and keeps its own public functions.

What holds for every kind:
- an empty subject or text is refused (``message_incomplete``, with field errors), as is
  an audience with nobody in it (``message_no_recipients``);
- one outbox row per person under the key ``<kind.key>:<message>:<user>``, so nobody is
  emailed twice by a rerun;
- the confirmation form's ``token`` is unique: the same token again (a double click, a
  resubmitted POST, two at once) returns the first message and sends nothing;
- the sending is in the audit trail (``kind.audit_action``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.template.loader import get_template
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .notifications import notify_many, progress_by_key_prefix
from .services import audit_record


@dataclass(frozen=True)
class BulkMessageKind:
    """What one app's bulk message differs in."""

    model: type[models.Model]  # a concrete BulkMessage: EventMessage, CohortMessage
    parent_field: str  # the message's parent, also its name in the email's context
    key: str  # outbox keys are "<key>:<message>:<user>"
    template: str  # the name notify takes: templates/emails/<template>.txt
    error: type[DomainError]  # the app's domain error
    audit_action: str
    # (parent, audience) -> the active accounts in that audience, each once, by id; raises
    # ``error`` (code ``message_audience``) for an audience it does not know.
    recipients: Callable
    # audience -> the line telling a recipient why they get it ("attended it").
    audience_reason: Mapping[str, str]

    def key_prefix(self, message) -> str:
        return f"{self.key}:{message.pk}:"

    def progress(self, message) -> dict[str, int]:
        """How the message's emails stand (``progress_by_key_prefix``)."""
        return progress_by_key_prefix(self.key_prefix(message))

    def context(self, parent, audience: str, subject: str, body: str) -> dict:
        return {
            self.parent_field: parent,
            "message_subject": subject.strip(),
            "message_body": body.strip(),
            "audience_reason": self.audience_reason[audience],
        }

    def check(self, subject: str, body: str) -> None:
        errors = {}
        if not subject.strip():
            errors["subject"] = [_("Enter a subject")]
        if not body.strip():
            errors["body"] = [_("Enter the message")]
        if errors:
            raise self.error(
                _("Enter a subject and the message."),
                code="message_incomplete",
                field_errors=errors,
                non_field_errors=[],
            )


def bulk_message_preview(
    *, kind: BulkMessageKind, parent, audience: str, subject: str, body: str, viewer
) -> tuple[str, str, int]:
    """``(subject, text, count)``: the email as its first recipient will read it (as
    ``viewer`` when there is nobody), and how many people it will go to. Reads only."""
    kind.check(subject, body)
    recipients = kind.recipients(parent, audience)
    count = recipients.count()
    first = recipients.first() or viewer
    context = {**kind.context(parent, audience, subject, body), "user": first}
    rendered = get_template(f"emails/{kind.template}.txt").render(context)
    preview_subject, _sep, text = rendered.lstrip().partition("\n")
    return preview_subject.strip(), text.strip(), count


@transaction.atomic
def bulk_message_send(
    *, kind: BulkMessageKind, parent, actor, audience: str, subject: str, body: str, token: str
):
    """Email ``audience`` of ``parent`` the manager's ``subject`` and ``body``: one outbox
    row per person (key ``<kind.key>:<message>:<user>``, so nobody gets it twice), logged
    as a ``kind.model`` row with who sent it and the count. The same ``token`` again
    returns the first message and sends nothing. Refused for an empty audience."""
    existing = kind.model.objects.filter(token=token).first()
    if existing is not None:
        return existing
    kind.check(subject, body)
    recipients = list(
        kind.recipients(parent, audience).only("pk", "email", "full_name", "is_active")
    )
    if not recipients:
        raise kind.error(
            _("Nobody is in this audience: there is no one to email."),
            code="message_no_recipients",
        )
    try:
        with transaction.atomic():
            message = kind.model.objects.create(
                **{kind.parent_field: parent},
                sent_by=actor,
                audience=audience,
                subject=subject.strip()[:150],
                body=body.strip(),
                recipient_count=len(recipients),
                token=token,
            )
    except IntegrityError:
        # The same confirmation posted twice at once: the other request sends it.
        return kind.model.objects.get(token=token)
    prefix = kind.key_prefix(message)
    notify_many(
        template=kind.template,
        context=kind.context(parent, audience, subject, body),
        recipients=[(f"{prefix}{user.pk}", user) for user in recipients],
    )
    audit_record(
        actor=actor,
        action=kind.audit_action,
        obj=parent,
        data={"message": message.pk, "audience": audience, "recipients": len(recipients)},
    )
    return message
