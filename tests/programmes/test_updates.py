""" "Register for updates" from a provider (the Midlands Regional Talent Board's "Register
for updates"): registered members get the provider's announcements (a cohort opening, an
event published) whatever their audience and email choices, each email with a one-click
link that ends the registration; the member's updates page lists and stops them."""

import pytest
from django.urls import reverse

from cohorts import services as cohort_services
from events.services.events import announcement_batches, event_announce_batch
from programmes import services
from programmes.exceptions import ProgrammeError
from programmes.models import ProgrammeAlert, ProviderUpdates
from talenthub.core import unsubscribe
from talenthub.core.models import AuditLog, ConsentRecord, OutboundEmail
from talenthub.core.personal_data import erase_account, export_personal_data
from tests.alumni.factories import TalentPoolFactory
from tests.cohorts.factories import CohortFactory
from tests.events.factories import EventFactory
from tests.factories import MemberFactory, OrganisationFactory, ProviderFactory
from tests.helpers import raises_code

from .factories import (
    ProgrammeAlertFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    ProviderUpdatesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rtb():
    return ProviderFactory(name="Midlands Regional Talent Board")


@pytest.fixture
def outsider():
    """A member outside every audience who turned announcements off."""
    person = MemberFactory()
    person.profile.email_programme_announcements = False
    person.profile.email_event_announcements = False
    person.profile.save()
    return person


def test_subscribe_is_idempotent_audited_consented_and_for_providers_only(member, rtb):
    services.provider_updates_subscribe(provider=rtb, member=member)
    services.provider_updates_subscribe(provider=rtb, member=member)
    assert ProviderUpdates.objects.filter(provider=rtb, member=member).count() == 1
    assert AuditLog.objects.filter(action="programmes.provider_updates_subscribed").count() == 1
    with raises_code(ProgrammeError, "not_a_provider"):
        services.provider_updates_subscribe(provider=OrganisationFactory(), member=member)
    assert services.provider_updates_unsubscribe(provider_id=rtb.pk, member=member)
    assert not services.provider_updates_unsubscribe(provider_id=rtb.pk, member=member)
    consents = ConsentRecord.objects.filter(user=member, purpose=f"provider_updates:{rtb.pk}")
    assert list(consents.order_by("pk").values_list("given", flat=True)) == [True, False]


def _announce_cohort(cohort):
    cohort_services.cohort_announce(cohort=cohort)
    for first, last in cohort_services.cohort_announcement_batches(cohort):
        cohort_services.cohort_announce_batch(cohort_id=cohort.pk, first_id=first, last_id=last)
    return OutboundEmail.objects.filter(key__startswith=f"cohort.announced:{cohort.pk}:")


def test_a_registered_member_gets_the_cohort_announcement_with_a_link_that_stops_it(outsider, rtb):
    services.provider_updates_subscribe(provider=rtb, member=outsider)
    cohort = CohortFactory(version=ProgrammeVersionFactory(programme=ProgrammeFactory(owner=rtb)))
    email = _announce_cohort(cohort).get(recipient=outsider)
    assert "registered for updates from Midlands Regional Talent Board" in email.body_text
    token = email.headers["List-Unsubscribe"].strip("<>").rsplit("/", 2)[-2]
    request = unsubscribe.token_read(token)
    assert request.kind.name == "provider" and request.scope == rtb.pk
    unsubscribe.email_unsubscribe(request=request)
    assert not ProviderUpdates.objects.exists()
    withdrawn = ConsentRecord.objects.filter(user=outsider, given=False)
    assert list(withdrawn.values_list("purpose", flat=True)) == ["unsubscribe:provider"]
    # The next announcement does not reach them.
    other = CohortFactory(version=cohort.version)
    assert not _announce_cohort(other).filter(recipient=outsider).exists()


def test_only_the_providers_own_announcements(outsider, rtb):
    services.provider_updates_subscribe(provider=rtb, member=outsider)
    cohort = CohortFactory()  # another provider's
    assert not _announce_cohort(cohort).filter(recipient=outsider).exists()


def test_a_registered_member_gets_the_event_announcement(outsider, rtb):
    services.provider_updates_subscribe(provider=rtb, member=outsider)
    event = EventFactory(organiser=rtb)
    for first, last in announcement_batches(event):
        event_announce_batch(event_id=event.pk, first_id=first, last_id=last)
    email = OutboundEmail.objects.get(key__startswith=f"event.announced:{event.pk}:")
    assert email.recipient == outsider
    assert "registered for updates from Midlands Regional Talent Board" in email.body_text


def test_the_programme_page_registers_and_stops(client, member, rtb):
    programme = ProgrammeFactory(owner=rtb, title="Aspire Together: Midlands regional talent pool")
    url = programme.get_absolute_url()
    assert "Sign in to get updates" in client.get(url).content.decode()
    client.force_login(member)
    assert "Register for updates from Midlands Regional Talent Board" in (
        client.get(url).content.decode()
    )
    response = client.post(
        reverse("programmes:provider_updates", args=[rtb.pk]), {"next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert "Stop updates from Midlands Regional Talent Board" in response.content.decode()
    assert ProviderUpdates.objects.filter(provider=rtb, member=member).exists()
    response = client.post(
        reverse("programmes:provider_updates_stop", args=[rtb.pk]), {"next": url}, follow=True
    )
    assert "Register for updates from" in response.content.decode()
    assert not ProviderUpdates.objects.exists()


def test_next_must_be_ours_and_non_providers_are_404(client, member, rtb):
    client.force_login(member)
    response = client.post(
        reverse("programmes:provider_updates", args=[rtb.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("programmes:my_updates")
    response = client.post(reverse("programmes:provider_updates", args=[OrganisationFactory().pk]))
    assert response.status_code == 404
    client.logout()
    response = client.post(reverse("programmes:provider_updates", args=[rtb.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert ProviderUpdates.objects.count() == 1


def test_the_updates_page_lists_and_stops_in_constant_queries(
    client, member, django_assert_max_num_queries
):
    for _ in range(6):
        ProgrammeAlertFactory(member=member)
        ProgrammeAlertFactory(member=member, programme=TalentPoolFactory())
        ProviderUpdatesFactory(member=member)
    ProgrammeAlertFactory()  # someone else's
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("programmes:my_updates"))
    assert len(response.context["alerts"]) == 12
    assert len(response.context["registrations"]) == 6
    alert = response.context["alerts"][0]
    client.post(reverse("programmes:alert_stop", args=[alert.programme.slug]))
    assert ProgrammeAlert.objects.filter(member=member).count() == 11
    home = client.get(reverse("personal_home")).content.decode()
    assert "Updates you asked for" in home and reverse("programmes:my_updates") in home


def test_in_the_personal_data_export_and_erased(member, rtb):
    ProgrammeAlertFactory(member=member, programme=ProgrammeFactory(title="Inspire OD"))
    services.provider_updates_subscribe(provider=rtb, member=member)
    other = ProviderUpdatesFactory(provider=rtb)
    section = export_personal_data(member)["sections"]["programmes"]
    assert [row["programme"] for row in section["opening_alerts"]] == ["Inspire OD"]
    assert [row["provider"] for row in section["provider_updates"]] == [rtb.name]
    erase_account(member)
    assert not ProgrammeAlert.objects.filter(member=member).exists()
    assert list(ProviderUpdates.objects.all()) == [other]
