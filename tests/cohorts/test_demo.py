import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.demo import ASPIRE_SLUG
from cohorts.models import Application, Cohort, Participant, ProjectWork, Session
from talenthub.core.models import OutboundEmail, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_stack")]


@pytest.fixture
def seeded_programmes():
    """The demos the cohorts demo builds on (core, resources, programmes, events), loaded
    without the cohorts demo itself. Other apps' demo tests use this fixture too."""
    import importlib

    for app in ["talenthub.core", "resources", "programmes", "events"]:
        importlib.import_module(f"{app}.demo").load(stdout=io.StringIO())


def test_demo_skips_with_a_message_without_the_programmes(monkeypatch):
    from cohorts import demo

    monkeypatch.setattr(demo, "ASPIRE_SLUG", "no-such-programme")
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()


def test_demo_loads_twice_without_duplicates_and_quickly():
    out = io.StringIO()
    # Quickly, by queries rather than seconds (a timed assertion fails on a loaded
    # machine and passes a slow change on a fast one): 5,855 statements on PostgreSQL
    # when this bound was set, so a per-row loop over the demo's thousands of rows
    # breaks it.
    with CaptureQueriesContext(connection) as loading:
        call_command("load_demo", stdout=out)
    assert len(loading.captured_queries) < 7000
    counts = (Cohort.objects.count(), Participant.objects.count(), User.objects.count(),
              Session.objects.count(), ProjectWork.objects.count(),
              Application.objects.count())  # fmt: skip
    call_command("load_demo", stdout=io.StringIO())
    assert (Cohort.objects.count(), Participant.objects.count(), User.objects.count(),
            Session.objects.count(), ProjectWork.objects.count(),
            Application.objects.count()) == counts  # fmt: skip
    assert ProjectWork.objects.count() == 3
    assert ProjectWork.objects.first().file.read().startswith(b"%PDF-")

    assert (
        Participant.objects.completed().filter(cohort__version__programme__slug=ASPIRE_SLUG).count()
        >= 200
    )
    assert Cohort.objects.filter(starts_on__year=2014, version__name="Aspire").exists()
    assert Cohort.objects.open_for_applications().filter(version__name="Aspire 2.0").exists()
    pilot = Cohort.objects.get(slug="inspire-od-pilot-2019")
    assert [s.date.isoformat() for s in pilot.sessions.all()] == [
        "2019-09-24", "2019-09-25", "2019-11-05",
    ]  # fmt: skip
    inspire_next = Cohort.objects.get(slug="inspire-od-west-midlands-next")
    assert inspire_next.subsidy_scheme.name == "LGA Inspire OD places"
    assert inspire_next.is_accepting_applications()
    assert inspire_next.announced_at is None  # left for a manager to announce
    announced = Cohort.objects.get(slug="aspire-2-west-midlands-next")
    emails = OutboundEmail.objects.filter(key__startswith=f"cohort.announced:{announced.pk}:")
    assert announced.announced_at is not None and emails.count() > 10
    assert not emails.exclude(status="sent").exists()
    franchise = Cohort.objects.get(slug="aspire-2-east-midlands-current")
    assert franchise.provider.name == "East Midlands Councils"
    assert franchise.provider != franchise.version.programme.owner
    assert (
        User.objects.filter(email__endswith="@example.com", email__startswith="aspire").count()
        >= 200
    )

    _assert_selection_history()


def _assert_selection_history():
    """Every completed cohort's participants applied, were offered and accepted; the
    cohort also had applicants who did not get a place, about 1.5–2 per place."""
    completed = list(Cohort.objects.filter(status="completed"))
    assert len(completed) >= 13  # nine Aspire, three Aspire 2.0, the Inspire OD pilot
    assert not Participant.objects.filter(cohort__in=completed, application=None).exists()
    for cohort in completed:
        participants = cohort.participants.select_related("application")
        for participant in participants:
            application = participant.application
            assert (application.cohort_id, application.applicant_id) == (
                cohort.pk,
                participant.user_id,
            )
            assert application.status == "accepted" and application.offer_count == 1
            assert (
                cohort.applications_open_at
                < application.submitted_at
                < cohort.applications_close_at
            )
            assert application.decided_at and application.decision_sent_at
            assert application.decision_sent_at >= cohort.applications_close_at
            assert application.offered_at <= application.responded_at
        applications = cohort.applications.all()
        per_place = applications.count() / cohort.capacity
        assert 1.5 <= per_place <= 2, cohort
        statuses = [a.status for a in applications]
        assert statuses.count("offer_declined") == 2 and statuses.count("offer_expired") == 1
        assert statuses.count("unsuccessful") >= cohort.capacity // 2
        assert all(a.decision and a.decision_reason for a in applications)
        # The places given up went to people offered them from the waiting list.
        assert cohort.applications.filter(status="accepted", decision="waiting_list").count() == 3
    applicants = User.objects.filter(email__startswith="aspire.applicant.")
    assert (
        applicants.count()
        == Application.objects.filter(cohort__in=completed, applicant__in=applicants).count()
    )
    assert not Application.objects.filter(
        cohort__in=completed, applicant__in=applicants, status="accepted"
    ).exists()
