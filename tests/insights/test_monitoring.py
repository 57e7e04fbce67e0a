"""The member's own equality monitoring: consent first, view, change, withdraw."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from insights import services
from insights.exceptions import InsightsError
from insights.models import (
    CONSENT_PURPOSE,
    CONSENT_VERSION,
    MonitoringRecord,
    current_consent_answer,
)
from tests.helpers import raises_code

from .factories import MonitoringRecordFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "ethnicity": "asian_pakistani",
    "sex": "female",
    "gender_identity": "yes",
    "sexual_orientation": "bisexual",
    "disability": "yes",
    "religion": "muslim",
    "age_band": "25_34",
    "caring_responsibilities": "children",
}


def form_data(consent=True, **changes):
    data = {**ANSWERS, **changes}
    if consent:
        data["consent"] = "on"
    return data


# Services -----------------------------------------------------------------------------


def test_nothing_is_stored_without_consent(member):
    with raises_code(InsightsError, "consent_required"):
        services.monitoring_save(user=member, consent=False, answers=ANSWERS)
    assert not MonitoringRecord.objects.exists()


def test_saving_with_consent_records_the_consent_and_answers(member):
    record = services.monitoring_save(user=member, consent=True, answers=ANSWERS)
    record.refresh_from_db()
    assert record.consent_version == CONSENT_VERSION
    assert record.consent_given_at is not None
    assert record.ethnicity == "asian_pakistani" and record.religion == "muslim"


def test_saving_again_changes_the_same_record(member):
    services.monitoring_save(user=member, consent=True, answers=ANSWERS)
    services.monitoring_save(
        user=member, consent=True, answers={**ANSWERS, "disability": "prefer_not_to_say"}
    )
    assert MonitoringRecord.objects.get(user=member).disability == "prefer_not_to_say"
    assert MonitoringRecord.objects.count() == 1


def test_every_question_needs_an_answer_and_only_a_listed_one(member):
    with raises_code(InsightsError, "answers_missing"):
        services.monitoring_save(user=member, consent=True, answers={**ANSWERS, "sex": ""})
    with raises_code(InsightsError, "invalid_option"):
        services.monitoring_save(user=member, consent=True, answers={**ANSWERS, "sex": "x"})
    assert not MonitoringRecord.objects.exists()


def test_the_database_refuses_an_answer_outside_the_list(member):
    from django.db import IntegrityError, transaction

    record = MonitoringRecordFactory(user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringRecord.objects.filter(pk=record.pk).update(ethnicity="martian")


def test_withdrawing_deletes_the_record(member):
    MonitoringRecordFactory(user=member)
    assert services.monitoring_withdraw(user=member) is True
    assert not MonitoringRecord.objects.filter(user=member).exists()
    assert services.monitoring_withdraw(user=member) is False


def test_the_database_refuses_a_record_without_a_consent_version(member):
    from django.db import IntegrityError, transaction

    record = MonitoringRecordFactory(user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringRecord.objects.filter(pk=record.pk).update(consent_version="")


def test_reports_can_leave_out_records_on_an_older_consent_statement():
    from cohorts.models import Application
    from tests.cohorts.factories import ApplicationFactory

    current = MonitoringRecordFactory(ethnicity="asian_indian")
    older = MonitoringRecordFactory(ethnicity="black_african", consent_version="2020-01")
    assert list(MonitoringRecord.objects.current_consent()) == [current]
    for record in [current, older]:
        ApplicationFactory(applicant=record.user)
    answers = Application.objects.values_list(
        current_consent_answer("applicant", "ethnicity"), flat=True
    )
    assert sorted(answers, key=str) == [None, "asian_indian"]


def test_a_record_never_shows_its_answers_as_text():
    record = MonitoringRecordFactory(ethnicity="black_caribbean", religion="jewish")
    assert "caribbean" not in str(record).lower() and "jewish" not in repr(record).lower()


# Views --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["monitoring", "monitoring_form", "monitoring_withdraw"])
def test_pages_need_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_summary_invites_a_member_without_a_record(client, member):
    client.force_login(member)
    response = client.get(reverse("monitoring"))
    assert response.status_code == 200
    assert b"Answer the questions" in response.content
    assert "no-store" in response["Cache-Control"]


def test_the_form_without_consent_saves_nothing_and_keeps_the_answers(client, member):
    client.force_login(member)
    response = client.post(reverse("monitoring_form"), form_data(consent=False))
    assert response.status_code == 200
    assert "Tick the box to give your consent" in response.content.decode()
    assert not MonitoringRecord.objects.exists()
    # The answers given are still selected.
    assert 'value="asian_pakistani" checked' in response.content.decode()


def test_the_form_without_an_answer_says_which_question(client, member):
    client.force_login(member)
    response = client.post(reverse("monitoring_form"), form_data(sex=""))
    assert response.status_code == 200
    assert "Choose an answer, or “Prefer not to say”." in response.content.decode()
    assert not MonitoringRecord.objects.exists()


def test_completing_changing_and_withdrawing(client, member):
    client.force_login(member)
    response = client.post(reverse("monitoring_form"), form_data())
    assert response.status_code == 302
    summary = client.get(reverse("monitoring")).content.decode()
    assert "Asian, Asian British or Asian Welsh: Pakistani" in summary
    # Changing shows the current answers, then saves the change.
    form = client.get(reverse("monitoring_form")).content.decode()
    assert 'value="muslim" checked' in form
    client.post(reverse("monitoring_form"), form_data(religion="prefer_not_to_say"))
    assert MonitoringRecord.objects.get(user=member).religion == "prefer_not_to_say"
    # Withdrawal is confirmed on its own page, then deletes.
    assert client.get(reverse("monitoring_withdraw")).status_code == 200
    response = client.post(reverse("monitoring_withdraw"))
    assert response.status_code == 302
    assert not MonitoringRecord.objects.filter(user=member).exists()
    assert b"Answer the questions" in client.get(reverse("monitoring")).content


def test_the_summary_shows_the_consent_statement_its_version_and_date(client, member):
    import datetime

    from django.utils import timezone
    from django.utils.html import escape

    given = timezone.make_aware(datetime.datetime(2027, 3, 4, 10, 0))
    MonitoringRecordFactory(user=member, consent_given_at=given)
    client.force_login(member)
    page = client.get(reverse("monitoring")).content.decode()
    assert escape(str(CONSENT_PURPOSE)) in page
    assert CONSENT_VERSION in page
    assert "4 March 2027" in page


def test_a_member_on_an_older_consent_statement_is_asked_to_confirm_the_new_one(client, member):
    MonitoringRecordFactory(user=member, consent_version="2020-01", religion="muslim")
    client.force_login(member)
    page = client.get(reverse("monitoring")).content.decode()
    assert "The consent statement has changed since you agreed to it." in page
    assert "your answers are left out of every report" in page  # as insights.reports does
    assert "2020-01" in page and "The wording of this version is no longer on file." in page
    form = client.get(reverse("monitoring_form")).content.decode()
    assert "you agreed to version 2020-01" in form
    assert 'value="muslim" checked' in form  # the answers are kept for the new consent
    # Confirming through the answer form renews the consent with the current wording.
    client.post(reverse("monitoring_form"), form_data())
    assert MonitoringRecord.objects.get(user=member).consent_version == CONSENT_VERSION
    page = client.get(reverse("monitoring")).content.decode()
    assert "The consent statement has changed" not in page


def test_a_member_on_the_current_statement_is_not_asked_again(client, member):
    MonitoringRecordFactory(user=member)
    client.force_login(member)
    assert "has changed" not in client.get(reverse("monitoring")).content.decode()
    assert "you agreed to version" not in client.get(reverse("monitoring_form")).content.decode()


def test_a_member_only_ever_sees_their_own_answers(client, member):
    MonitoringRecordFactory(ethnicity="black_caribbean")  # somebody else's
    client.force_login(member)
    page = client.get(reverse("monitoring")).content.decode()
    assert "Caribbean" not in page
    form = client.get(reverse("monitoring_form")).content.decode()
    assert 'value="black_caribbean" checked' not in form


def test_the_form_post_is_kept_out_of_error_reports_logs_and_email(client, member, caplog):
    from django.views.debug import SafeExceptionReporterFilter

    client.force_login(member)
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("monitoring_form"), form_data())
    request = response.wsgi_request
    assert request.sensitive_post_parameters == "__ALL__"
    filtered = SafeExceptionReporterFilter().get_post_parameters(request)
    assert set(filtered.values()) == {SafeExceptionReporterFilter.cleansed_substitute}
    logged = " ".join(r.getMessage() for r in caplog.records).lower()
    for value in ANSWERS.values():
        assert value not in logged
    assert mail.outbox == []


def test_migrate_leaves_an_analysts_group_with_the_report_permission():
    from django.apps import apps
    from django.contrib.auth.models import Group

    from insights.apps import ensure_analysts_group

    Group.objects.filter(name="Insights analysts").delete()
    ensure_analysts_group(sender=apps.get_app_config("insights"))
    ensure_analysts_group(sender=apps.get_app_config("insights"))  # idempotent
    group = Group.objects.get(name="Insights analysts")
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_equality_insights"]
