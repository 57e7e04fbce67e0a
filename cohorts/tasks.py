"""Thin periodic tasks: each is a query for due rows, safe to run twice or late."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def expire_cohort_offers() -> int:
    """Expire offers past their deadline and offer the freed places to the waiting list."""
    return services.offers_expire()


@shared_task(acks_late=True)
def invite_cohort_feedback() -> int:
    """Invite the participants of cohorts that have ended to give feedback, once each."""
    return services.feedback_invite_due()
