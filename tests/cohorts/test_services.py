import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Application, Participant, ProjectWork
from talenthub.core.models import AuditLog, OutboundEmail
from tests.cohorts.factories import (
    ApplicationFactory,
    ApplicationQuestionFactory,
    CohortFactory,
    EndedCohortFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
    WaitingApplicationFactory,
    office_bytes,
    pdf_bytes,
    upload,
)
from tests.factories import MemberFactory
from tests.helpers import raises_code
from tests.programmes.factories import ModuleFactory

pytestmark = pytest.mark.django_db


# Applications ---------------------------------------------------------------------------


def test_draft_then_submit(cohort, member, capture):
    question = ApplicationQuestionFactory(programme=cohort.programme)
    draft = services.application_save_draft(
        cohort=cohort,
        applicant=member,
        answers={question.pk: ""},
        line_manager_email="Boss@Example.com",
    )
    assert draft.status == Application.Status.DRAFT
    with raises_code(CohortError, "answers_missing"):
        services.application_submit(application=draft)
    again = services.application_save_draft(
        cohort=cohort,
        applicant=member,
        answers={question.pk: "To lead HR strategy."},
        line_manager_email="boss@example.com",
    )
    assert again.pk == draft.pk
    assert Application.objects.count() == 1

    submitted = capture(services.application_submit, application=again)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["boss@example.com", member.email]
    with raises_code(CohortError, "already_submitted"):
        services.application_submit(application=submitted)
    with raises_code(CohortError, "already_submitted"):
        services.application_save_draft(cohort=cohort, applicant=member, answers={})


def test_submit_after_the_window_closes_is_refused_with_the_date(cohort, member):
    draft = services.application_save_draft(cohort=cohort, applicant=member, answers={})
    with (
        time_machine.travel(cohort.applications_close_at + datetime.timedelta(minutes=1)),
        raises_code(CohortError, "applications_closed") as excinfo,
    ):
        services.application_submit(application=draft)
    closed = timezone.localtime(cohort.applications_close_at)
    assert str(closed.year) in excinfo.value.message
    assert Application.objects.get().status == Application.Status.DRAFT


def test_no_draft_when_the_cohort_is_not_open(member):
    cohort = CohortFactory(status="planned")
    with raises_code(CohortError, "applications_not_open"):
        services.application_save_draft(cohort=cohort, applicant=member, answers={})


def test_line_manager_confirms_through_the_signed_link(cohort, member, capture):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    token = services.line_manager_token(application)
    confirmed = capture(
        services.line_manager_support_confirm, token=token, comment="Fully supported"
    )
    assert confirmed.line_manager_confirmed_at is not None
    first = confirmed.line_manager_confirmed_at
    # Confirming again changes nothing and emails nobody again.
    again = capture(services.line_manager_support_confirm, token=token)
    assert again.line_manager_confirmed_at == first
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    assert "supports your application" in mail.outbox[0].subject


def test_line_manager_link_is_bound_to_the_address_and_expires(cohort):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    token = services.line_manager_token(application)
    with raises_code(CohortError, "link_invalid"):
        services.application_from_line_manager_token(token + "x")
    Application.objects.filter(pk=application.pk).update(line_manager_email="new@example.com")
    with raises_code(CohortError, "link_invalid"):
        services.application_from_line_manager_token(token)
    Application.objects.filter(pk=application.pk).update(line_manager_email="boss@example.com")
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=31)),
        raises_code(CohortError, "link_expired"),
    ):
        services.application_from_line_manager_token(token)


def test_line_manager_request_is_emailed_once(cohort, capture):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    capture(services.line_manager_support_request, application=application)
    capture(services.line_manager_support_request, application=application)
    assert len(mail.outbox) == 1
    assert "/cohorts/support/" in mail.outbox[0].body


