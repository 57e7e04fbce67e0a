"""Every compact admin write goes through a service (issue 14, item 4): terms, their aims,
statements and priorities, meetings with their agenda and attendance, groups and their
memberships, and documents. Each save leaves the service's audit entry (the admin wrote
the models directly before, so nothing was audited), and a refusal is a form error."""

import datetime

import pytest
from django.utils import timezone

from compact.models import Document, GroupMembership, Meeting, Priority
from talenthub.core.models import AuditLog
from tests.compact.factories import (
    AgendaItemFactory,
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
)
from tests.compact.test_admin import admin_form_data, change_url
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def meeting_data(page, when=None, **changes):
    """A meeting's change form as shown; the admin splits ``starts_at`` in two fields."""
    data = admin_form_data(page, **changes)
    when = timezone.localtime(when or page.context["adminform"].form.instance.starts_at)
    data.pop("starts_at", None)
    data.update({"starts_at_0": f"{when:%Y-%m-%d}", "starts_at_1": f"{when:%H:%M:%S}"})
    return data


def audited(action, obj):
    return AuditLog.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def test_terms_and_aims_edited_in_the_admin_are_audited(admin_client, world, admin_user):
    page = admin_client.get(change_url(world.terms))
    response = admin_client.post(
        change_url(world.terms),
        admin_form_data(page, title="Terms of reference (revised)", **{"aims-0-text": "Bring"}),
    )
    assert response.status_code == 302
    entry = audited("compact.terms_updated", world.terms).get()
    assert entry.actor == admin_user and entry.data["changed"] == ["title"]
    aim = world.terms.aims.get(order=1)
    assert aim.text == "Bring"
    assert audited("compact.aim_updated", aim).exists()


def test_statement_and_priorities_edited_in_the_admin_are_audited(admin_client, world):
    priority = world.statement.priorities.get()
    page = admin_client.get(change_url(world.statement))
    response = admin_client.post(
        change_url(world.statement),
        admin_form_data(page, year="2026/27", **{"priorities-0-title": "Apprentices"}),
    )
    assert response.status_code == 302
    assert audited("compact.statement_updated", world.statement).exists()
    assert audited("compact.priority_updated", priority).get().data["changed"] == ["title"]


def test_a_priority_without_aims_is_refused_in_the_admin(admin_client, world):
    page = admin_client.get(change_url(world.statement))
    response = admin_client.post(
        change_url(world.statement), admin_form_data(page, **{"priorities-0-aims": []})
    )
    assert response.status_code == 200
    assert "Choose the aims" in response.content.decode()
    assert world.statement.priorities.get().aims.count() == 4


def test_a_stale_priorities_form_is_refused_not_a_500(admin_client, world):
    """Two secretariat members add a priority to the same statement: the second form,
    loaded before the first was saved, asks for the same order. It was a 500 (the
    formset's unique check skips the parent key); it is a form error now."""
    aim = world.terms.aims.get(number="3")
    page = admin_client.get(change_url(world.statement))
    Priority.objects.create(statement=world.statement, order=2, title="Added meanwhile")
    data = admin_form_data(page)
    data.update(
        {
            "priorities-TOTAL_FORMS": "2",
            "priorities-1-statement": str(world.statement.pk),
            "priorities-1-order": "2",
            "priorities-1-title": "Partnership working",
            "priorities-1-aims": [str(aim.pk)],
        }
    )
    response = admin_client.post(change_url(world.statement), data)
    assert response.status_code == 200
    assert world.statement.priorities.count() == 2
    assert not Priority.objects.filter(title="Partnership working").exists()


def test_meeting_edited_in_the_admin_is_audited_and_rows_too(admin_client, world):
    meeting = MeetingFactory(group=world.steering)
    AgendaItemFactory(meeting=meeting, order=1)
    page = admin_client.get(change_url(meeting))
    response = admin_client.post(
        change_url(meeting),
        meeting_data(page, place="County Hall, Matlock", **{"agenda_items-0-title": "Plan"}),
    )
    assert response.status_code == 302
    assert audited("compact.meeting_updated", meeting).get().data["changed"] == ["place"]
    assert audited("compact.meeting_rows_saved", meeting).exists()


