"""Issue 18, items 1–2 on cohorts: application questions per programme version (kinds,
required or optional) and "Email the participants"."""

import pytest
from django.core import mail
from django.urls import reverse

from cohorts import services
from cohorts.exceptions import CohortError
from cohorts.models import Answer, Application, ApplicationQuestion, CohortMessage
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import (
    AnswerFactory,
    ApplicationFactory,
    ApplicationQuestionFactory,
    CohortFactory,
    CompletedParticipantFactory,
    ParticipantFactory,
)
from tests.helpers import raises_code
from tests.programmes.factories import ProgrammeVersionFactory

pytestmark = pytest.mark.django_db


def _version_questions(cohort):
    everyone = ApplicationQuestionFactory(programme=cohort.programme, text="Why Aspire?", order=1)
    access = ApplicationQuestionFactory(
        programme=cohort.programme,
        version=cohort.version,
        order=2,
        text="Do you need any adjustments at the module days?",
        required=False,
    )
    mode = ApplicationQuestionFactory(
        programme=cohort.programme,
        version=cohort.version,
        order=3,
        text="Which project route",
        kind="choice",
        options="Workforce strategy\nDigital HR",
    )
    other_version = ProgrammeVersionFactory(programme=cohort.programme, name="Aspire 1.0")
    old = ApplicationQuestionFactory(
        programme=cohort.programme, version=other_version, order=4, text="Only for 1.0"
    )
    return everyone, access, mode, old


def test_questions_of_the_cohorts_version_and_of_every_version(cohort):
    everyone, access, mode, old = _version_questions(cohort)
    asked = list(ApplicationQuestion.objects.for_cohort(cohort))
    assert asked == [everyone, access, mode]


def test_a_choice_answer_must_be_one_of_the_options(member, cohort):
    _everyone, _access, mode, _old = _version_questions(cohort)
    with raises_code(CohortError, "answers_invalid") as info:
        services.application_save_draft(
            cohort=cohort, applicant=member, answers={mode.pk: "Something else"}
        )
    assert f"question_{mode.pk}" in info.value.field_errors
    assert not Answer.objects.exists()


def test_submit_needs_the_versions_required_questions(member, cohort):
    everyone, access, mode, old = _version_questions(cohort)
    application = services.application_save_draft(
        cohort=cohort, applicant=member, answers={everyone.pk: "To grow."}
    )
    with raises_code(CohortError, "answers_missing"):
        services.application_submit(application=application)
    services.application_save_draft(
        cohort=cohort, applicant=member, answers={everyone.pk: "To grow.", mode.pk: "Digital HR"}
    )
    # The other version's required question is not asked, so it does not block.
    services.application_submit(application=application)
    assert Application.objects.get().status == "submitted"


def test_apply_form_asks_choice_questions_as_radios(client, member, cohort):
    _everyone, access, mode, old = _version_questions(cohort)
    client.force_login(member)
    page = client.get(reverse("cohorts:apply", args=[cohort.slug])).content.decode()
    assert 'type="radio"' in page and "Digital HR" in page
    assert "(optional)" in page and "Only for 1.0" not in page
    response = client.post(
        reverse("cohorts:apply", args=[cohort.slug]), {f"question_{mode.pk}": "Nope", "draft": "1"}
    )
    assert response.status_code == 200
    assert "Select one of the options for “Which project route”" in response.content.decode()


def test_answers_shown_to_the_organiser(client, manager, cohort):
    _everyone, access, _mode, _old = _version_questions(cohort)
    answer = AnswerFactory(
        application=ApplicationFactory(cohort=cohort), question=access, text="Hearing loop"
    )
    client.force_login(manager)
    url = reverse("admin:cohorts_application_change", args=[answer.application.pk])
    page = client.get(url).content.decode()
    assert "Hearing loop" in page and access.text in page


