"""The compact's validation and wording gaps found by trying each role (issue 19, item 4):
each test fails on the code before its fix."""

import datetime

import pytest
from django.utils import timezone

from compact import services
from compact.models import Meeting
from talenthub.core.models import AuditLog, OutboundEmail
from tests.compact.factories import (
    CharterFactory,
    GroupFactory,
    MeetingFactory,
    SignatoryFactory,
)
from tests.factories import MemberFactory, OrganisationFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db


def test_a_priority_with_no_aims_is_refused(world):
    with raises_code(services.CompactError, "priority_without_aims"):
        services.priority_create(statement=world.statement, title="Vague", aim_numbers=[])
    priority = world.statement.priorities.get()
    with raises_code(services.CompactError, "priority_without_aims"):
        services.priority_set_aims(priority=priority, aims=[])
    assert priority.aims.count() == 4


def test_list_pages_never_print_none(client, world):
    from tests.compact.factories import ActionFactory

    ActionFactory(plan=world.plan, lead_person=None, target_date=None)
    client.force_login(world.steering_member)
    for name in ["compact:detail", "compact:action_list", "compact:action_health"]:
        from django.urls import reverse

        page = client.get(reverse(name, args=[world.compact.slug])).content.decode()
        assert ">None<" not in page and "None</td>" not in page, name


def _scheduled(group, days=10):
    return MeetingFactory(
        group=group, status="scheduled", starts_at=timezone.now() + datetime.timedelta(days=days)
    )


def test_a_meeting_cannot_be_moved_into_the_past_nor_to_1899(world):
    meeting = _scheduled(world.steering)
    for when, code in [
        (timezone.now() - datetime.timedelta(days=2), "meeting_in_past"),
        (meeting.starts_at.replace(year=1899), "meeting_date_out_of_range"),
        (meeting.starts_at.replace(year=2099), "meeting_date_out_of_range"),
    ]:
        with raises_code(services.CompactError, code):
            services.meeting_move(meeting=meeting, starts_at=when, reason="Clash")
        meeting.refresh_from_db()
        assert meeting.status == "scheduled"
    with raises_code(services.CompactError, "meeting_date_out_of_range"):
        services.meeting_schedule(
            group=world.steering, starts_at=meeting.starts_at.replace(year=1899), place="Derby"
        )
    with raises_code(services.CompactError, "meeting_date_out_of_range"):
        services.meeting_record(
            group=world.steering,
            starts_at=meeting.starts_at.replace(year=1899),
            place="Derby",
            actor=None,
        )


def test_the_same_meeting_cannot_be_recorded_twice_and_minutes_go_once(
    world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.compact.factories import PDF_BYTES

    when = timezone.now() - datetime.timedelta(days=1)

    def record():
        minutes = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
        return services.meeting_record(
            group=world.steering,
            starts_at=when,
            place="Derby",
            actor=world.secretariat,
            minutes=minutes,
            circulate=True,
        )

    with django_capture_on_commit_callbacks(execute=True):
        record()
    sent = OutboundEmail.objects.filter(key__startswith="compact.minutes:").count()
    assert sent == 1  # the steering member
    with raises_code(services.CompactError, "meeting_already_recorded"):
        record()
    assert Meeting.objects.filter(group=world.steering, status="held").count() == 1
    assert OutboundEmail.objects.filter(key__startswith="compact.minutes:").count() == sent


def test_moving_or_cancelling_a_meeting_emails_the_group_once(world):
    meeting = _scheduled(world.steering)
    new = services.meeting_move(
        meeting=meeting,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        reason="Clash with budget setting",
        actor=world.secretariat,
    )
    moved = OutboundEmail.objects.get(key__startswith=f"compact.meeting_moved:{meeting.pk}:")
    assert moved.to == world.steering_member.email
    assert "Clash with budget setting" in moved.body_text
    assert AuditLog.objects.filter(action="compact.meeting_moved").exists()
    services.meeting_cancel(meeting=new, reason="Chair unavailable", actor=world.secretariat)
    cancelled = OutboundEmail.objects.get(key__startswith=f"compact.meeting_cancelled:{new.pk}:")
    assert "Chair unavailable" in cancelled.body_text
    # Run again (a retried task, a double submit): refused, and nobody emailed twice.
    with raises_code(services.CompactError, "meeting_not_scheduled"):
        services.meeting_cancel(meeting=new, reason="Chair unavailable")
    assert OutboundEmail.objects.filter(key__startswith="compact.meeting_").count() == 2


def test_a_steering_seat_needs_the_organisation_to_have_signed_the_charter(world):
    unsigned = OrganisationFactory(name="Unsigned Borough Council")
    person = MemberFactory()
    today = timezone.localdate()
    with raises_code(services.CompactError, "organisation_not_signatory"):
        services.group_membership_add(
            group=world.steering, person=person, organisation=unsigned, starts_on=today
        )
    SignatoryFactory(charter=world.charter, organisation=unsigned)
    membership = services.group_membership_add(
        group=world.steering,
        person=person,
        organisation=unsigned,
        starts_on=today,
        actor=world.secretariat,
    )
    assert AuditLog.objects.filter(action="compact.membership_added").count() == 1
    # A task-and-finish group needs no signature; nor a seat before the first charter.
    assert membership.pk
    early = CharterFactory().compact
    services.group_membership_add(
        group=GroupFactory(compact=early),
        person=MemberFactory(),
        organisation=OrganisationFactory(),
        starts_on=datetime.date(2007, 3, 1),
    )


def test_a_withdrawn_signatory_loses_the_right_to_a_new_seat(world):
    signature = world.charter.signatories.get(organisation=world.council)
    signature.withdrawn_on = timezone.localdate() - datetime.timedelta(days=1)
    signature.save()
    with raises_code(services.CompactError, "organisation_not_signatory"):
        services.group_membership_add(
            group=world.steering,
            person=MemberFactory(),
            organisation=world.council,
            starts_on=timezone.localdate(),
        )
