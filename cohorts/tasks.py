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


@shared_task(acks_late=True)
def promote_cohort_waiting_list(cohort_id: int) -> int:
    """Offer a cohort's free places to its waiting list (safe to run any number of
    times: with no free place or nobody waiting it does nothing)."""
    from .models import Cohort

    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    return len(services.cohort_fill_places(cohort=cohort))
