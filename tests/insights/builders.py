"""Known data sets for the insights reports: journeys that end at a chosen stage, for a
person in a chosen group."""

import datetime

from django.utils import timezone

from alumni.models import CareerEntry
from cohorts.models import Application, Participant
from tests.cohorts.factories import ApplicationFactory, EndedCohortFactory
from tests.factories import MemberFactory

from .factories import MonitoringRecordFactory

STAGES = ["applied", "offered", "enrolled", "completed", "promoted"]


def ended_cohort(**kwargs):
    """A cohort that ran 2022-01-10 to 2022-06-30."""
    return EndedCohortFactory(
        starts_on=datetime.date(2022, 1, 10), ends_on=datetime.date(2022, 6, 30), **kwargs
    )


def journey(cohort, stage: str, *, answers: dict | None = None, level=None):
    """One application to ``cohort`` that got as far as ``stage``; the applicant has a
    monitoring record with ``answers`` (None: no record at all)."""
    person = MemberFactory(profile__career_level=level)
    if answers is not None:
        MonitoringRecordFactory(user=person, **answers)
    reached = STAGES.index(stage)
    now = timezone.now()
    status = {
        0: Application.Status.UNSUCCESSFUL,
        1: Application.Status.OFFER_DECLINED,
    }.get(reached, Application.Status.ACCEPTED)
    application = ApplicationFactory(
        cohort=cohort,
        applicant=person,
        status=status,
        submitted_at=now,
        offer_count=1 if reached >= 1 else 0,
    )
    if reached >= 2:
        completed = reached >= 3
        Participant.objects.create(
            cohort=cohort,
            user=person,
            application=application,
            status=Participant.Status.COMPLETED if completed else Participant.Status.ENROLLED,
            completed_at=now if completed else None,
        )
    if reached >= 3:
        # Level 2 when the cohort ended; promoted people then reach level 3.
        CareerEntry.objects.create(
            user=person, role="HR Adviser", organisation_name="A trust", level=2,
            started_on=cohort.starts_on - datetime.timedelta(days=400),
        )  # fmt: skip
    if reached == 4:
        CareerEntry.objects.create(
            user=person, role="HR Business Partner", organisation_name="A trust", level=3,
            started_on=cohort.ends_on + datetime.timedelta(days=200),
        )  # fmt: skip
    return application


def journeys(cohort, plan: dict, answers: dict | None):
    """``plan``: {stage: how many journeys end there}."""
    for stage, count in plan.items():
        for _ in range(count):
            journey(cohort, stage, answers=answers)
