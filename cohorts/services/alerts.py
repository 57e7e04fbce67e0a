""" "Tell me when the next cohort opens" on a programme page (issue 18, item 5): a member
asks while no cohort of the programme takes applications, and is emailed once when one
does. The alert (``programmes.ProgrammeAlert``) then ends: a member who wants to hear of
the cohort after asks again. The shape is the shared one (``talenthub.core.alerts``)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme, ProgrammeAlert
from programmes.services import programme_alert_create
from talenthub.core import alerts

from ..exceptions import CohortError
from ..models import Cohort
from . import emails

# The kinds of programme that run in cohorts people apply to.
COHORT_KINDS = (Programme.Kind.MULTI_MODULE, Programme.Kind.WORKSHOP)
KEY_PREFIX = "programme.cohort-opened:"


def _open_cohorts(programme_id, now):
    return Cohort.objects.open_for_applications(now).filter(version__programme_id=programme_id)


def programme_alert_refusal(programme: Programme, now=None) -> CohortError | None:
    """Why a member cannot ask to hear when ``programme``'s next cohort opens (the error
    ``programme_alert_subscribe`` would raise), or None: it must be published, run in
    cohorts, and have no cohort taking applications now (apply instead)."""
    if programme.status != Programme.Status.PUBLISHED or programme.kind not in COHORT_KINDS:
        return CohortError(
            _("This programme does not run cohorts you can apply to."),
            code="programme_alert_not_cohorts",
        )
    if _open_cohorts(programme.pk, now or timezone.now()).exists():
        return CohortError(
            _("A cohort of this programme is taking applications now: apply to it."),
            code="programme_alert_open_now",
        )
    return None


@transaction.atomic
def programme_alert_subscribe(*, programme: Programme, member, now=None) -> ProgrammeAlert:
    """Ask to be emailed when a cohort of ``programme`` next opens for applications.
    Idempotent: asking twice keeps one live alert."""
    refusal = programme_alert_refusal(programme, now)
    if refusal:
        raise refusal
    return programme_alert_create(programme=programme, member=member)


def programme_alerts_send(*, now=None) -> int:
    """Beat: email every live alert whose programme (published) has a cohort open for
    applications now, once each (outbox key ``programme.cohort-opened:<alert>``), naming
    the cohorts open; the alert then ends (``sent_at``). A query for due rows, so a late
    or repeated run gives the same result. Returns the number sent."""
    now = now or timezone.now()
    due = ProgrammeAlert.objects.filter(
        programme__status=Programme.Status.PUBLISHED,
        programme__kind__in=COHORT_KINDS,
    ).filter(Exists(_open_cohorts(OuterRef("programme_id"), now)))
    open_cohorts: dict[int, list[Cohort]] = {}  # one query per programme, not per alert

    def context(alert):
        programme_id = alert.programme_id
        if programme_id not in open_cohorts:
            open_cohorts[programme_id] = list(
                _open_cohorts(programme_id, now)
                .select_related("provider")
                .order_by("applications_close_at", "pk")
            )
        return {"programme": alert.programme, "cohorts": open_cohorts[programme_id]}

    return alerts.alerts_send(
        due=due.select_related("programme", "member"),
        key_prefix=KEY_PREFIX,
        template=emails.template_name(emails.PROGRAMME_OPENED),
        context=context,
        now=now,
    )
