"""Announcing a cohort to members: "applications are open for <cohort> of <programme>".

A programme manager announces a cohort that is open for applications (the admin action
shows whom it will reach first). After commit ``announce_cohort_task`` streams the
recipients' ids into batch tasks; each batch is one transaction, one mail merge and one
bulk insert (``notify_many``) under the outbox key ``cohort.announced:<cohort>:<user>``, so
a repeated batch emails nobody twice. The beat's ``cohorts-announce-sweep`` fans out again
an announcement cut short (a worker killed mid-batch, tasks lost with Redis). The
machinery is the shared fan-out, ``talenthub.core.fanout``; this module says who, what
and when."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from programmes.selectors import announcement_audience
from talenthub.core import fanout
from talenthub.core.services import audit_record

from ..exceptions import CohortError
from ..models import Application, Cohort, Participant
from . import emails
from .places import lock_cohort

ANNOUNCEMENT_BATCH_SIZE = fanout.BATCH_SIZE
# How long after announcing a cut-short fan-out is still made good, and how long it is
# left to the batch tasks first.
ANNOUNCEMENT_SWEEP_DAYS = 7
ANNOUNCEMENT_SWEEP_GRACE = timedelta(minutes=5)


def cohort_announcement_refusal(cohort: Cohort, now=None) -> CohortError | None:
    """Why ``cohort`` cannot be announced now (the error ``cohort_announce`` would raise),
    or None if it can: it must be open for applications (status *open*, the window not
    yet closed), of a published programme, and not announced before."""
    now = now or timezone.now()
    if cohort.announced_at is not None:
        return CohortError(
            _("Members were already told about this cohort."), code="already_announced"
        )
    if cohort.status != Cohort.Status.OPEN:
        return CohortError(
            _("Only a cohort open for applications can be announced."), code="cohort_not_open"
        )
    if cohort.applications_close_at <= now:
        return CohortError(
            _("Applications for this cohort have closed."), code="applications_closed"
        )
    if cohort.version.programme.status != Programme.Status.PUBLISHED:
        return CohortError(
            _("The programme is not published, so members could not read about it."),
            code="programme_not_published",
        )
    return None


@transaction.atomic
def cohort_announce(*, cohort: Cohort, actor=None, now=None) -> Cohort:
    """Announce that ``cohort`` is open for applications, once: its announcement time is
    recorded under the cohort's lock (a second announcement is refused with a
    ``CohortError``) and, after commit, its audience is emailed in batches."""
    now = now or timezone.now()
    lock_cohort(cohort.pk)
    cohort = Cohort.objects.with_related().get(pk=cohort.pk)
    refusal = cohort_announcement_refusal(cohort, now)
    if refusal:
        raise refusal
    cohort.announced_at = now
    cohort.save(update_fields=["announced_at", "updated_at"])
    audit_record(actor=actor, action="cohorts.cohort_announced", obj=cohort)
    from talenthub.core.queueing import enqueue_on_commit

    from ..tasks import announce_cohort_task

    enqueue_on_commit(announce_cohort_task, cohort.pk)
    return cohort


def cohort_announcement_recipients(cohort: Cohort):
    """Active members who keep "Email me when a programme I could join opens for
    applications" on and are in the programme's audience as its provider runs it
    (``programmes.selectors.audience_q``: the provider's region or network, the
    programme's career levels, functional areas and sectors), or who registered for the
    provider's updates (``announcement_audience``), and have not applied to or joined
    this cohort already."""
    User = get_user_model()
    return (
        announcement_audience(
            User.objects.filter(is_active=True),
            provider=cohort.provider,
            opted_in=Q(profile__email_programme_announcements=True),
            programme_id=cohort.version.programme_id,
        )
        .exclude(Exists(Application.objects.filter(cohort=cohort, applicant=OuterRef("pk"))))
        .exclude(Exists(Participant.objects.filter(cohort=cohort, user=OuterRef("pk"))))
    )


def cohort_announcement_key_prefix(cohort: Cohort) -> str:
    """Every announcement email of ``cohort`` has a key starting with this."""
    return f"cohort.announced:{cohort.pk}:"


def cohort_announcement_batches(cohort: Cohort, batch_size: int | None = None):
    """Yield ``(first_id, last_id)`` ranges of ``batch_size`` recipients, streaming the ids
    so memory stays flat for any number of members."""
    return fanout.id_ranges(
        cohort_announcement_recipients(cohort), batch_size or ANNOUNCEMENT_BATCH_SIZE
    )


def _still_announceable(cohort_id: int, now) -> Cohort | None:
    """The cohort, if its announcement should still go out: announced, open, and the
    application window not closed (nobody is told about a window that has shut)."""
    return (
        Cohort.objects.with_related()
        .filter(
            pk=cohort_id,
            announced_at__isnull=False,
            status=Cohort.Status.OPEN,
            applications_close_at__gt=now,
        )
        .first()
    )


def cohort_announce_batch(*, cohort_id: int, first_id: int, last_id: int, now=None) -> int:
    """Email one batch of the audience (ids ``first_id..last_id``) that applications are
    open: one outbox row per cohort and member, with List-Unsubscribe headers and a
    one-click link (kind "programmes"). Nothing if the cohort is no longer open. One
    transaction and the same few queries whatever the batch's size. Returns the number
    of emails newly queued."""
    cohort = _still_announceable(cohort_id, now or timezone.now())
    if cohort is None:
        return 0
    return fanout.queue_batch(
        recipients=cohort_announcement_recipients(cohort),
        first_id=first_id,
        last_id=last_id,
        key_prefix=cohort_announcement_key_prefix(cohort),
        template=emails.template_name(emails.ANNOUNCED),
        context={"cohort": cohort, "programme": cohort.version.programme},
        unsubscribe_kind="programmes",
        provider_updates=cohort.provider,
    )


def cohort_announcements_unfinished(now=None):
    """Cohorts announced in the last week (and at least five minutes ago), still open,
    with a member who should have been emailed and has no email queued: the fan-out was
    cut short. A query for due rows, one per cohort."""
    now = now or timezone.now()
    candidates = (
        Cohort.objects.with_related()
        .filter(
            announced_at__gte=now - timedelta(days=ANNOUNCEMENT_SWEEP_DAYS),
            announced_at__lte=now - ANNOUNCEMENT_SWEEP_GRACE,
            status=Cohort.Status.OPEN,
            applications_close_at__gt=now,
        )
        .order_by("pk")
    )
    for cohort in candidates:
        recipients = cohort_announcement_recipients(cohort)
        if fanout.unsent_exists(recipients, cohort_announcement_key_prefix(cohort)):
            yield cohort
