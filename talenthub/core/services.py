"""Writes to the core records. Each function is one transaction."""

from django.db import transaction

from .models import AuditLog, Profile, User


def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile, created empty on first need (admins made with createsuperuser
    have none until they look)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, full_name: str, functional_areas=(), **fields) -> Profile:
    """Update the member's name and profile in one go; validates every field first."""
    profile = profile_get_or_create(user=user)
    user.full_name = full_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name"])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    profile.functional_areas.set(functional_areas)
    return profile


def audit_record(
    *, actor, action: str, obj, reason: str = "", data: dict | None = None
) -> AuditLog:
    """Append one entry to the audit trail for ``obj``."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        reason=reason,
        data=data or {},
    )


def contact_message_send(*, name: str, email: str, message: str, user=None) -> None:
    """Send a message from the contact form to the site's inbox
    (``TALENTHUB["OPERATOR"]["CONTACT_EMAIL"]``) through the outbox, with Reply-To set to
    the sender. Nothing is sent to the address typed in: the form cannot be used to
    email strangers. Each message is its own email (a random key)."""
    import uuid

    from django.conf import settings
    from django.template.loader import render_to_string

    from .notifications import email_queue

    operator = settings.TALENTHUB["OPERATOR"]
    body = render_to_string(
        "emails/contact_message.txt",
        {"name": name, "email": email, "message": message, "user": user},
    )
    email_queue(
        key=f"contact:{uuid.uuid4()}",
        to=operator["CONTACT_EMAIL"],
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Contact form: {name[:80]}",
        body_text=body,
        headers={"Reply-To": email},
    )
