"""Emails of the cohorts app. Every key is deterministic per notification, so a repeated
service or task call never emails anyone twice (the outbox ignores a key it has seen)."""

from django.conf import settings
from django.template.loader import render_to_string

from talenthub.core.notifications import email_queue, notify

# Every email the cohorts app sends, by its template's path under templates/ (first line:
# the subject). grep a template's file name (``cohorts_offered.txt``) to find the code
# that sends it: callers pass these constants, never a name built at run time.
APPLICATION_SUBMITTED = "emails/cohorts_application_submitted.txt"
LINE_MANAGER_SUPPORT = "emails/cohorts_line_manager_support.txt"
LINE_MANAGER_CONFIRMED = "emails/cohorts_line_manager_confirmed.txt"
FEEDBACK_INVITE = "emails/cohorts_feedback_invite.txt"
OFFERED = "emails/cohorts_offered.txt"
WAITING_LIST = "emails/cohorts_waiting_list.txt"
UNSUCCESSFUL = "emails/cohorts_unsuccessful.txt"
ENROLLED = "emails/cohorts_enrolled.txt"
SUBSIDY_CAP_REACHED = "emails/cohorts_subsidy_cap_reached.txt"
OFFER_DECLINED = "emails/cohorts_offer_declined.txt"
OFFER_EXPIRED = "emails/cohorts_offer_expired.txt"
ANNOUNCED = "emails/cohorts_announced.txt"
PROGRAMME_OPENED = "emails/cohorts_programme_opened.txt"  # "tell me when it opens"
MESSAGE = "emails/cohorts_message.txt"  # a manager's own text (services.messages)
COHORT_EMAILS = (
    APPLICATION_SUBMITTED,
    LINE_MANAGER_SUPPORT,
    LINE_MANAGER_CONFIRMED,
    FEEDBACK_INVITE,
    OFFERED,
    WAITING_LIST,
    UNSUCCESSFUL,
    ENROLLED,
    SUBSIDY_CAP_REACHED,
    OFFER_DECLINED,
    OFFER_EXPIRED,
    ANNOUNCED,
    PROGRAMME_OPENED,
    MESSAGE,
)


def template_name(template: str) -> str:
    """The name ``notify`` takes (``templates/emails/<name>.txt``)."""
    if template not in COHORT_EMAILS:
        raise ValueError(f"{template!r} is not one of the cohorts emails")
    return template.removeprefix("emails/").removesuffix(".txt")


def notify_user(*, key: str, user, template: str, context: dict | None = None):
    return notify(key=key, user=user, template=template_name(template), context=context)


def notify_address(*, key: str, to: str, template: str, context: dict | None = None):
    """An email to someone who may have no account (a line manager)."""
    ctx = {"site_url": settings.SITE_URL, **(context or {})}
    template_name(template)  # one of ours
    rendered = render_to_string(template, ctx).lstrip()
    subject, _, body = rendered.partition("\n")
    return email_queue(
        key=key,
        to=to,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
        body_text=body.strip() + "\n",
    )
