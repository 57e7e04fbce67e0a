import datetime

import pytest
from django.db import IntegrityError, transaction

from cohorts.models import Application, Cohort, Participant, Session
from tests.cohorts.factories import (
    ApplicationFactory,
    CohortFactory,
    CompletedParticipantFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    SessionFactory,
)
from tests.programmes.factories import ModuleFactory, ProgrammeFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db


def _violates(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_cohort_constraints():
    _violates(CohortFactory, capacity=0)
    _violates(CohortFactory, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 2, 1))
    cohort = CohortFactory.build()
    _violates(
        CohortFactory,
        applications_open_at=cohort.applications_close_at,
        applications_close_at=cohort.applications_open_at,
    )


def test_applications_must_close_before_the_cohort_starts():
    from django.core.exceptions import ValidationError

    cohort = CohortFactory()
    cohort.starts_on = datetime.date.today() - datetime.timedelta(days=5)
    cohort.ends_on = cohort.starts_on
    with pytest.raises(ValidationError, match="before the cohort starts"):
        cohort.full_clean()


def test_one_application_per_person_per_cohort():
    application = ApplicationFactory()
    _violates(ApplicationFactory, cohort=application.cohort, applicant=application.applicant)


def test_an_offer_needs_a_deadline_and_a_decision_a_reason():
    _violates(OfferedApplicationFactory, offer_expires_at=None)
    _violates(ApplicationFactory, decision=Application.Decision.DECLINE, decision_reason="")


def test_participant_constraints():
    participant = ParticipantFactory()
    _violates(ParticipantFactory, cohort=participant.cohort, user=participant.user)
    _violates(ParticipantFactory, status=Participant.Status.NOT_COMPLETED, completion_reason="")
    _violates(ParticipantFactory, status=Participant.Status.COMPLETED, completed_at=None)


def test_completed_queryset_is_the_alumni_record():
    completer = CompletedParticipantFactory()
    ParticipantFactory(cohort=completer.cohort)
    ParticipantFactory(
        cohort=completer.cohort, status=Participant.Status.NOT_COMPLETED, completion_reason="Ill"
    )
    assert list(Participant.objects.completed()) == [completer]


def test_session_constraints():
    _violates(SessionFactory, starts_at=datetime.time(16), ends_at=datetime.time(9))
    _violates(SessionFactory, venue="", online_url="")
    SessionFactory(venue="", online_url="https://meet.example.org/aspire")


def test_session_module_must_belong_to_the_cohorts_version():
    from django.core.exceptions import ValidationError

    session = SessionFactory.build(cohort=CohortFactory(), module=ModuleFactory())
    with pytest.raises(ValidationError, match="module of this cohort"):
        session.full_clean()


def test_the_inspire_od_pilot_shape_is_expressible():
    """Seed 000: the first pilot cohort runs 24-25 September 2019 with a review day on
    5 November."""
    version = ProgrammeVersionFactory(
        programme=ProgrammeFactory(title="Inspire OD", slug="inspire-od", kind="workshop"),
        name="Pilot",
    )
    cohort = CohortFactory(
        version=version,
        name="Inspire OD — pilot cohort, 2019",
        applications_open_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC),
        applications_close_at=datetime.datetime(2019, 8, 31, tzinfo=datetime.UTC),
        starts_on=datetime.date(2019, 9, 24),
        ends_on=datetime.date(2019, 11, 5),
        status=Cohort.Status.COMPLETED,
    )
    for day, kind in [
        (datetime.date(2019, 9, 24), Session.Kind.WORKSHOP_DAY),
        (datetime.date(2019, 9, 25), Session.Kind.WORKSHOP_DAY),
        (datetime.date(2019, 11, 5), Session.Kind.REVIEW_DAY),
    ]:
        session = SessionFactory.build(cohort=cohort, date=day, kind=kind)
        session.full_clean()
        session.save()
    assert [(s.date.isoformat(), s.kind) for s in cohort.sessions.all()] == [
        ("2019-09-24", "workshop_day"),
        ("2019-09-25", "workshop_day"),
        ("2019-11-05", "review_day"),
    ]


def test_places_left_counts_participants_and_open_offers():
    cohort = CohortFactory(capacity=3)
    ParticipantFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort, status=Participant.Status.WITHDRAWN)
    OfferedApplicationFactory(cohort=cohort)
    ApplicationFactory(cohort=cohort)
    assert cohort.places_taken() == 2
    assert cohort.places_left() == 1


def test_the_answer_score_and_rating_factories_make_consistent_rows():
    from tests.cohorts.factories import (
        AnswerFactory,
        CompetencyScoreFactory,
        ModuleRatingFactory,
    )

    answer = AnswerFactory()
    assert answer.question.programme == answer.application.cohort.programme
    score = CompetencyScoreFactory(manager_score=4)
    assert (score.self_rating, score.manager_score) == (3, 4)
    score.full_clean()
    rating = ModuleRatingFactory()
    assert rating.module.version == rating.feedback.participant.cohort.version
    rating.full_clean()


def test_session_title_shows_the_kind_as_get_kind_display(monkeypatch):
    """``Session.display_title`` (the admin's session list shows it twice a row: its
    column and the row's checkbox label) reads the kind's label from ``Kind``
    (``kind_label``): the text ``get_kind_display()`` gives, for every kind, with and
    without a module, translated, and for a value that is no choice."""
    import datetime

    from django.utils import translation

    from programmes.models import Module

    session = Session(date=datetime.date(2027, 3, 4))

    def old(session):
        if session.title:
            return session.title
        if session.module_id:
            return f"{session.get_kind_display()}: {session.module.title}"
        return session.get_kind_display()

    def compare():
        for module in (None, Module(pk=7, title="Leading change")):
            session.module = module
            for value in [*Session.Kind.values, "not-a-kind", ""]:
                session.kind = value
                assert session.display_title == old(session), (value, module)
                assert str(session) == f"{old(session)} (04 Mar 2027)"
        labels = set()
        for value in Session.Kind.values:
            session.kind = value
            labels.add(session.kind_label())
        return labels

    assert "not-a-kind" not in compare()
    session.kind = "not-a-kind"
    assert session.kind_label() == "not-a-kind"
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"<{message}>")
    assert all(label.startswith("<") and label.endswith(">") for label in compare())