def test_applicant_sends_the_line_manager_request_again_rate_limited(cohort, capture):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    capture(services.line_manager_support_request, application=application)  # at submission
    with raises_code(CohortError, "not_your_application"):
        services.line_manager_support_resend(application=application, user=MemberFactory())
    with raises_code(CohortError, "resend_too_soon"):
        services.line_manager_support_resend(application=application, user=application.applicant)
    later = timezone.now() + datetime.timedelta(days=31)  # the first link has expired
    with time_machine.travel(later):
        capture(
            services.line_manager_support_resend,
            application=application,
            user=application.applicant,
        )
        with raises_code(CohortError, "resend_too_soon"):
            services.line_manager_support_resend(
                application=application, user=application.applicant
            )
        # The new link works although the first one has expired.
        token = mail.outbox[-1].body.split("/cohorts/support/")[1].split("/")[0]
        assert services.application_from_line_manager_token(token) == application
    assert [m.subject for m in mail.outbox] == [
        f"[TalentHub] Please confirm your support for {application.applicant.get_full_name()}'s "
        f"application to {cohort.name}",
        f"[TalentHub] Reminder: please confirm your support for "
        f"{application.applicant.get_full_name()}'s application to {cohort.name}",
    ]
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    base = f"cohort.line_manager_support:{application.pk}:boss@example.com"
    assert keys == {base, f"{base}:resend-1"}


def test_line_manager_resends_stop_after_five(cohort, capture):
    application = ApplicationFactory(cohort=cohort, line_manager_email="boss@example.com")
    for day in range(1, 6):
        with time_machine.travel(timezone.now() + datetime.timedelta(days=day)):
            capture(
                services.line_manager_support_resend,
                application=application,
                user=application.applicant,
            )
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=10)),
        raises_code(CohortError, "resend_limit", match="again 5 times"),
    ):
        services.line_manager_support_resend(application=application, user=application.applicant)
    assert len(mail.outbox) == 5


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"line_manager_email": ""}, "no_line_manager"),
        (
            {"line_manager_confirmed_at": datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)},
            "line_manager_confirmed",
        ),
        ({"status": "unsuccessful"}, "line_manager_not_needed"),
    ],
)
def test_no_resend_when_support_is_not_needed(cohort, fields, code):
    application = ApplicationFactory(
        cohort=cohort, **{"line_manager_email": "boss@example.com", **fields}
    )
    with raises_code(CohortError, code):
        services.line_manager_support_resend(application=application, user=application.applicant)
    assert not OutboundEmail.objects.exists()


# Selection ------------------------------------------------------------------------------


def _decide(application, decision, manager, score=5):
    return services.application_record_decision(
        application=application,
        actor=manager,
        decision=decision,
        reason="Clear evidence",
        score=score,
    )


def test_a_decision_needs_a_reason_and_a_submitted_application(cohort, manager):
    application = ApplicationFactory(cohort=cohort)
    with raises_code(CohortError, "reason_required"):
        services.application_record_decision(
            application=application, actor=manager, decision="offer", reason=" "
        )
    draft = ApplicationFactory(cohort=cohort, status="draft", submitted_at=None)
    with raises_code(CohortError, "decision_not_allowed"):
        _decide(draft, "offer", manager)


def test_send_decisions_offers_up_to_capacity_then_waits(cohort, manager, capture):
    # capacity 2: three offers decided, one waiting list, one decline
    apps = [ApplicationFactory(cohort=cohort) for _ in range(5)]
    _decide(apps[0], "offer", manager, score=9)
    _decide(apps[1], "offer", manager, score=8)
    _decide(apps[2], "offer", manager, score=7)
    _decide(apps[3], "waiting_list", manager)
    _decide(apps[4], "decline", manager)
    counts = capture(services.decisions_send, cohort=cohort, actor=manager)
    assert counts == {"offered": 2, "waiting": 2, "declined": 1}
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == ["offered", "offered", "waiting", "waiting", "unsuccessful"]
    offered = Application.objects.get(pk=apps[0].pk)
    assert offered.offer_expires_at == offered.offered_at + datetime.timedelta(days=7)
    assert len(mail.outbox) == 5
    assert cohort.places_left() == 0
    # Sending again sends nothing more.
    assert capture(services.decisions_send, cohort=cohort, actor=manager) == {
        "offered": 0,
        "waiting": 0,
        "declined": 0,
    }
    assert len(mail.outbox) == 5
    assert AuditLog.objects.filter(action="cohorts.decisions_sent").count() == 1


def test_accepting_enrols_the_applicant(cohort, capture):
    application = OfferedApplicationFactory(cohort=cohort)
    participant = capture(
        services.offer_accept, application=application, user=application.applicant
    )
    assert participant.status == Participant.Status.ENROLLED
    assert participant.application == application
    assert Application.objects.get(pk=application.pk).status == "accepted"
    assert cohort.places_taken() == 1
    assert "enrolled" in mail.outbox[0].subject


