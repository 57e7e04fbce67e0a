"""Journey: on a programme page a member asks to be told when the next cohort opens and
registers for the provider's updates; sees both on their updates page; the cohort
opens, the beat sweep emails them once, and the email's link leads to the cohort to
apply. A visitor is asked to sign in. Every page is checked with axe (and at 320 px)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cohorts import services
from cohorts.models import Cohort
from programmes.models import ProgrammeAlert, ProviderUpdates
from tests.browser.conftest import assert_accessible, link_in_email
from tests.cohorts.factories import CohortFactory
from tests.factories import ProviderFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory


def test_subscribe_then_the_cohort_opens_and_the_email_leads_to_it(
    signed_in_page, member, settings, live_server
):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    rtb = ProviderFactory(name="Midlands Regional Talent Board")
    programme = ProgrammeFactory(title="Aspire Strategic HR and OD Business Partner", owner=rtb)
    now = timezone.now()
    cohort = CohortFactory(
        version=ProgrammeVersionFactory(programme=programme),
        name="Aspire 2.0 — Midlands, spring",
        applications_open_at=now + timedelta(days=5),
        applications_close_at=now + timedelta(days=30),
    )

    page.goto(programme.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Tell me when the next cohort opens").click()
    expect(page.get_by_text("We will email you when the next cohort opens").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "button", name="Register for updates from Midlands Regional Talent Board"
    ).click()
    expect(page.get_by_text("You are registered for updates from").first).to_be_visible()
    assert_accessible(page)
    assert ProgrammeAlert.objects.filter(member=member, sent_at__isnull=True).count() == 1
    assert ProviderUpdates.objects.filter(member=member, provider=rtb).exists()

    page.goto("/home/")
    page.get_by_role("link", name="Your updates").click()
    expect(page.locator("h1")).to_have_text("Your updates")
    expect(page.get_by_role("link", name=programme.title)).to_be_visible()
    assert_accessible(page)

    # The cohort opens; the beat sweep emails the member once.
    Cohort.objects.filter(pk=cohort.pk).update(applications_open_at=timezone.now())
    mail.outbox.clear()
    assert services.programme_alerts_send() == 1
    assert services.programme_alerts_send() == 0
    emails = [m for m in mail.outbox if m.to == [member.email]]
    assert len(emails) == 1 and "Applications open" in emails[0].subject
    page.goto(link_in_email(emails[0].body))
    expect(page.locator("h1")).to_contain_text(cohort.name)
    assert_accessible(page)

    # The alert has ended: the updates page no longer lists it; the registration stays.
    page.goto("/programmes/me/updates/")
    expect(page.get_by_role("link", name=programme.title)).to_have_count(0)
    page.get_by_role("button", name="Stop updates from Midlands Regional Talent Board").click()
    expect(page.get_by_text("You will no longer get updates from")).to_be_visible()
    assert_accessible(page)
    assert not ProviderUpdates.objects.exists()


def test_a_visitor_is_asked_to_sign_in(page):
    programme = ProgrammeFactory(title="Inspire OD")
    page.goto(programme.get_absolute_url())
    expect(page.get_by_role("link", name="Sign in to get updates")).to_be_visible()
    expect(page.get_by_role("button", name="Tell me when the next cohort opens")).to_have_count(0)
    assert_accessible(page)
