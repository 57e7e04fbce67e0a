""" "Tell me when this pool next opens" on a talent pool's page: a pool's next intake is
two dates its managers set; a member asks while it is not open and is emailed once on
the opening day, then the alert ends."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alumni import services_alerts
from alumni.exceptions import AlumniError
from programmes.models import Programme, ProgrammeAlert
from talenthub.core.models import OutboundEmail
from tests.alumni.factories import TalentPoolFactory
from tests.helpers import assert_asks_and_stops, raises_code
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def pool():
    return TalentPoolFactory(
        title="Aspire Together: Midlands regional talent pool",
        intake_opens_on=TODAY + datetime.timedelta(days=10),
        intake_closes_on=TODAY + datetime.timedelta(days=40),
    )


def test_emailed_once_on_the_opening_day_then_ended(member, pool):
    services_alerts.pool_alert_subscribe(pool=pool, member=member, today=TODAY)
    services_alerts.pool_alert_subscribe(pool=pool, member=member, today=TODAY)
    assert ProgrammeAlert.objects.count() == 1
    assert services_alerts.pool_alerts_send(now=at(TODAY)) == 0
    assert services_alerts.pool_alerts_send(now=at(pool.intake_opens_on)) == 1
    assert services_alerts.pool_alerts_send(now=at(pool.intake_opens_on)) == 0
    email = OutboundEmail.objects.get(key__startswith="pool.intake-opened:")
    assert email.recipient == member
    assert pool.title in email.body_text and pool.get_absolute_url() in email.body_text
    assert ProgrammeAlert.objects.get().sent_at is not None


def test_late_runs_still_send_within_the_intake_but_not_after(member, pool):
    services_alerts.pool_alert_subscribe(pool=pool, member=member, today=TODAY)
    after = pool.intake_closes_on + datetime.timedelta(days=1)
    assert services_alerts.pool_alerts_send(now=at(after)) == 0
    assert services_alerts.pool_alerts_send(now=at(pool.intake_closes_on)) == 1


def test_refused_during_the_intake_and_for_other_programmes(member, pool):
    with raises_code(AlumniError, "pool_alert_open_now"):
        services_alerts.pool_alert_subscribe(pool=pool, member=member, today=pool.intake_opens_on)
    with raises_code(AlumniError, "pool_alert_not_a_pool"):
        services_alerts.pool_alert_subscribe(pool=ProgrammeFactory(), member=member)
    with raises_code(AlumniError, "pool_alert_not_a_pool"):
        services_alerts.pool_alert_subscribe(
            pool=TalentPoolFactory(status=Programme.Status.DRAFT), member=member
        )
    # A pool with no intake set can be asked about: the managers set one later.
    services_alerts.pool_alert_subscribe(pool=TalentPoolFactory(), member=member)
    assert ProgrammeAlert.objects.count() == 1


def codes(info) -> list[str]:
    return [error.code for error in info.value.error_dict["__all__"]]


def test_intake_dates_are_both_or_neither_in_order_and_for_pools_only():
    pool = TalentPoolFactory.build(intake_opens_on=TODAY, intake_closes_on=None)
    with pytest.raises(ValidationError) as info:
        pool.full_clean(exclude=["owner"])
    assert codes(info) == ["programme_intake_dates_in_order"]
    pool.intake_closes_on = TODAY - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        pool.full_clean(exclude=["owner"])
    assert codes(info) == ["programme_intake_dates_in_order"]
    programme = ProgrammeFactory.build(
        intake_opens_on=TODAY, intake_closes_on=TODAY + datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as info:
        programme.full_clean(exclude=["owner"])
    assert codes(info) == ["programme_intake_for_pools_only"]


def test_the_pool_page_shows_the_intake_asks_and_stops(client, member, pool):
    url = pool.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert "Sign in to get updates" in anonymous and "Next intake" in anonymous
    assert "Tell me when this pool next opens" not in anonymous
    assert_asks_and_stops(
        client,
        member,
        page_url=url,
        ask_url=reverse("alumni:pool_alert", args=[pool.slug]),
        stop_url=reverse("programmes:alert_stop", args=[pool.slug]),
        button="Tell me when this pool next opens",
        asked="We will email you when this pool",
        alerts=ProgrammeAlert.objects.filter(programme=pool),
    )


def test_asking_about_a_programme_that_is_not_a_pool_is_refused(client, member):
    programme = ProgrammeFactory()
    client.force_login(member)
    response = client.post(reverse("alumni:pool_alert", args=[programme.slug]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ProgrammeAlert.objects.exists()
    draft = TalentPoolFactory(status=Programme.Status.DRAFT)
    assert client.post(reverse("alumni:pool_alert", args=[draft.slug])).status_code == 404


def test_the_task_is_safe_twice(member, pool, time_machine):
    from alumni.tasks import send_pool_alerts

    services_alerts.pool_alert_subscribe(pool=pool, member=member, today=TODAY)
    time_machine.move_to(at(pool.intake_opens_on))
    assert send_pool_alerts() == 1
    assert send_pool_alerts() == 0
