import pytest

from resources.models import ConversationShare
from resources.services import career_conversation_share
from talenthub.core.models import OutboundEmail
from tests.concurrency import run_at_once

from .factories import CareerConversationFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_shares_of_one_version_make_one_share_and_one_email():
    """Two requests from a double-clicked button arrive together: the conversation row
    lock serialises them, so the second finds the first's share and queues nothing."""
    conversation = CareerConversationFactory()

    def share():
        return career_conversation_share(
            member=conversation.member, conversation=conversation, manager_email="sam@example.org"
        ).pk

    results, errors = run_at_once([share, share])
    assert not errors
    assert len(set(results)) == 1
    assert ConversationShare.objects.count() == 1
    assert (
        OutboundEmail.objects.filter(key__startswith="resources.conversation_shared:").count() == 1
    )
