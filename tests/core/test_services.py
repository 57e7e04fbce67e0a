import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from talenthub.core.models import AuditLog, OutboundEmail
from talenthub.core.notifications import email_queue
from talenthub.core.services import audit_record, profile_get_or_create, profile_update
from talenthub.core.tasks import send_outbound_email, send_pending_emails
from tests.factories import (
    FunctionalAreaFactory,
    MemberFactory,
    OrganisationFactory,
    OutboundEmailFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_profile_get_or_create_creates_once():
    user = UserFactory()
    first = profile_get_or_create(user=user)
    assert profile_get_or_create(user=user) == first


def test_profile_update_sets_name_fields_and_areas():
    member = MemberFactory()
    org = OrganisationFactory(name="Derbyshire County Council")
    areas = [
        FunctionalAreaFactory(name="Employee Relations"),
        FunctionalAreaFactory(name="HR Policy"),
    ]
    profile_update(
        user=member,
        full_name="  Elizabeth Wilson ",
        organisation=org,
        job_title="Head of HR",
        career_level=4,
        functional_areas=areas,
    )
    member.refresh_from_db()
    assert member.full_name == "Elizabeth Wilson"
    assert member.profile.organisation == org
    assert set(member.profile.functional_areas.all()) == set(areas)


def test_profile_update_rejects_invalid_level_and_keeps_old_data():
    member = MemberFactory(profile__job_title="HR Adviser")
    with pytest.raises(ValidationError):
        profile_update(user=member, full_name="X", job_title="Changed", career_level=9)
    member.profile.refresh_from_db()
    assert member.profile.job_title == "HR Adviser"


def test_email_queue_is_once_per_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = email_queue(key="k1", to="a@example.com", subject="Hi", body_text="Body")
        second = email_queue(key="k1", to="a@example.com", subject="Hi", body_text="Body")
    assert first is not None and second is None
    assert OutboundEmail.objects.filter(key="k1").count() == 1
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert first.status == OutboundEmail.Status.SENT and first.attempts == 1


def test_email_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(key="k2", to="a@example.com", subject="Hi", body_text="Body")
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1


def test_send_task_twice_sends_once():
    email = OutboundEmailFactory()
    assert send_outbound_email.delay(email.pk).get() is True
    assert send_outbound_email.delay(email.pk).get() is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-TalentHub-Key"] == email.key


def test_send_pending_emails_picks_up_stale_rows(time_machine):
    time_machine.move_to("2026-11-23 09:00:00+00:00")
    stale = OutboundEmailFactory()
    time_machine.move_to("2026-11-23 09:10:00+00:00")
    fresh = OutboundEmailFactory()
    assert send_pending_emails.delay().get() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.PENDING


def test_audit_record():
    actor = UserFactory()
    org = OrganisationFactory(name="Derby College")
    entry = audit_record(actor=actor, action="moved", obj=org, reason="Board request")
    assert AuditLog.objects.get() == entry
    assert entry.object_type == "core.organisation" and entry.object_id == str(org.pk)


def test_notify_queues_nothing_for_an_inactive_account():
    from talenthub.core.notifications import notify

    member = MemberFactory(is_active=False)
    assert notify(key="x:1", user=member, template="test_never_rendered") is None
    assert not OutboundEmail.objects.exists()


def test_erasing_an_account_stops_its_pending_emails(django_capture_on_commit_callbacks):
    from talenthub.core.personal_data import erase_account

    member = MemberFactory(email="leaving@example.com")
    pending = OutboundEmailFactory(recipient=member, to=member.email)
    unlinked = OutboundEmailFactory(to="Leaving@example.com")  # e.g. an account email
    other = OutboundEmailFactory(to="staying@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(member)
    for email in (pending, unlinked):
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.FAILED
        assert email.to == "erased@invalid.invalid" and email.body_text == ""
    other.refresh_from_db()
    assert other.status == OutboundEmail.Status.PENDING
    assert len(mail.outbox) == 0
