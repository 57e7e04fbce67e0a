"""Two secretariat users press "send" on the same e-bulletin at once: it is sent once; two
mark the same meeting held at once: it is recorded once."""

import datetime

import pytest
from django.utils import timezone

from compact import services
from compact.models import Attendance, Bulletin, Meeting
from talenthub.core.models import OutboundEmail
from tests import concurrency
from tests.compact.factories import (
    BulletinFactory,
    MeetingFactory,
    MembershipFactory,
    NewsItemFactory,
)
from tests.factories import MemberFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulletin_sends_send_once():
    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin)
    for user in [MemberFactory() for _ in range(3)]:
        services.bulletin_subscribe(compact=bulletin.compact, user=user)

    def send():
        return services.bulletin_send(bulletin=bulletin)

    outcomes = concurrency.outcomes([send, send], refused=services.CompactError, done="sent")
    assert sorted(outcomes) == ["refused", "sent"]
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SENT
    assert (
        OutboundEmail.objects.filter(key__startswith=f"compact.bulletin:{bulletin.pk}:").count()
        == 3
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_marking_the_same_meeting_held_record_it_once():
    meeting = MeetingFactory(
        status="scheduled", starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    member = MembershipFactory(group=meeting.group)
    outcomes = concurrency.outcomes(
        [
            lambda state=state: services.meeting_hold(
                meeting=meeting, actor=None, attendance={member: state}, agenda=["Charter"]
            )
            for state in ("present", "apologies")
        ],
        refused=services.CompactError,
        done="held",
    )
    assert sorted(outcomes) == ["held", "refused"]
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert meeting.agenda_items.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(6))
def test_a_seat_given_while_the_organisation_withdraws_is_never_left_standing(world, round_):
    """The secretariat withdraws an organisation from the charter (ending its seats) while
    another editor gives one of its people a steering seat: whichever commits first, no
    seat of a non-member organisation is left open (``check_charter_signed`` locks the
    organisation's signatures, so the seat waits for the withdrawal and sees it, or the
    withdrawal waits for the seat and ends it)."""
    from compact.models import GroupMembership

    signature = world.charter.signatories.get(organisation=world.council)
    today = timezone.localdate()
    newcomer = MemberFactory()

    def withdraw():
        return services.charter_signatory_withdraw(
            signature=signature, withdrawn_on=today, actor=world.secretariat, end_seats=True
        )

    def seat():
        return services.group_membership_add(
            group=world.steering,
            person=newcomer,
            organisation=world.council,
            starts_on=today + datetime.timedelta(days=1),
        )

    results, errors = concurrency.run_at_once([withdraw, seat])
    assert all(isinstance(e, services.CompactError) for e in errors), errors
    assert results[0] is not None  # the withdrawal itself always goes through
    open_seats = GroupMembership.objects.filter(
        group=world.steering, organisation=world.council, ends_on__isnull=True
    )
    assert not open_seats.exists(), list(open_seats.values("person__email", "starts_on"))