def test_only_the_applicant_can_accept_and_not_after_the_deadline(cohort):
    application = OfferedApplicationFactory(cohort=cohort)
    with raises_code(CohortError, "not_your_offer"):
        services.offer_accept(application=application, user=MemberFactory())
    with (
        time_machine.travel(application.offer_expires_at + datetime.timedelta(seconds=1)),
        raises_code(CohortError, "offer_expired"),
    ):
        services.offer_accept(application=application, user=application.applicant)
    assert not Participant.objects.exists()


def test_declining_frees_the_place_for_the_next_in_line(cohort, capture):
    cohort.capacity = 1
    cohort.save()
    offer = OfferedApplicationFactory(cohort=cohort)
    now = timezone.now()
    later = WaitingApplicationFactory(cohort=cohort, waiting_since=now)
    first = WaitingApplicationFactory(
        cohort=cohort, waiting_since=now - datetime.timedelta(hours=1)
    )
    priority = WaitingApplicationFactory(cohort=cohort, waiting_since=now, waiting_priority=1)
    capture(services.offer_decline, application=offer, user=offer.applicant)
    assert Application.objects.get(pk=offer.pk).status == "offer_declined"
    # Priority first, then time joined: nobody skipped.
    assert Application.objects.get(pk=priority.pk).status == "offered"
    assert Application.objects.get(pk=first.pk).status == "waiting"
    assert Application.objects.get(pk=later.pk).status == "waiting"
    assert cohort.places_taken() == 1
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [
            f"[TalentHub] You have declined your place on {cohort.name}",
            f"[TalentHub] You have been offered a place on {cohort.name}",
        ]
    )


def test_expiry_frees_the_place_and_promotes_once(cohort, capture):
    cohort.capacity = 1
    cohort.save()
    offer = OfferedApplicationFactory(cohort=cohort)
    waiting = WaitingApplicationFactory(cohort=cohort)
    assert services.offers_expire() == 0  # not due yet
    with time_machine.travel(offer.offer_expires_at + datetime.timedelta(minutes=1)):
        assert capture(services.offers_expire) == 1
        assert capture(services.offers_expire) == 0
    assert Application.objects.get(pk=offer.pk).status == "offer_expired"
    promoted = Application.objects.get(pk=waiting.pk)
    assert promoted.status == "offered"
    assert promoted.offer_count == 1
    assert len(mail.outbox) == 2  # one expiry, one offer
    assert cohort.places_taken() == 1


def test_a_second_offer_to_the_same_person_is_emailed_again(cohort, capture):
    cohort.capacity = 1
    cohort.save()
    application = WaitingApplicationFactory(cohort=cohort)
    capture(services.cohort_fill_places, cohort=cohort)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        capture(services.offers_expire)
    Application.objects.filter(pk=application.pk).update(
        status="waiting", waiting_since=timezone.now()
    )
    capture(services.cohort_fill_places, cohort=cohort)
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert f"cohort.offered:{application.pk}:1" in keys
    assert f"cohort.offered:{application.pk}:2" in keys


def test_capacity_is_never_exceeded_through_a_sequence(cohort, manager):
    apps = [ApplicationFactory(cohort=cohort) for _ in range(6)]
    for application in apps:
        _decide(application, "offer", manager)
    services.decisions_send(cohort=cohort, actor=manager)
    offered = list(Application.objects.filter(status="offered"))
    services.offer_accept(application=offered[0], user=offered[0].applicant)
    services.offer_decline(application=offered[1], user=offered[1].applicant)
    services.cohort_fill_places(cohort=cohort)
    assert cohort.places_taken() <= cohort.capacity == 2
    assert Application.objects.filter(status="offered").count() == 1


