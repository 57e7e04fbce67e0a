"""Personal data: what the portal holds about a member, and how it is erased.

Each app registers, once (in its ``AppConfig.ready()``), a *section*: an exporter that
returns JSON-serialisable data about one user, and an eraser that removes or anonymises
that user's personal data in the app **while keeping aggregate records correct** (a
participation, a booking or an attendance stays, so cohort sizes and attendance counts do
not change; only what identifies the person goes).

``export_personal_data(user)`` gathers every section. ``erase_account(user)`` runs every
app's eraser, then the core one last, in one transaction. The core eraser anonymises the
user row rather than deleting it, because domain records (participations, applications)
point at it with ``on_delete=PROTECT``: after erasure the row has no name, no usable
email address or password, and cannot sign in.

Registering::

    from talenthub.core import personal_data

    personal_data.register("events", exporter=export_bookings, eraser=erase_bookings)
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

Exporter = Callable[[object], object]
Eraser = Callable[[object], None]


@dataclass(frozen=True)
class Section:
    name: str
    exporter: Exporter
    eraser: Eraser


_sections: dict[str, Section] = {}


def register(name: str, *, exporter: Exporter, eraser: Eraser) -> None:
    """Register (or replace, so that a reloaded app does not register twice) a section."""
    _sections[name] = Section(name=name, exporter=exporter, eraser=eraser)


def is_registered(name: str) -> bool:
    return name in _sections


def sections() -> list[Section]:
    core = [s for s in _sections.values() if s.name == "account"]
    return core + sorted(
        (s for s in _sections.values() if s.name != "account"), key=lambda s: s.name
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export_personal_data(user) -> dict:
    """Everything the registered apps hold about ``user``, as JSON-ready data."""
    data = {
        "generated_at": timezone.now().isoformat(),
        "sections": {s.name: _jsonable(s.exporter(user)) for s in sections()},
    }
    return data


@transaction.atomic
def erase_account(user) -> None:
    """Erase ``user``'s personal data everywhere; the core account is anonymised last."""
    ordered = sections()
    for section in reversed(ordered):
        section.eraser(user)


# The core section: the account, profile, email addresses and emails sent. --------------


def _export_account(user) -> dict:
    from allauth.account.models import EmailAddress

    profile = getattr(user, "profile", None)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "profile": None
        if profile is None
        else {
            "organisation": str(profile.organisation) if profile.organisation else None,
            "job_title": profile.job_title,
            "career_level": profile.career_level,
            "functional_areas": [a.name for a in profile.functional_areas.all()],
            "cipd_grade": profile.cipd_grade,
            "region": profile.region,
            "email_event_announcements": profile.email_event_announcements,
            "email_programme_announcements": profile.email_programme_announcements,
            "email_bulletins": profile.email_bulletins,
            "email_reminders": profile.email_reminders,
        },
        "consents": [
            {
                "what": c.wording,
                "purpose": c.purpose,
                "given": c.given,
                "at": c.at,
                "where": c.source,
            }
            for c in user.consent_records.order_by("at", "pk")
        ],
        "sign_in_history": [
            {"what": e.get_kind_display(), "at": e.at, "ip_address": e.ip_address}
            for e in user.sign_in_events.order_by("at")
        ],
        "emails_sent_to_you": [
            {"subject": e.subject, "status": e.status, "created_at": e.created_at}
            for e in user.outbound_emails.order_by("created_at")
        ],
    }


def _erase_account(user) -> None:
    from allauth.account.models import EmailAddress
    from django.db.models import F, Q, Value
    from django.db.models.functions import Replace

    from .models import AuditLog, ConsentRecord, OutboundEmail, Profile, SignInEvent

    # The audit trail stays (who did what, when), without the person's name or address.
    for identifier in {user.full_name.strip(), user.email} - {""}:
        for column in ("object_repr", "reason"):
            AuditLog.objects.filter(**{f"{column}__contains": identifier}).update(
                **{column: Replace(F(column), Value(identifier), Value("(erased)"))}
            )
    # The sign-in audit keeps its rows (when, from where), without the address typed.
    SignInEvent.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(email="")
    EmailAddress.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    # With the person gone there is no consent to prove, and their choices are theirs.
    ConsentRecord.objects.filter(user=user).delete()
    # The outbox keeps its rows (sent counts), without the address, subject or body; an
    # email not yet sent never will be (it would go to nobody, and be retried for ever).
    theirs = OutboundEmail.objects.filter(Q(recipient=user) | Q(to__iexact=user.email))
    theirs.filter(status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.FAILED, last_error="Recipient's account was deleted."
    )
    theirs.update(
        to="erased@invalid.invalid", subject="(erased)", body_text="", body_html="", recipient=None
    )
    user.email = f"erased-{user.pk}@invalid.invalid"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()


register("account", exporter=_export_account, eraser=_erase_account)
