"""Journeys of issue 19: a pool manager runs their pool from their own pages (members,
readiness, a shared assessment, a succession plan, a vacancy's candidates); a mentor
agrees goals, logs sessions and closes the relationship with a review. Axe on every
page reached."""

from playwright.sync_api import expect

from alumni.models import KeyRole, MentoringRequest, TalentPoolMember
from talenthub.core.choices import Region
from tests.alumni.factories import (
    AlumniProfileFactory,
    MentoringOfferFactory,
    MentoringRequestFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
    make_alumnus,
)
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, FunctionalAreaFactory, MemberFactory, OrganisationFactory


def test_pool_manager_runs_the_pool(page, manager, provider):
    area = FunctionalAreaFactory(name="Employee relations")
    pool = TalentPoolFactory(owner=provider, title="Midlands senior leaders", slug="midlands")
    TalentPoolMemberFactory(pool=pool, user=MemberFactory(full_name="Ready Rita"))
    newcomer = MemberFactory(full_name="Nia Newcomer", email="nia@example.com")
    trust = OrganisationFactory(name="Sherwood Forest Hospitals")
    VacancyFactory(role="Director of People", organisation=trust, functional_area=area)
    sign_in(page, manager.email, PASSWORD)
    page.wait_for_url("**/home/")

    page.goto("/alumni/talent/")
    assert_accessible(page)
    page.get_by_role("link", name="members of Midlands senior leaders").click()
    assert_accessible(page)
    page.get_by_role("link", name="Select a member").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add to the pool").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address of the person to select").fill("nia@example.com")
    page.get_by_label("Level of role aimed for").select_option("4")
    page.get_by_label("Ready in 1 to 2 years").check()
    page.get_by_label("Home region").select_option(label="West Midlands")
    page.get_by_role("button", name="Add to the pool").click()
    expect(page.get_by_text("Nia Newcomer has been added to the pool.")).to_be_visible()
    assert_accessible(page)

    # Readiness and functional area change on the member's page.
    page.get_by_label("Ready now").check()
    page.get_by_label("Employee relations").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nia Newcomer’s details have been saved.")).to_be_visible()
    assert_accessible(page)
    member = TalentPoolMember.objects.get(pool=pool, user=newcomer)
    assert member.readiness == "ready_now"

    # An assessment shared with her.
    page.get_by_role("link", name="Add assessment of Nia Newcomer").click()
    assert_accessible(page)
    page.get_by_label("Talent assessment").fill("Ready for a director post.")
    page.get_by_label("Share this assessment with the member").check()
    page.get_by_role("button", name="Save assessment").click()
    page.goto("/alumni/talent/pools/midlands/members/")
    expect(page.get_by_role("row", name="Nia Newcomer")).to_contain_text("Shared")

    # A succession plan for a key role.
    page.goto("/alumni/talent/pools/midlands/succession/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a key role").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Chief People Officer")
    page.get_by_label("Organisation").select_option(label="Sherwood Forest Hospitals")
    page.get_by_label("Level").select_option("4")
    page.get_by_label("Region").select_option(label="East Midlands")
    page.get_by_label("Incumbent").fill("Sam Holder")
    page.get_by_role("button", name="Add the key role").click()
    expect(page.get_by_text("No successor named")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pool member").select_option(label="Nia Newcomer")
    page.get_by_label("Ready now").check()
    page.get_by_role("button", name="Add successor").click()
    expect(page.get_by_text("The successor has been added to the plan.")).to_be_visible()
    expect(page.get_by_text("Only one successor")).to_be_visible()
    assert_accessible(page)
    assert KeyRole.objects.get(pool=pool).successors.count() == 1

    # The vacancy's candidates: Nia (in its area) before Rita.
    page.goto("/alumni/talent/vacancies/")
    page.get_by_role("link", name="Candidates for Director of People").click()
    assert_accessible(page)
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Nia Newcomer")
    expect(rows.nth(1)).to_contain_text("Ready Rita")

    # Removing asks first.
    page.goto(f"/alumni/talent/members/{member.pk}/")
    page.get_by_role("link", name="Remove Nia Newcomer from the pool").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove from the pool").click()
    expect(page.get_by_text("Nia Newcomer has left the pool.")).to_be_visible()
    assert not TalentPoolMember.objects.filter(pk=member.pk).exists()


def agree_goals_and_log_a_session(page, *, goals: str, notes: str) -> None:
    """On the relationship page, as either party: goals and a monthly rhythm saved, a
    session dated in the future refused as a form error, then one logged. Axe after each
    step."""
    page.get_by_label("Goals").fill(goals)
    page.get_by_label("How often you meet").select_option(label="Every month")
    page.get_by_role("button", name="Save goals").click()
    expect(page.get_by_role("definition").filter(has_text="Every month")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the session").fill("2099-01-01")
    page.get_by_role("button", name="Log session").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the session").fill("2026-01-15")
    page.get_by_label("What you discussed and agreed").fill(notes)
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("cell", name=notes)).to_be_visible()
    assert_accessible(page)


def test_mentor_keeps_the_relationship(page):
    mentor = AlumniProfileFactory(user=make_alumnus(full_name="Mina Mentor")).user
    mentee = MemberFactory(full_name="Tom Mentee")
    relationship = MentoringRequestFactory(
        offer=MentoringOfferFactory(mentor=mentor, capacity=1),
        mentee=mentee,
        status=MentoringRequest.Status.ACCEPTED,
    )
    sign_in(page, mentor.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/mentoring/")
    assert_accessible(page)
    page.get_by_role("link", name="Tom Mentee").click()
    assert_accessible(page)
    agree_goals_and_log_a_session(
        page, goals="Get ready for a head of HR interview.", notes="Practised a board paper."
    )

    # At capacity: not offered to others.
    page.goto(f"/alumni/{mentor.alumni_profile.pk}/")
    expect(page.get_by_text("mentoring as many people as they can")).to_be_visible()

    page.goto("/alumni/mentoring/")
    page.get_by_role("button", name="End mentoring with Tom Mentee").click()
    page.get_by_role("link", name="Tom Mentee").click()
    page.get_by_label("Your closing review").fill("Tom is ready for head of HR.")
    page.get_by_role("button", name="Save your review").click()
    expect(page.get_by_role("definition").filter(has_text="Tom is ready for head")).to_be_visible()
    assert_accessible(page)
    relationship.refresh_from_db()
    assert relationship.status == "ended" and relationship.sessions.count() == 1


def test_mentee_finds_a_mentor_and_keeps_the_relationship(page):
    """The mentee's side: suggested mentors (one with room, one full), a request from the
    mentor's profile, the mentor accepts, goals and the session log on the relationship
    page, and the mentee's closing review. Axe on every page reached."""
    area = FunctionalAreaFactory(name="Business partnering")
    mentee = MemberFactory(
        full_name="Tom Mentee",
        profile__region=Region.WEST_MIDLANDS,
        profile__career_level=2,
    )
    mentee.profile.functional_areas.add(area)
    mentor = AlumniProfileFactory(user=make_alumnus(full_name="Mina Mentor"))
    mentor.functional_areas.add(area)
    MentoringOfferFactory(mentor=mentor.user, capacity=1, topics="Business partnering")
    full = AlumniProfileFactory(user=make_alumnus(full_name="Fay Full"))
    full.functional_areas.add(area)
    MentoringRequestFactory(
        offer=MentoringOfferFactory(mentor=full.user, capacity=1),
        status=MentoringRequest.Status.ACCEPTED,
    )

    sign_in(page, mentee.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/mentoring/")
    assert_accessible(page)
    page.get_by_role("link", name="Suggested mentors for you").click()
    assert_accessible(page)
    page.get_by_label("What would you like help with?").fill("business partnering")
    page.get_by_role("button", name="Suggest mentors").click()
    card = page.locator(".govuk-summary-card").filter(has_text="Mina Mentor")
    expect(card).to_contain_text("Works in Business partnering")
    expect(card).to_contain_text("above yours")
    expect(page.get_by_text("Fay Full")).to_have_count(0)  # at capacity: not suggested
    assert_accessible(page)

    # The request, from the mentor's profile: an empty message is a form error.
    card.get_by_role("link", name="Mina Mentor").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for mentoring").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your message to the mentor").fill("Help me become a business partner.")
    page.get_by_role("button", name="Ask for mentoring").click()
    expect(page.get_by_text("Your request has been sent to Mina Mentor.")).to_be_visible()
    expect(page.get_by_role("row", name="Mina Mentor")).to_contain_text("Requested")
    assert_accessible(page)

    # The mentor accepts.
    page.context.clear_cookies()
    sign_in(page, mentor.user.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/mentoring/")
    assert_accessible(page)
    page.get_by_role("button", name="Accept Tom Mentee").click()
    expect(page.get_by_text("The mentoring request has been updated.")).to_be_visible()
    assert_accessible(page)

    # Back as the mentee: the relationship page, goals and the session log.
    page.context.clear_cookies()
    sign_in(page, mentee.email, PASSWORD)
    page.wait_for_url("**/home/")
    page.goto("/alumni/mentoring/")
    expect(page.get_by_role("row", name="Mina Mentor")).to_contain_text("Accepted")
    assert_accessible(page)
    page.get_by_role("link", name="Mina Mentor", exact=True).click()
    expect(page.get_by_text("Your mentor")).to_be_visible()
    assert_accessible(page)
    agree_goals_and_log_a_session(
        page, goals="Lead the business partnering for a division.", notes="Mapped my stakeholders."
    )
    expect(page.get_by_role("cell", name="Tom Mentee")).to_be_visible()  # logged by

    # The mentee ends it and writes a closing review.
    page.goto("/alumni/mentoring/")
    page.get_by_role("button", name="End mentoring with Mina Mentor").click()
    expect(page.get_by_role("row", name="Mina Mentor")).to_contain_text("Ended")
    assert_accessible(page)
    page.get_by_role("link", name="Mina Mentor", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Save your review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your closing review").fill("Mina helped me plan my next move.")
    page.get_by_role("button", name="Save your review").click()
    expect(
        page.get_by_role("definition").filter(has_text="Mina helped me plan my next move.")
    ).to_be_visible()
    assert_accessible(page)
    relationship = MentoringRequest.objects.get(mentee=mentee)
    assert relationship.status == MentoringRequest.Status.ENDED
    assert relationship.mentee_review == "Mina helped me plan my next move."
    assert relationship.sessions.get().logged_by == mentee