def test_withdrawing_a_participant_promotes_the_waiting_list_after_commit(
    cohort, manager, django_capture_on_commit_callbacks
):
    cohort.capacity = 1
    cohort.save()
    participant = ParticipantFactory(cohort=cohort)
    waiting = WaitingApplicationFactory(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.participant_withdraw(participant=participant, actor=manager, reason="New job")
    # Not in the request: the promotion task is enqueued to run once this commits.
    assert Application.objects.get(pk=waiting.pk).status == "waiting"
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert Application.objects.get(pk=waiting.pk).status == "offered"
    assert OutboundEmail.objects.filter(key=f"cohort.offered:{waiting.pk}:1").count() == 1


def test_applicant_withdraws(cohort):
    application = WaitingApplicationFactory(cohort=cohort)
    with raises_code(CohortError, "not_your_application"):
        services.application_withdraw(application=application, user=MemberFactory())
    services.application_withdraw(application=application, user=application.applicant)
    assert Application.objects.get(pk=application.pk).status == "withdrawn"


# Project work ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("Report.PDF", pdf_bytes(), "pdf"),
        ("report.docx", office_bytes("word"), "docx"),
        ("deck.pptx", office_bytes("ppt"), "pptx"),
    ],
)
def test_project_work_accepts_real_reports(name, content, expected, settings):
    participant = ParticipantFactory()
    work = services.project_work_submit(
        participant=participant,
        title="Digital HR",
        summary="A summary",
        profession_map_area="digital_working",
        upload=upload(name, content),
    )
    assert work.file_type == expected
    assert work.original_filename == name
    assert work.file.path.startswith(settings.MEDIA_ROOT)
    assert work.file.read() == content


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("notes.txt", b"plain text", "must be a PDF, DOCX or PPTX"),
        ("virus.pdf", b"MZ\x90\x00 an executable", "not a real PDF"),
        ("sheet.docx", office_bytes("xl"), "not a real PDF"),
        ("deck.docx", office_bytes("ppt"), "named .docx but its content is PPTX"),
        ("report.pptx", pdf_bytes(), "named .pptx but its content is PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a real PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_project_work_rejects_wrong_or_disguised_types(name, content, message):
    participant = ParticipantFactory()
    # The wording names what is wrong with the file: here it is what is tested.
    with raises_code(CohortError, "report_invalid", match=message):
        services.project_work_submit(
            participant=participant,
            title="T",
            summary="S",
            profession_map_area="change",
            upload=upload(name, content),
        )
    assert not ProjectWork.objects.exists()


def test_project_work_rejects_a_file_that_is_too_large(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PROJECT_WORK_MAX_BYTES": 100}
    with raises_code(CohortError, "report_invalid", match="smaller than 100"):
        services.project_work_submit(
            participant=ParticipantFactory(),
            title="T",
            summary="S",
            profession_map_area="change",
            upload=upload("big.pdf", pdf_bytes() + b"0" * 100),
        )


def test_resubmitting_replaces_the_report_and_removes_the_old_file(
    django_capture_on_commit_callbacks,
):
    import os

    participant = ParticipantFactory()
    first = services.project_work_submit(
        participant=participant,
        title="One",
        summary="S",
        profession_map_area="change",
        upload=upload("one.pdf", pdf_bytes()),
    )
    old_path = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        second = services.project_work_submit(
            participant=participant,
            title="Two",
            summary="S",
            profession_map_area="reward",
            upload=upload("two.docx", office_bytes("word")),
        )
    assert second.pk == first.pk
    assert ProjectWork.objects.get().title == "Two"
    assert not os.path.exists(old_path)


# Completion -----------------------------------------------------------------------------


def test_mark_completed_and_not_completed(cohort, manager):
    # Completion waits for the cohort's end (the version's default rule): this one ended.
    cohort = EndedCohortFactory(version=cohort.version, provider=cohort.provider)
    done, not_done = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    services.participant_mark_completed(participant=done, actor=manager)
    with raises_code(CohortError, "reason_required"):
        services.participant_mark_not_completed(participant=not_done, actor=manager, reason="")
    services.participant_mark_not_completed(
        participant=not_done, actor=manager, reason="Left the public sector"
    )
    assert list(Participant.objects.completed()) == [Participant.objects.get(pk=done.pk)]
    assert Participant.objects.get(pk=not_done.pk).completion_reason == "Left the public sector"
    assert AuditLog.objects.filter(action__startswith="cohorts.participant_").count() == 2


# Feedback -------------------------------------------------------------------------------


def test_feedback_invitations_go_once_to_participants_of_ended_cohorts(capture):
    ended = EndedCohortFactory()
    invited = [ParticipantFactory(cohort=ended) for _ in range(3)]
    ParticipantFactory(cohort=ended, status=Participant.Status.WITHDRAWN)
    ParticipantFactory(cohort=CohortFactory())  # not ended
    assert capture(services.feedback_invite_due) == 3
    assert capture(services.feedback_invite_due) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in invited)


def test_feedback_is_given_once_with_module_ratings():
    cohort = EndedCohortFactory()
    modules = [ModuleFactory(version=cohort.version) for _ in range(2)]
    participant = ParticipantFactory(cohort=cohort)
    feedback = services.feedback_submit(
        participant=participant,
        overall_rating=5,
        comments="Great",
        module_ratings={modules[0].pk: 4, modules[1].pk: 3, ModuleFactory().pk: 1},
    )
    assert sorted(feedback.module_ratings.values_list("rating", flat=True)) == [3, 4]
    with raises_code(CohortError, "feedback_given"):
        services.feedback_submit(
            participant=participant, overall_rating=1, comments="", module_ratings={}
        )


def test_feedback_opens_on_the_last_day(cohort):
    participant = ParticipantFactory(cohort=cohort)
    with raises_code(CohortError, "feedback_not_open"):
        services.feedback_submit(
            participant=participant, overall_rating=4, comments="", module_ratings={}
        )


def test_cohort_save_checks_capacity_and_offers_new_places(cohort, manager, capture):
    OfferedApplicationFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort)
    waiting = WaitingApplicationFactory(cohort=cohort)
    cohort.capacity = 1
    with raises_code(CohortError, "capacity_below_taken", match="the 2 places"):
        services.cohort_save(cohort=cohort, actor=manager)
    cohort.capacity = 3
    capture(services.cohort_save, cohort=cohort, actor=manager)  # the task runs after commit
    assert Application.objects.get(pk=waiting.pk).status == "offered"


