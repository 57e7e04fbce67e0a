"""Writes to the core records. Each function is one transaction."""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import AuditLog, ConsentRecord, Profile, SignInEvent, User


def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile, created empty on first need (admins made with createsuperuser
    have none until they look)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def consent_record_changes(
    *, user: User, instance, before: dict, purposes, source: str
) -> list[ConsentRecord]:
    """A ConsentRecord for each of ``purposes`` (boolean fields of ``instance``) whose
    value differs from ``before``: given when ticked, withdrawn when unticked, with the
    field's label as the words the person agreed to. Nothing for what did not change."""
    records = [
        ConsentRecord(
            user=user,
            purpose=name,
            given=bool(getattr(instance, name)),
            wording=str(instance._meta.get_field(name).verbose_name)[:300],
            source=source,
        )
        for name in purposes
        if bool(before.get(name)) != bool(getattr(instance, name))
    ]
    return ConsentRecord.objects.bulk_create(records)


def _role_changed(profile: Profile) -> None:
    from .signals import current_role_changed  # noqa: PLC0415 - signals imports services

    current_role_changed.send(sender=Profile, profile=profile)


@transaction.atomic
def profile_role_set(
    *, user: User, job_title: str, career_level: int | None, organisation=None
) -> Profile:
    """Set the person's current role, level and (when given) organisation: the one
    record of them (issue 15, item 6). The alumni profile's copy follows in the same
    transaction (``current_role_changed``). ``organisation`` None keeps the one held."""
    profile = profile_get_or_create(user=user)
    profile.job_title = job_title
    profile.career_level = career_level
    if organisation is not None:
        profile.organisation = organisation
    profile.full_clean()
    profile.save()
    _role_changed(profile)
    return profile


@transaction.atomic
def profile_update(*, user: User, full_name: str, functional_areas=(), **fields) -> Profile:
    """Update the member's name and profile in one go; validates every field first.
    Each opt-in ticked or unticked is recorded as a ConsentRecord."""
    profile = profile_get_or_create(user=user)
    before = {name: getattr(profile, name) for name in Profile.CONSENTS}
    user.full_name = full_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name"])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    profile.functional_areas.set(functional_areas)
    consent_record_changes(
        user=user, instance=profile, before=before, purposes=Profile.CONSENTS, source="profile"
    )
    _role_changed(profile)
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


def _client_ip(request) -> str | None:
    """The client's address as allauth's throttling sees it (ALLAUTH_TRUSTED_PROXY_COUNT
    decides whether X-Forwarded-For is believed), so the audit and the limits agree."""
    from allauth.core.internal.httpkit import get_client_ip  # noqa: PLC0415

    if request is None:
        return None
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
        # through the proxies; record the address it came from.
        return request.META.get("REMOTE_ADDR") or None


def sign_in_event_record(*, kind: str, request=None, user=None, email: str = "", data=None):
    """Append one row to the sign-in audit. ``email`` defaults to the user's; it is
    normalised (trimmed, lower case) and cut to the column's length, as it may be whatever
    an attacker typed. Never creates or looks up more than the user it is given."""
    email = (email or getattr(user, "email", "") or "").strip().lower()
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInEvent.objects.create(
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        email=email[: SignInEvent.EMAIL_MAX_LENGTH],
        ip_address=_client_ip(request),
        user_agent=user_agent[: SignInEvent.USER_AGENT_MAX_LENGTH],
        data=data or {},
    )


@transaction.atomic
def account_erase(*, user: User, reason: str = "", request=None) -> None:
    """Erase ``user``'s personal data in every app (``personal_data.erase_account``:
    records stay, what identifies the person goes, the account can no longer sign in),
    and record that it happened: an audit entry and a sign-in audit event, both written
    after erasure so they name only the anonymised account. One transaction: all of it
    or none."""
    from .personal_data import erase_account

    erase_account(user)
    audit_record(actor=None, action="account.erased", obj=user, reason=reason)
    sign_in_event_record(kind=SignInEvent.Kind.ACCOUNT_DELETED, request=request, user=user)


def account_find_by_email(*, email: str) -> User:
    """The one account that has ``email`` as its address or as one of its allauth email
    addresses (any case). Raises ``User.DoesNotExist`` when none does."""
    from allauth.account.models import EmailAddress

    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
        if address is None:
            raise User.DoesNotExist(f"No account has the address {email}.")
        user = address.user
    return user
