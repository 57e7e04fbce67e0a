"""Stories and pledges members contribute, and their moderation (issue 19, item 3): the
author follows their pending story, moderators are emailed that something is waiting and
moderate on a page of their own, members make pledges through a form, and nothing is
public before a moderator publishes it."""

import pytest
from django.core import mail
from django.urls import reverse

from alumni import moderation, services
from alumni.exceptions import AlumniError
from alumni.models import CareerStory, Pledge
from talenthub.core.models import AuditLog, OutboundEmail
from tests.alumni.factories import (
    CareerStoryFactory,
    PublishedStoryFactory,
    SubmittedPledgeFactory,
    make_moderator,
)
from tests.factories import MemberFactory, OrganisationFactory, UserFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_moderator(full_name="Rachael Tyler")


# Who moderates, and being told ---------------------------------------------------------


def test_moderators_are_superusers_and_permission_holders_only(moderator, member, manager):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_active=False)
    assert set(moderation.moderators()) == {moderator, superuser}
    assert moderation.is_moderator(moderator) and moderation.is_moderator(superuser)
    assert not moderation.is_moderator(member) and not moderation.is_moderator(manager)


def test_a_submitted_story_emails_each_moderator_once(capture, moderator, member):
    story = capture(
        services.career_story_submit, author=member, title="From payroll to HR", body="…"
    )
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert "career story is waiting" in mail.outbox[0].subject
    assert reverse("alumni:moderation") in mail.outbox[0].body
    # Asked again (a retried task, a double submit of the same row): nobody twice.
    assert moderation.moderators_notify(story) == 0
    assert OutboundEmail.objects.filter(recipient=moderator).count() == 1


def test_a_refused_submission_tells_nobody(moderator, member):
    with raises_code(AlumniError, "blank"):
        services.career_story_submit(author=member, title="", body="…")
    assert not OutboundEmail.objects.exists()


def test_only_moderators_moderate(member, manager):
    story = CareerStoryFactory()
    pledge = SubmittedPledgeFactory()
    for someone in (member, manager):
        with raises_code(AlumniError, "not_moderator"):
            services.career_story_moderate(story=story, moderator=someone, publish=True)
        with raises_code(AlumniError, "not_moderator"):
            moderation.pledge_moderate(pledge=pledge, moderator=someone, publish=True)
    story.refresh_from_db()
    pledge.refresh_from_db()
    assert story.status == CareerStory.Status.SUBMITTED
    assert pledge.status == Pledge.Status.SUBMITTED


# The author's own story ----------------------------------------------------------------


def test_the_author_sees_their_pending_story_and_nobody_else_does(client, member):
    story = CareerStoryFactory(author=member, title="My pending story")
    url = reverse("alumni:story", args=[story.pk])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    assert "My pending story" not in client.get(reverse("alumni:stories")).content.decode()
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "My pending story" in page and "Awaiting moderation" in page
    own = client.get(reverse("alumni:my_contributions")).content.decode()
    assert "My pending story" in own and "Awaiting moderation" in own


def test_submitting_a_story_leads_to_the_authors_own_list(client, member):
    client.force_login(member)
    response = client.post(
        reverse("alumni:story_create"), {"title": "Band 3 to head of HR", "body": "How."}
    )
    assert response.status_code == 302
    assert response.url == reverse("alumni:my_contributions")
    page = client.get(response.url).content.decode()
    assert "Band 3 to head of HR" in page and "will be published when a moderator" in page


