"""The secretariat's pages (issue 19, item 5): what was admin-only, for the compact's
editors, scoped to their compact, through the same services as the admin, with a
confirmation before the e-bulletin's bulk email."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact.models import Bulletin, Document, GroupMembership, Meeting
from talenthub.core.models import AuditLog, OutboundEmail
from tests.compact.factories import (
    PDF_BYTES,
    BulletinFactory,
    GroupFactory,
    MembershipFactory,
    NewsItemFactory,
    PlanFactory,
    SubscriptionFactory,
)
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def pages(world):
    slug = world.compact.slug
    draft = BulletinFactory(compact=world.compact, number=7, title="Spring news")
    membership = GroupMembership.objects.get(group=world.steering)
    meeting = Meeting.objects.create(
        group=world.steering, starts_at=timezone.now() + datetime.timedelta(days=5), place="Derby"
    )
    return [
        reverse("compact:secretariat", args=[slug]),
        reverse("compact:group_members", args=[slug, world.steering.pk]),
        reverse("compact:meeting_schedule", args=[slug, world.steering.pk]),
        reverse("compact:membership_end", args=[slug, membership.pk]),
        reverse("compact:subgroup_report", args=[slug, meeting.pk]),
        reverse("compact:action_create", args=[slug, world.plan.pk]),
        reverse("compact:bulletin_drafts", args=[slug]),
        reverse("compact:bulletin_compose", args=[slug, draft.pk]),
        reverse("compact:bulletin_send", args=[slug, draft.pk]),
    ]


def test_each_page_per_role(client, world):
    urls = pages(world)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for who in [world.representative, world.org_member, world.outsider, world.other_secretariat]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
    for who in [world.secretariat, world.steering_member]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)


def test_another_compacts_objects_are_refused(client, world):
    other_group = GroupFactory(compact=world.other, name="Steering Q")
    other_membership = MembershipFactory(group=other_group)
    other_draft = BulletinFactory(compact=world.other, number=1)
    other_plan = PlanFactory(compact=world.other)
    slug = world.compact.slug
    client.force_login(world.secretariat)
    for url in [
        reverse("compact:group_members", args=[slug, other_group.pk]),
        reverse("compact:meeting_schedule", args=[slug, other_group.pk]),
        reverse("compact:membership_end", args=[slug, other_membership.pk]),
        reverse("compact:bulletin_compose", args=[slug, other_draft.pk]),
        reverse("compact:bulletin_send", args=[slug, other_draft.pk]),
        reverse("compact:action_create", args=[slug, other_plan.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_the_secretariat_seats_and_unseats_a_member(client, world):
    url = reverse("compact:group_members", args=[world.compact.slug, world.steering.pk])
    person = MemberFactory(email="new.member@derby.example")
    client.force_login(world.secretariat)
    data = {"email": person.email, "role": "member", "starts_on": str(timezone.localdate())}
    unsigned = OrganisationFactory(name="Unsigned District Council")
    response = client.post(url, {**data, "organisation": unsigned.pk})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not GroupMembership.objects.filter(person=person).exists()
    assert client.post(url, {**data, "organisation": world.council.pk}).status_code == 302
    seat = GroupMembership.objects.get(person=person, group=world.steering)
    assert AuditLog.objects.filter(action="compact.membership_added", actor=world.secretariat)
    end = reverse("compact:membership_end", args=[world.compact.slug, seat.pk])
    assert client.post(end, {"ends_on": str(timezone.localdate())}).status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()


def test_scheduling_a_meeting_refuses_the_past(client, world):
    url = reverse("compact:meeting_schedule", args=[world.compact.slug, world.steering.pk])
    client.force_login(world.steering_member)
    past = timezone.localdate() - datetime.timedelta(days=2)
    data = {"date": str(past), "time": "10:00", "place": "Council House", "agenda": "Plan\nCharter"}
    response = client.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    future = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(url, {**data, "date": str(future)})
    meeting = Meeting.objects.get(group=world.steering, place="Council House")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert [a.title for a in meeting.agenda_items.all()] == ["Plan", "Charter"]


def test_a_subgroup_report_goes_to_the_steering_groups_meeting(client, world):
    subgroup = GroupFactory(
        compact=world.compact,
        name="Apprenticeships",
        kind="task_and_finish",
        priority=world.statement.priorities.get(),
        reports_to=world.steering,
    )
    meeting = Meeting.objects.create(
        group=world.steering, starts_at=timezone.now() + datetime.timedelta(days=5), place="Derby"
    )
    url = reverse("compact:subgroup_report", args=[world.compact.slug, meeting.pk])
    client.force_login(world.secretariat)
    upload = SimpleUploadedFile("report.pdf", PDF_BYTES, content_type="application/pdf")
    data = {"group": subgroup.pk, "title": "", "visibility": "members", "file": upload}
    assert client.post(url, data).status_code == 302
    report = Document.objects.get(meeting=meeting)
    assert (report.kind, report.from_group) == ("report", subgroup)
    assert report.title == "Report of the Apprenticeships"


def test_a_subgroup_report_only_from_a_group_reporting_there(world):
    from compact import services
    from tests.helpers import raises_code

    meeting = Meeting.objects.create(
        group=world.steering, starts_at=timezone.now() + datetime.timedelta(days=5), place="Derby"
    )
    upload = SimpleUploadedFile("report.pdf", PDF_BYTES, content_type="application/pdf")
    with raises_code(services.CompactError, "report_not_to_this_group"):
        services.subgroup_report_attach(
            meeting=meeting,
            group=world.steering,
            uploaded=upload,
            title="",
            visibility="members",
            actor=None,
        )


def test_compose_preview_confirm_and_send_a_bulletin(
    client, world, django_capture_on_commit_callbacks
):
    for person in [world.steering_member, world.org_member]:
        SubscriptionFactory(compact=world.compact, user=person)
    client.force_login(world.secretariat)
    drafts = reverse("compact:bulletin_drafts", args=[world.compact.slug])
    response = client.post(drafts, {"title": "Apprenticeships week"})
    bulletin = Bulletin.objects.get(compact=world.compact, title="Apprenticeships week")
    compose = reverse("compact:bulletin_compose", args=[world.compact.slug, bulletin.pk])
    assert response["Location"] == compose
    send = reverse("compact:bulletin_send", args=[world.compact.slug, bulletin.pk])
    # Without a news item: refused as a form error, nothing sent.
    response = client.post(send, {"confirm": "on"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    client.post(compose, {"title": "Apprentices wanted", "body": "Ten new posts."})
    preview = client.get(compose).content.decode()
    assert "Apprentices wanted" in preview and "Ten new posts." in preview
    page = client.get(send)
    assert page.context["reach"] == 2
    assert "Sending emails 2 subscribers" in page.content.decode()
    # Not confirmed: nothing sent.
    assert client.post(send, {}).status_code == 200
    bulletin.refresh_from_db()
    assert bulletin.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send, {"confirm": "on"})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == "sent"
    assert (
        OutboundEmail.objects.filter(key__startswith=f"compact.bulletin:{bulletin.pk}:").count()
        == 2
    )
    # The sent issue is no longer a draft: its pages are gone, a second send impossible.
    assert client.post(send, {"confirm": "on"}).status_code == 404


@pytest.mark.parametrize("name", ["group_members", "bulletin_compose", "secretariat"])
def test_query_counts_do_not_grow(client, world, name):
    draft = BulletinFactory(compact=world.compact, number=3)
    args = {
        "group_members": [world.compact.slug, world.steering.pk],
        "bulletin_compose": [world.compact.slug, draft.pk],
        "secretariat": [world.compact.slug],
    }[name]
    url = reverse(f"compact:{name}", args=args)
    client.force_login(world.secretariat)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = count()
    for n in range(8):
        MembershipFactory(group=world.steering, organisation=world.council)
        NewsItemFactory(bulletin=draft, order=n + 1)
        GroupFactory(
            compact=world.compact,
            name=f"Task group {n}",
            kind="task_and_finish",
            priority=world.statement.priorities.get(),
            reports_to=world.steering,
        )
    assert count() == before


def test_the_secretariat_adds_an_action_serving_aims_in_force(client, world):
    from compact.models import Action

    url = reverse("compact:action_create", args=[world.compact.slug, world.plan.pk])
    client.force_login(world.secretariat)
    old_aim = world.compact.terms.get(version=1).aims.get(number="5")
    aim = world.terms.aims.get(number="2.1")
    data = {
        "code": "D1",
        "theme": "Apprenticeships",
        "objective": "Ten apprentices in each council",
        "lead_email": world.steering_member.email,
        "target_date": str(timezone.localdate() + datetime.timedelta(days=100)),
        "priority": world.statement.priorities.get().pk,
    }
    response = client.post(url, {**data, "aims": [old_aim.pk]})  # superseded terms' aim
    assert response.status_code == 200 and not Action.objects.filter(code="D1").exists()
    response = client.post(url, {**data, "aims": [aim.pk]})
    action = Action.objects.get(plan=world.plan, code="D1")
    assert response["Location"] == action.get_absolute_url()
    assert list(action.aims.all()) == [aim] and action.lead_person == world.steering_member
    assert AuditLog.objects.filter(action="compact.action_created", actor=world.secretariat)


def test_the_secretariat_creates_composes_confirms_and_sends_a_survey(client, world):
    from compact.models import Survey

    client.force_login(world.secretariat)
    new = reverse("compact:survey_create", args=[world.compact.slug])
    response = client.post(new, {"title": "Review of the year", "group": world.steering.pk})
    survey = Survey.objects.get(title="Review of the year")
    compose = reverse("compact:survey_compose", args=[world.compact.slug, survey.pk])
    assert response["Location"] == compose
    send = reverse("compact:survey_send", args=[world.compact.slug, survey.pk])
    response = client.post(send, {"confirm": "on"})  # no questions yet: refused
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    client.post(compose, {"text": "Has the compact met your expectations?", "kind": "scale"})
    page = client.get(send)
    assert page.context["reach"] == 1  # the steering member
    assert client.post(send, {}).status_code == 200  # not confirmed
    assert not survey.invitations.exists()
    assert client.post(send, {"confirm": "on"}).status_code == 302
    assert survey.invitations.get().person == world.steering_member
    # Sent: its questions no longer change.
    response = client.post(compose, {"text": "Another?", "kind": "text"})
    assert response.status_code == 200 and survey.questions.count() == 1
    # Another compact's editor cannot reach it.
    client.force_login(world.other_secretariat)
    for url in [compose, send]:
        assert client.get(url).status_code == 404
