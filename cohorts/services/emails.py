"""Emails of the cohorts app. Every key is deterministic per notification, so a repeated
service or task call never emails anyone twice (the outbox ignores a key it has seen)."""

from django.conf import settings
from django.template.loader import render_to_string

from talenthub.core.notifications import email_queue, notify


def notify_user(*, key: str, user, template: str, context: dict | None = None):
    return notify(key=key, user=user, template=f"cohorts_{template}", context=context)


def notify_address(*, key: str, to: str, template: str, context: dict | None = None):
    """An email to someone who may have no account (a line manager)."""
    ctx = {"site_url": settings.SITE_URL, **(context or {})}
    rendered = render_to_string(f"emails/cohorts_{template}.txt", ctx).lstrip()
    subject, _, body = rendered.partition("\n")
    return email_queue(
        key=key,
        to=to,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
        body_text=body.strip() + "\n",
    )