# The moderation page --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["alumni:moderation", "alumni:moderation_pledges"])
def test_the_moderation_pages_are_for_moderators_only(client, member, manager, moderator, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to sign in
    for someone in (member, manager):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "Nothing is waiting" in page and page.count("<h1") == 1


def test_the_queue_shows_what_waits_in_constant_queries(
    client, moderator, django_assert_max_num_queries
):
    PublishedStoryFactory(title="Already public")
    client.force_login(moderator)
    counts = []
    for batch in (2, 19):
        for _ in range(batch):
            CareerStoryFactory()
            SubmittedPledgeFactory()
        for name in ("alumni:moderation", "alumni:moderation_pledges"):
            with django_assert_max_num_queries(12) as queries:
                page = client.get(reverse(name)).content.decode()
            counts.append(len(queries))
            assert "Already public" not in page
    assert counts[:2] == counts[2:], counts
    page = client.get(reverse("alumni:moderation")).content.decode()
    assert "Career stories (21)" in page and "Pledges (21)" in page
    assert 'aria-label="Pagination"' in page  # more than a page waiting


def test_a_moderator_publishes_a_story_from_the_page(client, capture, moderator):
    story = CareerStoryFactory(title="From band 5 to lead")
    client.force_login(moderator)
    response = capture(
        client.post, reverse("alumni:moderate_story", args=[story.pk]), {"decision": "publish"}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == CareerStory.Status.PUBLISHED and story.moderated_by == moderator
    assert mail.outbox[-1].to == [story.author.email]
    assert "From band 5 to lead" in client.get(reverse("alumni:stories")).content.decode()
    # Twice: refused with a message, nothing changes.
    again = client.post(
        reverse("alumni:moderate_story", args=[story.pk]), {"decision": "reject"}, follow=True
    )
    assert "already been moderated" in again.content.decode()
    story.refresh_from_db()
    assert story.status == CareerStory.Status.PUBLISHED


def test_a_moderator_rejects_a_pledge_with_a_reason(client, capture, moderator):
    pledge = SubmittedPledgeFactory(statement="A pledge naming a colleague")
    client.force_login(moderator)
    capture(
        client.post,
        reverse("alumni:moderate_pledge", args=[pledge.pk]),
        {"decision": "reject", "reason": "It names a colleague."},
    )
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REJECTED and pledge.moderated_at
    assert AuditLog.objects.filter(action="pledge.rejected", reason="It names a colleague.")
    assert mail.outbox[-1].to == [pledge.submitted_by.email]
    assert "It names a colleague." in mail.outbox[-1].body
    assert "A pledge naming" not in client.get(reverse("alumni:pledges")).content.decode()


def test_a_post_without_a_decision_changes_nothing(client, moderator):
    pledge = SubmittedPledgeFactory()
    client.force_login(moderator)
    page = client.post(reverse("alumni:moderate_pledge", args=[pledge.pk]), {}, follow=True)
    assert "Choose whether to publish it" in page.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED


def test_a_non_moderator_cannot_post_a_decision(client, member):
    story = CareerStoryFactory()
    client.force_login(member)
    url = reverse("alumni:moderate_story", args=[story.pk])
    assert client.post(url, {"decision": "publish"}).status_code == 403
    story.refresh_from_db()
    assert story.status == CareerStory.Status.SUBMITTED


# Pledges made by members ----------------------------------------------------------------


def test_a_member_makes_a_pledge_public_only_after_moderation(client, capture, moderator):
    organisation = OrganisationFactory(name="Barts Health NHS Trust")
    member = MemberFactory(
        full_name="Jo Bennett",
        profile__organisation=organisation,
        profile__job_title="Director of People",
    )
    client.force_login(member)
    form = client.get(reverse("alumni:pledge_create")).content.decode()
    assert 'value="Jo Bennett"' in form and 'value="Director of People"' in form
    data = {
        "leader_name": "Jo Bennett",
        "leader_role": "Director of People",
        "organisation": organisation.pk,
        "statement": "I will sponsor reverse mentoring for my HR leadership team.",
        "confirm": "on",
    }
    response = capture(client.post, reverse("alumni:pledge_create"), data)
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.submitted_by == member
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert "reverse mentoring" not in client.get(reverse("alumni:pledges")).content.decode()
    assert "Awaiting moderation" in client.get(reverse("alumni:my_contributions")).content.decode()
    moderation.pledge_moderate(pledge=pledge, moderator=moderator, publish=True)
    client.logout()
    assert "reverse mentoring" in client.get(reverse("alumni:pledges")).content.decode()


def test_the_pledge_form_shows_its_errors_the_govuk_way(client, member):
    client.force_login(member)
    response = client.post(reverse("alumni:pledge_create"), {"leader_name": "Jo"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and page.count("<h1") == 1
    assert "Confirm that the leader named has agreed" in page
    assert "<title>Error:" in page
    assert not Pledge.objects.exists()


def test_making_a_pledge_needs_an_account(client):
    response = client.get(reverse("alumni:pledge_create"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert "sign in" in client.get(reverse("alumni:pledges")).content.decode()


def test_erasure_removes_the_pledges_a_member_submitted(member):
    from talenthub.core import personal_data

    SubmittedPledgeFactory(submitted_by=member)
    exported = personal_data.export_personal_data(member)
    assert len(exported["sections"]["alumni"]["pledges"]) == 1
    personal_data.erase_account(member)
    assert not Pledge.objects.filter(submitted_by=member).exists()


def test_the_admin_actions_moderate_pledges_through_the_service(admin_client, admin_user):
    waiting, done = SubmittedPledgeFactory(), SubmittedPledgeFactory(status=Pledge.Status.PUBLISHED)
    response = admin_client.post(
        reverse("admin:alumni_pledge_changelist"),
        {"action": "publish", "_selected_action": [waiting.pk, done.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 of the selected pledges moderated." in page
    assert "already been moderated" in page
    waiting.refresh_from_db()
    assert waiting.status == Pledge.Status.PUBLISHED and waiting.moderated_by == admin_user