def test_a_scheduled_meeting_cannot_be_moved_into_the_past_in_the_admin(admin_client, world):
    """Editing a scheduled meeting's date to last week left it "Scheduled" in the past."""
    future = timezone.now() + datetime.timedelta(days=10)
    meeting = MeetingFactory(group=world.steering, status="scheduled", starts_at=future)
    page = admin_client.get(change_url(meeting))
    past = timezone.now() - datetime.timedelta(days=3)
    long_ago = past.replace(year=1899)
    for when, message in [(past, "must be in the future"), (long_ago, "Enter a date between")]:
        response = admin_client.post(change_url(meeting), meeting_data(page, when))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at
    # Another change to a scheduled meeting keeps working.
    response = admin_client.post(change_url(meeting), meeting_data(page, place="Matlock"))
    assert response.status_code == 302


def test_moving_a_meeting_in_the_admin_emails_the_group_once(admin_client, world, mailoutbox):
    from talenthub.core.models import OutboundEmail

    future = timezone.now() + datetime.timedelta(days=10)
    meeting = MeetingFactory(group=world.steering, status="scheduled", starts_at=future)
    page = admin_client.get(change_url(meeting))
    data = meeting_data(page, future + datetime.timedelta(days=2))
    assert admin_client.post(change_url(meeting), data).status_code == 302
    assert OutboundEmail.objects.filter(key__startswith="compact.meeting_changed:").count() == 1
    # The same save again (a double submit) emails nobody twice.
    assert admin_client.post(change_url(meeting), data).status_code == 302
    assert OutboundEmail.objects.filter(key__startswith="compact.meeting_changed:").count() == 1


def test_group_and_membership_edited_in_the_admin_are_audited(admin_client, world):
    page = admin_client.get(change_url(world.steering))
    response = admin_client.post(
        change_url(world.steering), admin_form_data(page, name="Compact Steering Group")
    )
    assert response.status_code == 302
    assert audited("compact.group_updated", world.steering).exists()
    membership = GroupMembership.objects.get(group=world.steering)
    page = admin_client.get(change_url(membership))
    response = admin_client.post(change_url(membership), admin_form_data(page, role="deputy"))
    assert response.status_code == 302
    assert audited("compact.membership_updated", membership).exists()


def test_a_steering_seat_for_a_non_signatory_is_refused_in_the_admin(admin_client, world):
    """Seed 004: signing the charter is the prerequisite for a steering-group seat."""
    outsider_org = OrganisationFactory(name="Not Yet Signed Council")
    page = admin_client.get(change_url(world.steering))
    data = admin_form_data(page)
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-person": str(MemberFactory().pk),
            "memberships-1-organisation": str(outsider_org.pk),
            "memberships-1-role": "member",
            "memberships-1-starts_on": str(timezone.localdate()),
        }
    )
    response = admin_client.post(change_url(world.steering), data)
    assert response.status_code == 200
    assert "signs the members" in response.content.decode()
    assert not GroupMembership.objects.filter(organisation=outsider_org).exists()
    # The council signed: its seat is accepted, and audited.
    data["memberships-1-organisation"] = str(world.council.pk)
    assert admin_client.post(change_url(world.steering), data).status_code == 302
    added = GroupMembership.objects.get(
        group=world.steering, person_id=data["memberships-1-person"]
    )
    assert audited("compact.membership_added", added).exists()


def test_document_corrected_in_the_admin_is_audited(admin_client, world):
    document = DocumentFactory(compact=world.compact)
    page = admin_client.get(change_url(document))
    response = admin_client.post(
        change_url(document), admin_form_data(page, visibility=Document.Visibility.MEMBERS)
    )
    assert response.status_code == 302
    assert audited("compact.document_updated", document).get().data["changed"] == ["visibility"]


def test_memberships_are_ended_not_deleted(admin_client, world):
    MembershipFactory(group=world.steering, organisation=world.council)
    page = admin_client.get(change_url(world.steering))
    formset = page.context["inline_admin_formsets"][0].formset
    assert not formset.can_delete
