"""Every periodic task runs twice without emailing anyone twice."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from compact import tasks
from compact.models import CompactRole
from tests.compact.factories import (
    ActionFactory,
    MeetingFactory,
    MembershipFactory,
    RoleFactory,
    TermsFactory,
)

pytestmark = pytest.mark.django_db


def run_twice(task, capture):
    with capture(execute=True):
        first = task.delay().get()
        second = task.delay().get()
    return first, second


def test_digest_task_twice(django_capture_on_commit_callbacks):
    ActionFactory(target_date=None)
    assert run_twice(tasks.send_action_digests, django_capture_on_commit_callbacks) == (1, 0)
    assert len(mail.outbox) == 1


def test_meeting_reminder_task_twice(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        status="scheduled", starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    MembershipFactory(group=meeting.group)
    assert run_twice(tasks.send_meeting_reminders, django_capture_on_commit_callbacks) == (1, 0)
    assert "Reminder: Steering Group" in mail.outbox[0].subject


def test_terms_review_task_twice(django_capture_on_commit_callbacks):
    role = RoleFactory(role=CompactRole.Role.SECRETARIAT)
    TermsFactory(
        compact=role.compact,
        adopted_on=timezone.localdate() - datetime.timedelta(days=360),
        review_due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    assert run_twice(tasks.send_terms_review_reminders, django_capture_on_commit_callbacks) == (
        1,
        0,
    )


def test_no_reminder_when_review_is_far_off(django_capture_on_commit_callbacks):
    role = RoleFactory(role=CompactRole.Role.SECRETARIAT)
    TermsFactory(
        compact=role.compact,
        adopted_on=timezone.localdate() - datetime.timedelta(days=30),
        review_due_on=timezone.localdate() + datetime.timedelta(days=300),
    )
    assert run_twice(tasks.send_terms_review_reminders, django_capture_on_commit_callbacks) == (
        0,
        0,
    )
