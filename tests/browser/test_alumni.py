"""Journeys: an alumnus updates their profile and career history; a member filters the
directory and asks an alumnus for mentoring; a programme manager reads the outcomes and a
pool's supply and demand. Every page is checked with axe."""

import datetime

from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from alumni.models import AlumniProfile, CareerEntry, MentoringRequest
from tests.alumni.factories import (
    AlumniProfileFactory,
    CareerEntryFactory,
    MentoringOfferFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
    make_alumnus,
)
from tests.browser.conftest import assert_accessible, sign_in
from tests.cohorts.factories import EndedCohortFactory
from tests.factories import PASSWORD, FunctionalAreaFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory


def test_alumnus_updates_profile_and_career_history(page, tmp_path):
    FunctionalAreaFactory(name="Organisation development")
    alumnus = make_alumnus(full_name="Priya Shah")
    # A fellow alumnus of her cohort, in the directory: hears of her career update.
    fellow = AlumniProfileFactory(
        user=make_alumnus(alumnus.cohort_participations.get().cohort, full_name="Femi Fellow")
    ).user
    sign_in(page, alumnus.email, PASSWORD)
    page.wait_for_url("**/home/")

    page.goto("/alumni/me/")
    assert_accessible(page)
    page.get_by_label("Headline", exact=True).fill("Head of HR, Sandwell")
    # Current role, organisation and level are the profile's, not typed again here.
    expect(page.get_by_label("Current role")).to_have_count(0)
    page.get_by_label("Organisation development").check()
    page.get_by_label("Skills", exact=True).fill("Business partnering, negotiation")
    photo = tmp_path / "me.png"
    Image.new("RGB", (800, 800), (0, 94, 165)).save(photo)
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_label("Alumni only").check()
    page.get_by_role("button", name="Save alumni profile").click()
    expect(page.get_by_text("Your alumni profile has been saved.")).to_be_visible()
    assert_accessible(page)
    profile = AlumniProfile.objects.get(user=alumnus)
    assert profile.visibility == "alumni" and profile.photo

    page.get_by_role("link", name="Update your career history").click()
    assert_accessible(page)
    page.get_by_label("Role", exact=True).fill("Head of HR")
    page.get_by_label("Organisation", exact=True).fill("Sandwell Council")
    page.get_by_label(
        "Level 4: head of HR, deputy director and director (band 8b and above)"
    ).check()
    page.get_by_label("From", exact=True).fill("2021-04-01")
    page.get_by_label("To", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Add role").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("To", exact=True).fill("")
    page.get_by_label("Announce this to the alumni network").check()
    page.get_by_role("button", name="Add role").click()
    expect(page.get_by_text("Your career history has been updated.")).to_be_visible()
    assert_accessible(page)
    entry = CareerEntry.objects.get(user=alumnus)
    assert entry.role == "Head of HR" and entry.announced_at
    assert [m.subject for m in mail.outbox if m.to == [fellow.email]] == [
        "[TalentHub] Career update: Priya Shah is now Head of HR"
    ]

    page.get_by_role("link", name="Change Head of HR").click()
    assert_accessible(page)
    page.get_by_label("Role", exact=True).fill("Director of People")
    page.get_by_role("button", name="Save role").click()
    expect(page.get_by_role("cell", name="Director of People Announced")).to_be_visible()
    entry.refresh_from_db()
    assert entry.role == "Director of People"
    assert sum(m.to == [fellow.email] for m in mail.outbox) == 1  # announced once only

    # Seen by another alumnus, with the photo served through the visibility rules.
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    other = make_alumnus()
    sign_in(page, other.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto(f"/alumni/{profile.pk}/")
    expect(page.get_by_role("heading", name="Priya Shah")).to_be_visible()
    expect(page.get_by_role("img", name="Photo of Priya Shah")).to_be_visible()
    assert_accessible(page)


def test_member_filters_directory_and_asks_for_mentoring(
    signed_in_page, member, live_server, settings
):
    settings.SITE_URL = live_server.url
    page = signed_in_page
    aspire = ProgrammeFactory(title="Aspire")
    cohort = EndedCohortFactory(version=ProgrammeVersionFactory(programme=aspire))
    mentor = AlumniProfileFactory(
        user=make_alumnus(cohort, full_name="Mina Mentor"), headline="Director of People"
    )
    MentoringOfferFactory(mentor=mentor.user, topics="Stepping up to head of HR")
    AlumniProfileFactory(user=make_alumnus(cohort, full_name="Neil Nomentor"))
    AlumniProfileFactory(user=make_alumnus(full_name="Other Programme"))
    AlumniProfileFactory(user=make_alumnus(cohort, full_name="Hidden Person"), visibility="hidden")
    CareerEntryFactory(
        user=mentor.user,
        role="Director of People",
        announced_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )

    page.goto("/alumni/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="3 alumni found")).to_be_visible()
    expect(page.get_by_text("Hidden Person")).to_be_hidden()
    page.get_by_label("Programme completed").select_option(label="Aspire")
    page.get_by_label("Only alumni open to mentoring").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 alumnus found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mina Mentor").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for mentoring").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your message to the mentor").fill("I want to step up to head of HR.")
    page.get_by_role("button", name="Ask for mentoring").click()
    expect(page.get_by_text("Your request has been sent to Mina Mentor.")).to_be_visible()
    assert_accessible(page)
    request = MentoringRequest.objects.get(mentee=member)
    assert request.status == "requested"
    assert any(m.to == [mentor.user.email] for m in mail.outbox)

    # The mentor accepts.
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    sign_in(page, mentor.user.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/mentoring/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Accept {member.full_name}").click()
    expect(page.get_by_text("The mentoring request has been updated.")).to_be_visible()
    assert_accessible(page)
    request.refresh_from_db()
    assert request.status == "accepted"
    assert any(m.to == [member.email] for m in mail.outbox)


def test_manager_reads_outcomes_and_supply_and_demand(page, manager, provider):
    aspire = ProgrammeFactory(owner=provider, title="Aspire")
    cohort = EndedCohortFactory(
        version=ProgrammeVersionFactory(programme=aspire),
        name="Aspire 2014",
        starts_on=datetime.date(2014, 4, 2),
        ends_on=datetime.date(2014, 11, 26),
    )
    for level in (4, 4, 3):
        CareerEntryFactory(
            user=make_alumnus(cohort), level=level, started_on=datetime.date(2017, 1, 1)
        )
    # A director before the cohort started: shown apart, not in the share.
    CareerEntryFactory(user=make_alumnus(cohort), level=4, started_on=datetime.date(2009, 1, 1))
    pool = TalentPoolFactory(owner=provider, title="Midlands senior leaders", slug="midlands")
    TalentPoolMemberFactory(pool=pool, user=make_alumnus(full_name="Ready Rita"))
    VacancyFactory(role="Director of People")
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/outcomes/")
    assert_accessible(page)
    # Completers, with a history, already at the level, reached it, share (2 of 3).
    expect(page.get_by_role("row", name="Aspire 2014 4 4 1 2 67%")).to_be_visible()
    expect(page.get_by_role("row", name="Aspire 4 4 1 2 67%")).to_be_visible()
    for chart in ("by programme", "by cohort"):
        name = f"Share of completers who reached the level, {chart}"
        expect(page.get_by_role("img", name=name)).to_be_visible()
    page.goto("/alumni/talent/")
    assert_accessible(page)
    page.get_by_role("link", name="Midlands senior leaders", exact=True).click()
    assert_accessible(page)
    expect(page.get_by_text("Ready Rita: Ready now")).to_be_visible()
    page.get_by_role("link", name="Add assessment of Ready Rita").click()
    assert_accessible(page)
    page.get_by_label("Talent assessment").fill("Board-ready; strong system leader.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Board-ready; strong system leader.")).to_be_visible()
    page.goto("/alumni/talent/vacancies/")
    assert_accessible(page)
    page.get_by_role("link", name="Post a vacancy").click()
    assert_accessible(page)
    page.get_by_role("button", name="Post vacancy").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Organisation").select_option(label=provider.name)
    page.get_by_label("Role").fill("Chief People Officer")
    page.get_by_label(
        "Level 4: head of HR, deputy director and director (band 8b and above)"
    ).check()
    page.get_by_label("Region").select_option(label="West Midlands")
    page.get_by_label("Predicted").check()
    page.get_by_label("Vacant from").fill("2027-06-01")
    page.get_by_role("button", name="Post vacancy").click()
    expect(page.get_by_text("The vacancy has been posted.")).to_be_visible()
    expect(page.get_by_role("cell", name="Chief People Officer Predicted")).to_be_visible()
    assert_accessible(page)


def test_stories_pledges_mobility_and_account_deletion(page, settings):
    from alumni.models import CareerStory
    from talenthub.core.models import User
    from tests.alumni.factories import PledgeFactory, PublishedStoryFactory

    PublishedStoryFactory(title="From payroll to Director of People")
    PledgeFactory(leader_name="Jo Bennett", statement="Every shortlist will be diverse.")
    page.goto("/alumni/")
    assert_accessible(page)
    page.get_by_role("link", name="Career stories").click()
    assert_accessible(page)
    page.get_by_role("link", name="From payroll to Director of People").click()
    assert_accessible(page)
    page.goto("/alumni/pledges/")
    assert_accessible(page)
    expect(page.get_by_text("Every shortlist will be diverse.")).to_be_visible()
    pool_member = TalentPoolMemberFactory(user=make_alumnus(full_name="Pat Pool"))
    sign_in(page, pool_member.user.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/stories/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("My route into OD")
    page.get_by_label("Your story").fill("I moved from recruitment into OD.")
    page.get_by_role("button", name="Submit story").click()
    expect(page.get_by_text("will be published when a moderator approves it")).to_be_visible()
    assert CareerStory.objects.get(title="My route into OD").status == "submitted"
    page.goto("/alumni/talent/")
    assert_accessible(page)
    page.get_by_role("link", name="Change mobility preferences").click()
    assert_accessible(page)
    page.get_by_label("East Midlands").check()
    page.get_by_label("I am open to a secondment").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your mobility preferences have been saved.")).to_be_visible()
    pool_member.refresh_from_db()
    assert pool_member.mobility_regions == ["east_midlands"]

    page.goto("/accounts/delete/")
    assert_accessible(page)
    page.get_by_label("Your password").fill("wrong password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.get(pk=pool_member.user_id).is_active