def test_no_promotion_in_a_completed_or_cancelled_cohort(cohort):
    waiting = WaitingApplicationFactory(cohort=cohort)
    cohort.status = "cancelled"
    cohort.save()
    assert services.cohort_fill_places(cohort=cohort) == []
    assert Application.objects.get(pk=waiting.pk).status == "waiting"


def test_offer_email_names_the_deadline_and_links_to_the_application(cohort, manager, capture):
    cohort.name = "Aspire 2.0 — West Midlands, Guy's cohort"
    cohort.save()
    application = ApplicationFactory(cohort=cohort)
    _decide(application, "offer", manager)
    capture(services.decisions_send, cohort=cohort, actor=manager)
    application.refresh_from_db()
    message = mail.outbox[0]
    assert message.subject == f"[TalentHub] You have been offered a place on {cohort.name}"
    assert "Guy's cohort" in message.body  # plain text: not HTML-escaped
    assert f"/cohorts/applications/{application.pk}/" in message.body
    deadline = timezone.localtime(application.offer_expires_at)
    assert f"{deadline:%Y}" in message.body


def test_an_offer_never_runs_past_the_start_and_no_promotion_after_it(cohort, capture):
    cohort.capacity = 1
    cohort.starts_on = timezone.localdate() + datetime.timedelta(days=3)
    cohort.save()
    waiting = WaitingApplicationFactory(cohort=cohort)
    capture(services.cohort_fill_places, cohort=cohort)
    offered = Application.objects.get(pk=waiting.pk)
    start = timezone.make_aware(datetime.datetime.combine(cohort.starts_on, datetime.time.min))
    assert offered.offer_expires_at == start
    late = WaitingApplicationFactory(cohort=cohort)
    with time_machine.travel(start + datetime.timedelta(hours=1)):
        assert capture(services.offers_expire) == 1  # the place frees at the start...
    assert Application.objects.get(pk=late.pk).status == "waiting"  # ...but is not offered


def test_sending_decisions_offers_free_places_to_the_waiting_list_in_order(
    cohort, manager, capture
):
    """Capacity 3, one offer decision: the two places left go to the waiting list in
    queue order — the person already waiting first, then the first new one — each
    emailed once about their outcome (no "waiting" email before an immediate offer)."""
    cohort.capacity = 3
    cohort.save()
    already = WaitingApplicationFactory(
        cohort=cohort, waiting_since=timezone.now() - datetime.timedelta(days=1)
    )
    offer = ApplicationFactory(cohort=cohort)
    listed = [ApplicationFactory(cohort=cohort) for _ in range(3)]
    _decide(offer, "offer", manager, score=9)
    for application in listed:
        _decide(application, "waiting_list", manager)
    counts = capture(services.decisions_send, cohort=cohort, actor=manager)
    assert counts == {"offered": 3, "waiting": 2, "declined": 0}
    status = {a.pk: a.status for a in Application.objects.all()}
    assert status[offer.pk] == status[already.pk] == status[listed[0].pk] == "offered"
    assert status[listed[1].pk] == status[listed[2].pk] == "waiting"
    keys = sorted(OutboundEmail.objects.values_list("key", flat=True))
    assert keys == sorted(
        [
            f"cohort.offered:{offer.pk}:1",
            f"cohort.offered:{already.pk}:1",
            f"cohort.offered:{listed[0].pk}:1",
            f"cohort.waiting:{listed[1].pk}",
            f"cohort.waiting:{listed[2].pk}",
        ]
    )
    assert len(mail.outbox) == 5
    assert cohort.places_left() == 0


