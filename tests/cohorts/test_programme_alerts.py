""" "Tell me when the next cohort opens" on a programme page: asked while no cohort takes
applications, emailed once when one opens (the beat sweep), then ended; stoppable before
then; refused where it could never fire or is not needed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Cohort
from programmes.models import Programme, ProgrammeAlert
from programmes.services import programme_alert_unsubscribe
from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory
from tests.helpers import assert_asks_and_stops, raises_code
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(title="Aspire Strategic HR and OD Business Partner Programme")


@pytest.fixture
def planned(programme):
    """A cohort of the programme whose applications open in three days."""
    now = timezone.now()
    return CohortFactory(
        version=ProgrammeVersionFactory(programme=programme),
        name="Aspire 2.0 — O'Connor & Sons' spring cohort",
        applications_open_at=now + timedelta(days=3),
        applications_close_at=now + timedelta(days=20),
    )


def test_an_alert_is_emailed_once_when_a_cohort_opens_then_ends(member, programme, planned):
    services.programme_alert_subscribe(programme=programme, member=member)
    services.programme_alert_subscribe(programme=programme, member=member)  # one alert
    assert ProgrammeAlert.objects.count() == 1
    assert services.programme_alerts_send() == 0  # not open yet
    opened = planned.applications_open_at + timedelta(minutes=1)
    assert services.programme_alerts_send(now=opened) == 1
    assert services.programme_alerts_send(now=opened + timedelta(minutes=5)) == 0  # once
    email = OutboundEmail.objects.get(key__startswith="programme.cohort-opened:")
    assert email.recipient == member
    assert planned.name in email.body_text
    assert planned.get_absolute_url() in email.body_text
    assert "&amp;" not in email.body_text and "&#x27;" not in email.body_text
    # The alert has ended: asking again makes a new one, for the cohort after.
    alert = ProgrammeAlert.objects.get()
    assert alert.sent_at == opened
    with raises_code(CohortError, "programme_alert_open_now"):
        services.programme_alert_subscribe(programme=programme, member=member, now=opened)
    later = opened + timedelta(days=30)  # applications closed: nothing open
    again = services.programme_alert_subscribe(programme=programme, member=member, now=later)
    assert again.pk != alert.pk and ProgrammeAlert.objects.count() == 2


def test_a_planned_or_cancelled_cohort_does_not_fire(member, programme, planned):
    services.programme_alert_subscribe(programme=programme, member=member)
    opened = planned.applications_open_at + timedelta(hours=1)
    Cohort.objects.filter(pk=planned.pk).update(status=Cohort.Status.PLANNED)
    assert services.programme_alerts_send(now=opened) == 0
    Cohort.objects.filter(pk=planned.pk).update(status=Cohort.Status.CANCELLED)
    assert services.programme_alerts_send(now=opened) == 0
    Cohort.objects.filter(pk=planned.pk).update(status=Cohort.Status.OPEN)  # opened late
    assert services.programme_alerts_send(now=opened + timedelta(days=1)) == 1


def test_each_subscriber_once_and_a_stopped_alert_is_not_sent(programme, planned):
    members = MemberFactory.create_batch(4)
    for person in members:
        services.programme_alert_subscribe(programme=programme, member=person)
    assert programme_alert_unsubscribe(programme=programme, member=members[0])
    assert not programme_alert_unsubscribe(programme=programme, member=members[0])
    opened = planned.applications_open_at + timedelta(minutes=1)
    assert services.programme_alerts_send(now=opened) == 3
    recipients = set(
        OutboundEmail.objects.filter(key__startswith="programme.cohort-opened:").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {p.pk for p in members[1:]}


def test_refused_while_open_and_for_programmes_without_cohorts(member, programme):
    CohortFactory(version=ProgrammeVersionFactory(programme=programme))  # open now
    with raises_code(CohortError, "programme_alert_open_now"):
        services.programme_alert_subscribe(programme=programme, member=member)
    for kind in (Programme.Kind.TALENT_POOL, Programme.Kind.NETWORK):
        with raises_code(CohortError, "programme_alert_not_cohorts"):
            services.programme_alert_subscribe(programme=ProgrammeFactory(kind=kind), member=member)
    with raises_code(CohortError, "programme_alert_not_cohorts"):
        services.programme_alert_subscribe(
            programme=ProgrammeFactory(status=Programme.Status.DRAFT), member=member
        )
    assert not ProgrammeAlert.objects.exists()


def test_the_programme_page_asks_and_stops(client, member, programme, planned):
    url = programme.get_absolute_url()
    assert "Sign in to get updates" in client.get(url).content.decode()
    assert_asks_and_stops(
        client,
        member,
        page_url=url,
        ask_url=reverse("cohorts:programme_alert", args=[programme.slug]),
        stop_url=reverse("programmes:alert_stop", args=[programme.slug]),
        button="Tell me when the next cohort opens",
        asked="We will email you when the next cohort opens",
        alerts=ProgrammeAlert.objects.filter(programme=programme),
    )


def test_no_button_while_a_cohort_is_open_and_a_refusal_is_a_message(client, member, programme):
    CohortFactory(version=ProgrammeVersionFactory(programme=programme))
    client.force_login(member)
    assert (
        "Tell me when the next cohort opens"
        not in client.get(programme.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("cohorts:programme_alert", args=[programme.slug]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ProgrammeAlert.objects.exists()


def test_a_draft_programme_cannot_be_asked_about(client, member):
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    client.force_login(member)
    response = client.post(reverse("cohorts:programme_alert", args=[draft.slug]))
    assert response.status_code == 404
    response = client.post(reverse("programmes:alert_stop", args=[draft.slug]))
    assert response.status_code == 404
    assert not ProgrammeAlert.objects.exists()


def test_the_task_runs_the_sweep_and_is_safe_twice(member, programme, planned, time_machine):
    from cohorts.tasks import send_programme_alerts

    services.programme_alert_subscribe(programme=programme, member=member)
    time_machine.move_to(planned.applications_open_at + timedelta(minutes=2))
    assert send_programme_alerts() == 1
    assert send_programme_alerts() == 0
    assert OutboundEmail.objects.filter(key__startswith="programme.cohort-opened:").count() == 1
