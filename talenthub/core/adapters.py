import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from .notifications import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """Account emails (verification, password reset) go through the outbox and a Celery
    task like every other email, instead of being sent inside the request."""

    def send_mail(self, template_prefix, email, context):
        # allauth's own send_mail adds ``email`` and ``current_site``, which its templates
        # use ("Hello from {{ current_site.name }}!"): without them an email greets from
        # nobody. The site is named after the service and SITE_URL, not the sites row.
        site = SimpleNamespace(name="TalentHub", domain=urlsplit(settings.SITE_URL).netloc)
        context = {"site_url": settings.SITE_URL, "email": email, "current_site": site, **context}
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        email_queue(
            # Each account email is its own message (a second reset request is a new email).
            key=f"account:{template_prefix}:{uuid.uuid4()}",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )

    def pre_authenticate(self, request, **credentials):
        """allauth refuses a sign-in here, before the password is checked, once the
        failed sign-ins of the address or the account reach ACCOUNT_RATE_LIMITS; the
        refusal is recorded in the sign-in audit (Django's ``user_login_failed`` is not
        sent for it)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from .models import SignInEvent, User  # noqa: PLC0415
            from .services import sign_in_event_record  # noqa: PLC0415

            typed = str(credentials.get("email") or "").strip().lower()
            typed = typed[: SignInEvent.EMAIL_MAX_LENGTH]
            sign_in_event_record(
                kind=SignInEvent.Kind.SIGN_IN_THROTTLED,
                request=request,
                user=User.objects.filter(email__iexact=typed).first() if typed else None,
                email=typed,
            )
            raise