# The waiting list: managers' changes ----------------------------------------------------


def _queue(cohort, n):
    start = timezone.now() - datetime.timedelta(hours=1)
    return [
        WaitingApplicationFactory(
            cohort=cohort, waiting_since=start + datetime.timedelta(minutes=i)
        )
        for i in range(n)
    ]


def _order(cohort):
    return list(cohort.applications.waiting_in_order().values_list("pk", flat=True))


def test_a_priority_change_needs_a_reason_and_is_audited(cohort, manager):
    first, second, third = _queue(cohort, 3)
    with raises_code(CohortError, "reason_required"):
        services.waiting_list_set_priority(application=third, priority=5, actor=manager, reason=" ")
    assert _order(cohort) == [first.pk, second.pk, third.pk]
    services.waiting_list_set_priority(
        application=third, priority=5, actor=manager, reason="Sponsored by the ICB"
    )
    assert _order(cohort) == [third.pk, first.pk, second.pk]
    entry = AuditLog.objects.get(action="cohorts.waiting_priority_changed")
    assert (entry.actor, entry.reason, entry.object_id) == (
        manager,
        "Sponsored by the ICB",
        str(third.pk),
    )
    assert entry.data == {"cohort": cohort.pk, "from": 0, "to": 5}


def test_moving_someone_keeps_everyone_elses_order(cohort, manager):
    queue = _queue(cohort, 5)
    with raises_code(CohortError, "reason_required"):
        services.waiting_list_move(application=queue[4], position=1, actor=manager, reason="")
    services.waiting_list_move(application=queue[4], position=2, actor=manager, reason="Appeal")
    assert _order(cohort) == [queue[0].pk, queue[4].pk, queue[1].pk, queue[2].pk, queue[3].pk]
    services.waiting_list_move(application=queue[0], position=9, actor=manager, reason="Deferred")
    assert _order(cohort)[-1] == queue[0].pk
    moves = AuditLog.objects.filter(action="cohorts.waiting_list_moved").order_by("pk")
    assert [(m.data["from"], m.data["to"], m.reason) for m in moves] == [
        (5, 2, "Appeal"),
        (1, 5, "Deferred"),  # clamped to the end of the list
    ]


def test_only_waiting_applications_can_be_moved(cohort, manager):
    offered = OfferedApplicationFactory(cohort=cohort)
    with raises_code(CohortError, "not_waiting"):
        services.waiting_list_move(application=offered, position=1, actor=manager, reason="x")
    with raises_code(CohortError, "not_waiting"):
        services.waiting_list_set_priority(
            application=offered, priority=1, actor=manager, reason="x"
        )


def test_a_moved_person_is_promoted_in_their_new_place(cohort, manager, capture):
    cohort.capacity = 1
    cohort.save()
    first, second = _queue(cohort, 2)
    services.waiting_list_move(application=second, position=1, actor=manager, reason="Appeal")
    capture(services.cohort_fill_places, cohort=cohort)
    assert Application.objects.get(pk=second.pk).status == "offered"
    assert Application.objects.get(pk=first.pk).status == "waiting"


def test_the_offer_deadline_never_runs_past_the_start():
    from talenthub.core.waiting_list import offer_deadline

    now = timezone.now()
    week = datetime.timedelta(days=7)
    assert offer_deadline(now=now, hold=week, starts_at=now + 2 * week) == now + week
    assert offer_deadline(now=now, hold=week, starts_at=now + datetime.timedelta(days=2)) == (
        now + datetime.timedelta(days=2)
    )
    # After the start (a manager's late offer): the full period.
    assert offer_deadline(now=now, hold=week, starts_at=now - week) == now + week
