"""Every compact model has a factory that builds a valid, consistent row."""

import pytest

from tests.compact.factories import (
    AgendaItemFactory,
    AnswerFactory,
    InvitationFactory,
    ListingFactory,
    ProgressUpdateFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        AgendaItemFactory,
        AnswerFactory,
        InvitationFactory,
        ListingFactory,
        ProgressUpdateFactory,
        SubscriptionFactory,
    ],
    ids=lambda f: f.__name__,
)
def test_factory_builds_a_valid_row(factory):
    row = factory()
    row.full_clean()
    assert row.pk is not None


def test_answer_question_is_of_the_invitation_survey():
    answer = AnswerFactory()
    assert answer.question.survey == answer.invitation.survey
    assert answer.invitation.responded_on is not None