def test_version_page_has_the_question_inline(client, manager, cohort):
    from django.contrib.auth.models import Permission

    # As the demo's "Programme managers" group has (programmes.demo.MANAGER_PERMISSIONS).
    manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programmes", codename__endswith="_programmeversion"
        )
    )
    client.force_login(manager)
    page = client.get(
        reverse("admin:programmes_programmeversion_change", args=[cohort.version.pk])
    ).content.decode()
    assert "Application questions for this version" in page


# --- email the participants --------------------------------------------------------------


def test_message_to_participants_by_status(cohort, manager, capture):
    enrolled = [ParticipantFactory(cohort=cohort) for _ in range(2)]
    done = CompletedParticipantFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort, status="withdrawn")
    message = capture(
        services.cohort_message_send,
        cohort=cohort, actor=manager, audience="enrolled", subject="Module 3 room",
        body="We are in room 4.", token="tok",
    )  # fmt: skip
    assert message.recipient_count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in enrolled)
    assert "We are in room 4." in mail.outbox[0].body
    again = services.cohort_message_send(
        cohort=cohort, actor=manager, audience="enrolled", subject="x", body="y", token="tok"
    )
    assert again.pk == message.pk
    assert OutboundEmail.objects.filter(key__startswith="cohort.message:").count() == 2
    everyone = services.cohort_message_recipients(cohort, "active")
    assert done.user in everyone and len(everyone) == 3
    with raises_code(CohortError, "message_no_recipients"):
        services.cohort_message_send(
            cohort=cohort, actor=manager, audience="not_completed", subject="s", body="b",
            token="t2",
        )  # fmt: skip


def test_email_the_participants_page(
    client, manager, cohort, capture, django_assert_max_num_queries
):
    for _ in range(4):
        ParticipantFactory(cohort=cohort)
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_email", args=[cohort.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    token = response.context["form"]["token"].value()
    data = {"audience": "active", "subject": "Celebration event", "body": "Save the date.",
            "token": token}  # fmt: skip
    page = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "It will be emailed to 4 people" in page and "Save the date." in page
    response = capture(client.post, url, {**data, "send": "1"})
    assert response.status_code == 302 and len(mail.outbox) == 4
    assert CohortMessage.objects.get().sent_by == manager
    change = client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk])).content.decode()
    assert "Celebration event" in change and "4 emails" in change


def test_email_the_participants_is_the_running_providers_only(client, other_manager, cohort):
    ParticipantFactory(cohort=cohort)
    client.force_login(other_manager)
    url = reverse("admin:cohorts_cohort_email", args=[cohort.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(
        url, {"audience": "active", "subject": "s", "body": "b", "token": "t", "send": "1"}
    )
    assert response.status_code in (403, 404) and not CohortMessage.objects.exists()


def test_franchise_owner_may_see_but_not_email_a_franchisees_cohort(client, manager, cohort):
    from tests.factories import ProviderFactory

    franchised = CohortFactory(version=cohort.version, provider=ProviderFactory())
    ParticipantFactory(cohort=franchised)
    client.force_login(manager)  # the programme's owner
    url = reverse("admin:cohorts_cohort_email", args=[franchised.pk])
    assert client.get(url).status_code == 403


def test_participant_export_has_the_answers(client, manager, cohort):
    import csv
    import io

    everyone, access, mode, old = _version_questions(cohort)
    application = ApplicationFactory(cohort=cohort)
    AnswerFactory(application=application, question=mode, text="Digital HR")
    AnswerFactory(application=application, question=access, text="Hearing loop")
    ParticipantFactory(cohort=cohort, user=application.applicant, application=application)
    client.force_login(manager)
    response = client.post(
        "/admin/cohorts/cohort/",
        {"action": "export_participants_csv", "_selected_action": [cohort.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == [everyone.text, access.text, mode.text]
    assert rows[1][-3:] == ["", "Hearing loop", "Digital HR"]
    assert old.text not in rows[0]
