""" "Tell me when this pool next opens" on a talent pool's page (issue 18, item 5).

A talent pool runs no cohorts: people join it by nomination and assessment during an
intake, the two dates ``Programme.intake_opens_on`` / ``intake_closes_on`` its managers
set in the admin (both or neither). A member asks while the intake is not open and is
emailed once on its opening day; the alert (``programmes.ProgrammeAlert``) then ends.
The shape is the shared one (``talenthub.core.alerts``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme, ProgrammeAlert
from programmes.services import programme_alert_create
from talenthub.core import alerts

from .exceptions import AlumniError

KEY_PREFIX = "pool.intake-opened:"
TEMPLATE = "alumni_pool_intake_opened"  # templates/emails/alumni_pool_intake_opened.txt


def pool_alert_refusal(pool: Programme, today=None) -> AlumniError | None:
    """Why a member cannot ask to hear when ``pool`` next opens (the error
    ``pool_alert_subscribe`` would raise), or None: it must be a published talent pool
    whose intake is not open today."""
    if pool.status != Programme.Status.PUBLISHED or pool.kind != Programme.Kind.TALENT_POOL:
        return AlumniError(_("This is not a talent pool."), code="pool_alert_not_a_pool")
    if pool.intake_is_open(today):
        return AlumniError(
            _("This pool's intake is open now: see how to apply."), code="pool_alert_open_now"
        )
    return None


@transaction.atomic
def pool_alert_subscribe(*, pool: Programme, member, today=None) -> ProgrammeAlert:
    """Ask to be emailed when ``pool``'s next intake opens. Idempotent: asking twice
    keeps one live alert."""
    refusal = pool_alert_refusal(pool, today)
    if refusal:
        raise refusal
    return programme_alert_create(programme=pool, member=member)


def pool_alerts_send(*, now=None) -> int:
    """Beat: email every live alert on a published talent pool whose intake is open
    today, once each (outbox key ``pool.intake-opened:<alert>``); the alert then ends
    (``sent_at``). A query for due rows: a late or repeated run gives the same result,
    and an alert asked for during an open intake is not sent (asking is refused then).
    Returns the number sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = ProgrammeAlert.objects.filter(
        programme__status=Programme.Status.PUBLISHED,
        programme__kind=Programme.Kind.TALENT_POOL,
        programme__intake_opens_on__lte=today,
        programme__intake_closes_on__gte=today,
    ).select_related("programme__owner", "member")
    return alerts.alerts_send(
        due=due,
        key_prefix=KEY_PREFIX,
        template=TEMPLATE,
        context=lambda alert: {"pool": alert.programme},
        now=now,
    )
