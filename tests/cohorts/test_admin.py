"""The admin is the managers' main tool; a franchisee's staff see and change only their
own provider's cohorts and applications, enforced in querysets."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application, Cohort, Participant
from talenthub.core.permissions import PROGRAMME_MANAGERS
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    ParticipantFactory,
    SessionFactory,
    WaitingApplicationFactory,
)
from tests.factories import MemberFactory
from tests.spreadsheets import assert_same_rows_formulas_neutralised, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def _inlines(*prefixes):
    """Management-form data for the (read-only) inlines of an admin change form."""
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.fixture
def theirs(cohort, other_provider):
    """A cohort of the same programme run by a franchisee (another provider)."""
    return CohortFactory(version=cohort.version, provider=other_provider, name="Franchise cohort")


def test_members_cannot_use_the_admin(client, cohort):
    member = MemberFactory(is_staff=True)
    client.force_login(member)
    assert client.get(reverse("admin:cohorts_cohort_changelist")).status_code == 403


def test_manager_sees_their_cohorts_and_their_franchisees_read_only(
    client, manager, cohort, theirs, other_provider, django_assert_max_num_queries
):
    unrelated = CohortFactory(provider=other_provider, name="Another programme's cohort")
    for _ in range(15):
        CohortFactory(version=cohort.version, provider=cohort.provider)
    client.force_login(manager)
    # A fixed number whatever the rows (the admin sidebar asks every app's permissions).
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:cohorts_cohort_changelist"))
    html = response.content.decode()
    assert cohort.name in html
    assert theirs.name in html  # the owner sees its franchisee's cohort
    assert unrelated.name not in html  # but nothing of programmes it does not own
    assert response.context["cl"].result_count == 17
    change = client.get(reverse("admin:cohorts_cohort_change", args=[unrelated.pk]))
    assert change.status_code == 302  # "doesn't exist" for them: redirected to the index
    assert client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk])).status_code == 200
    # The franchisee's cohort is read only for the owner, without its participants.
    view = client.get(reverse("admin:cohorts_cohort_change", args=[theirs.pk]))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert view.context["inline_admin_formsets"] == []
    assert (
        client.post(reverse("admin:cohorts_cohort_change", args=[theirs.pk]), {}).status_code == 403
    )


def test_owner_actions_skip_franchisees_cohorts(client, manager, theirs):
    WaitingApplicationFactory(cohort=theirs)
    ParticipantFactory(cohort=theirs, user__full_name="Franchise Participant")
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_changelist")
    client.post(url, {"action": "fill_places", "_selected_action": [theirs.pk]})
    assert not Application.objects.filter(status="offered").exists()
    for action in ["export_participants_csv", "export_attendance_csv"]:
        response = client.post(url, {"action": action, "_selected_action": [theirs.pk]})
        assert "Franchise Participant" not in str(csv_rows(response))
    for action in ["export_participants_xlsx", "export_attendance_xlsx"]:
        response = client.post(url, {"action": action, "_selected_action": [theirs.pk]})
        assert "Franchise Participant" not in str(xlsx_rows(response))
    applications = client.get(reverse("admin:cohorts_application_changelist"))
    assert applications.context["cl"].result_count == 0


def test_franchisee_sees_none_of_the_owners_cohorts_or_applications(
    client, other_manager, cohort, theirs
):
    mine = ApplicationFactory(cohort=cohort)
    franchise_application = ApplicationFactory(cohort=theirs)
    client.force_login(other_manager)
    cohorts = client.get(reverse("admin:cohorts_cohort_changelist")).context["cl"].result_list
    assert list(cohorts) == [theirs]
    applications = client.get(reverse("admin:cohorts_application_changelist"))
    assert list(applications.context["cl"].result_list) == [franchise_application]
    response = client.get(reverse("admin:cohorts_application_change", args=[mine.pk]))
    assert response.status_code == 302
    # Public-site manager pages are 404 for them.
    assert client.get(reverse("cohorts:cohort_feedback", args=[cohort.slug])).status_code == 404
    assert client.get(reverse("cohorts:project_reports", args=[cohort.slug])).status_code == 404


def test_manager_cannot_create_a_cohort_for_another_provider(client, manager, cohort, theirs):
    client.force_login(manager)
    response = client.get(reverse("admin:cohorts_cohort_add"))
    providers = response.context["adminform"].form.fields["provider"].queryset
    assert list(providers) == [cohort.provider]


def test_superuser_sees_every_cohort(admin_client, cohort, theirs):
    response = admin_client.get(reverse("admin:cohorts_cohort_changelist"))
    assert response.context["cl"].result_count == 2


def test_recording_a_decision_in_the_admin_goes_through_the_service(client, manager, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(manager)
    url = reverse("admin:cohorts_application_change", args=[application.pk])
    data = {
        "score": "8",
        "decision": "offer",
        "decision_reason": "",
        **_inlines("answers", "competency_scores"),
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the reason is required
    assert "Give a reason" in response.content.decode()
    response = client.post(url, {**data, "decision_reason": "Strong evidence"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.decision, application.score, application.decided_by) == (
        "offer",
        8,
        manager,
    )


def test_drafts_are_not_shown_to_managers(client, manager, cohort):
    ApplicationFactory(cohort=cohort, status="draft", submitted_at=None)
    client.force_login(manager)
    response = client.get(reverse("admin:cohorts_application_changelist"))
    assert response.context["cl"].result_count == 0


def test_send_decisions_action(client, manager, cohort, django_capture_on_commit_callbacks):
    application = ApplicationFactory(
        cohort=cohort, decision="offer", decision_reason="Strong", score=9
    )
    client.force_login(manager)
    action = {"action": "send_decisions", "_selected_action": [cohort.pk]}
    url = reverse("admin:cohorts_cohort_changelist")
    preview = client.post(url, action)  # a preview first: nothing sent yet
    assert "An offer of a place" in preview.content.decode()
    assert Application.objects.get(pk=application.pk).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**action, "apply": "1"}, follow=True)
    assert "1 offered" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "offered"


def test_send_decisions_for_the_ticked_applications_only_after_a_preview(
    client, manager, cohort, django_capture_on_commit_callbacks
):
    """Ticking one application sends its decision only, not the whole cohort's, and
    only once the preview is confirmed."""
    ticked = ApplicationFactory(cohort=cohort, decision="offer", decision_reason="Strong", score=9)
    other = ApplicationFactory(cohort=cohort, decision="decline", decision_reason="Not yet")
    client.force_login(manager)
    url = reverse("admin:cohorts_application_changelist")
    action = {"action": "send_decisions", "_selected_action": [ticked.pk]}
    preview = client.post(url, action)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert ticked.applicant.email in body and other.applicant.email not in body
    assert 'value="Send 1 decision"' in body
    assert not Application.objects.filter(decision_sent_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**action, "apply": "1"})
    assert Application.objects.get(pk=ticked.pk).status == "offered"
    untouched = Application.objects.get(pk=other.pk)
    assert untouched.status == "submitted" and untouched.decision_sent_at is None


def test_fill_places_action(client, manager, cohort):
    waiting = WaitingApplicationFactory(cohort=cohort)
    client.force_login(manager)
    client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "fill_places", "_selected_action": [cohort.pk]},
    )
    assert Application.objects.get(pk=waiting.pk).status == "offered"


def test_actions_cannot_reach_another_providers_cohort(client, other_manager, cohort):
    WaitingApplicationFactory(cohort=cohort)
    client.force_login(other_manager)
    client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "fill_places", "_selected_action": [cohort.pk]},
    )
    assert not Application.objects.filter(status="offered").exists()


def test_export_participants_and_attendance(client, manager, cohort):
    session = SessionFactory(cohort=cohort, title="Workforce strategies")
    attendance = AttendanceFactory(session=session, participant__user__full_name="Asha Patel")
    ParticipantFactory(cohort=cohort, user__full_name="=HYPERLINK(1)")
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_changelist")

    def export(action):
        return client.post(url, {"action": action, "_selected_action": [cohort.pk]})

    rows = assert_same_rows_formulas_neutralised(
        export("export_participants_csv"), export("export_participants_xlsx")
    )
    assert rows[0][:3] == ["Cohort", "Name", "Email"]
    assert {row[1] for row in rows[1:]} == {"Asha Patel", "=HYPERLINK(1)"}
    assert [
        row[1] for row in csv_rows(export("export_participants_csv")) if "HYPERLINK" in row[1]
    ] == ["'=HYPERLINK(1)"]  # formulas neutralised
    rows = assert_same_rows_formulas_neutralised(
        export("export_attendance_csv"), export("export_attendance_xlsx")
    )
    assert rows[0][:4] == ["Cohort", "Name", "Email", "Session date"]
    assert any(r[1] == "Asha Patel" and r[5] == "Present" for r in rows)
    assert any(r[1] == "=HYPERLINK(1)" and r[5] == "Not recorded" for r in rows)
    assert attendance.participant.cohort == cohort


def test_participant_admin_exports_as_xlsx(client, manager, cohort):
    ParticipantFactory(cohort=cohort, user__full_name="Łucja Nowak-Śliwińska")
    client.force_login(manager)
    url = reverse("admin:cohorts_participant_changelist")
    selected = list(Participant.objects.values_list("pk", flat=True))

    def export(action):
        return client.post(url, {"action": action, "_selected_action": selected})

    rows = assert_same_rows_formulas_neutralised(
        export("export_participants_csv"), export("export_participants_xlsx")
    )
    assert [row[1] for row in rows[1:]] == ["Łucja Nowak-Śliwińska"]


def test_mark_completed_action_and_not_completed_with_reason(client, manager, cohort):
    done = ParticipantFactory(cohort=cohort)
    not_done = ParticipantFactory(cohort=cohort)
    client.force_login(manager)
    # The cohort has not ended: the version's completion rule refuses, and says why.
    refused = client.post(
        reverse("admin:cohorts_participant_changelist"),
        {"action": "mark_completed", "_selected_action": [done.pk]},
        follow=True,
    )
    assert "cannot be marked completed yet" in refused.content.decode()
    assert not Participant.objects.completed().exists()
    # Once the cohort has ended (the rule's only part here), the action completes.
    cohort.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    cohort.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    cohort.applications_open_at = timezone.now() - datetime.timedelta(days=90)
    cohort.applications_close_at = timezone.now() - datetime.timedelta(days=60)
    cohort.save()
    client.post(
        reverse("admin:cohorts_participant_changelist"),
        {"action": "mark_completed", "_selected_action": [done.pk]},
    )
    assert list(Participant.objects.completed()) == [done]
    url = reverse("admin:cohorts_participant_change", args=[not_done.pk])
    data = {"status": "not_completed", "completion_reason": "", **_inlines("attendance")}
    response = client.post(url, data)
    assert response.status_code == 200
    response = client.post(url, {**data, "completion_reason": "Moved abroad"})
    assert response.status_code == 302
    not_done.refresh_from_db()
    assert (not_done.status, not_done.completion_reason) == ("not_completed", "Moved abroad")


def test_admin_list_pages_answer_in_a_fixed_number_of_queries(
    client, manager, cohort, django_assert_max_num_queries
):
    for _ in range(12):
        ApplicationFactory(cohort=cohort)
        participant = ParticipantFactory(cohort=cohort)
        SessionFactory(cohort=cohort)
        AttendanceFactory(session=SessionFactory(cohort=cohort), participant=participant)
    client.force_login(manager)
    for name in ["application", "participant", "session", "projectwork", "feedback"]:
        with django_assert_max_num_queries(30):
            response = client.get(reverse(f"admin:cohorts_{name}_changelist"))
        assert response.status_code == 200
    with django_assert_max_num_queries(34):
        response = client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk]))
    assert response.status_code == 200


def test_group_membership_is_what_makes_a_manager(client, cohort):
    staff = MemberFactory(is_staff=True, profile__organisation=cohort.provider)
    client.force_login(staff)
    assert client.get(reverse("admin:cohorts_cohort_changelist")).status_code == 403
    staff.groups.add(Group.objects.get_or_create(name=PROGRAMME_MANAGERS)[0])
    assert client.get(reverse("admin:cohorts_cohort_changelist")).status_code == 200
    assert Cohort.objects.count() == 1


def test_capacity_cannot_drop_below_places_taken_in_the_admin(client, manager, cohort):
    from tests.cohorts.factories import OfferedApplicationFactory

    OfferedApplicationFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort)
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None
    }
    data.update(
        {
            "capacity": "1",
            "applications_open_at_0": cohort.applications_open_at.strftime("%d/%m/%Y"),
            "applications_open_at_1": "09:00:00",
            "applications_close_at_0": cohort.applications_close_at.strftime("%d/%m/%Y"),
            "applications_close_at_1": "17:00:00",
            "version": cohort.version_id,
            "provider": cohort.provider_id,
            **_inlines("sessions", "participants", "reviewers"),
        }
    )
    data.pop("applications_open_at", None)
    data.pop("applications_close_at", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cannot be lower than the 2 places" in response.content.decode()


def test_manager_moves_and_reprioritises_with_a_reason_and_sees_the_audit_trail(
    client, manager, cohort
):
    """Each on its own page (one service each), reached from the application's page."""
    import datetime

    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(hours=1)
    queue = [
        WaitingApplicationFactory(
            cohort=cohort, waiting_since=start + datetime.timedelta(minutes=i)
        )
        for i in range(3)
    ]
    client.force_login(manager)
    change = reverse("admin:cohorts_application_change", args=[queue[2].pk])
    url = reverse("admin:cohorts_application_move", args=[queue[2].pk])
    assert url in client.get(change).content.decode()
    response = client.post(url, {"position": "1", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    response = client.post(url, {"position": "1", "reason": "Deferred from last cohort"})
    assert response.status_code == 302 and response["Location"] == change
    order = list(cohort.applications.waiting_in_order().values_list("pk", flat=True))
    assert order == [queue[2].pk, queue[0].pk, queue[1].pk]

    url = reverse("admin:cohorts_application_priority", args=[queue[1].pk])
    response = client.post(url, {"priority": "3", "reason": "Funded"})
    assert response.status_code == 302
    assert Application.objects.get(pk=queue[1].pk).waiting_priority == 3
    page = client.get(
        reverse("admin:cohorts_application_change", args=[queue[1].pk])
    ).content.decode()
    assert "cohorts.waiting_priority_changed" in page and "Funded" in page


def test_an_offered_application_cannot_be_moved_in_the_admin(client, manager, cohort):
    from django.contrib.messages import ERROR, SUCCESS, get_messages

    from tests.cohorts.factories import OfferedApplicationFactory

    offered = OfferedApplicationFactory(cohort=cohort)
    client.force_login(manager)
    change = reverse("admin:cohorts_application_change", args=[offered.pk])
    url = reverse("admin:cohorts_application_priority", args=[offered.pk])
    assert url not in client.get(change).content.decode()
    response = client.post(url, {"priority": "2", "reason": "Because"})
    assert response.status_code == 302 and response["Location"] == change
    levels = [m.level for m in get_messages(response.wsgi_request)]
    assert ERROR in levels and SUCCESS not in levels
    assert Application.objects.get(pk=offered.pk).waiting_priority == 0


def test_another_provider_cannot_reprioritise(client, other_manager, cohort):
    waiting = WaitingApplicationFactory(cohort=cohort)
    client.force_login(other_manager)
    for url in (
        reverse("admin:cohorts_application_change", args=[waiting.pk]),
        reverse("admin:cohorts_application_priority", args=[waiting.pk]),
    ):
        client.post(url, {"waiting_priority": "9", "priority": "9", "reason": "x"})
    assert Application.objects.get(pk=waiting.pk).waiting_priority == 0


def test_applications_can_be_filtered_by_cohort_and_applicants_are_not_linked(
    client, manager, cohort, theirs
):
    """The applications list filters by cohort (the manager's own only), and an
    application's page shows the applicant as text, not a link to the user admin that
    managers may not open."""
    mine = ApplicationFactory(cohort=cohort)
    other = CohortFactory(version=cohort.version, provider=cohort.provider, name="Spring")
    elsewhere = ApplicationFactory(cohort=other)
    ApplicationFactory(cohort=theirs)
    client.force_login(manager)
    url = reverse("admin:cohorts_application_changelist")
    response = client.get(url, {"cohort__id__exact": cohort.pk})
    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [mine.pk]
    cohort_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "cohort"
    )
    choices = {label for _pk, label in cohort_filter.lookup_choices}
    assert choices == {cohort.name, other.name}  # not the franchisee's
    assert elsewhere.pk not in [a.pk for a in response.context["cl"].result_list]
    page = client.get(reverse("admin:cohorts_application_change", args=[mine.pk]))
    body = page.content.decode()
    assert mine.applicant.email in body
    assert reverse("admin:core_user_change", args=[mine.applicant.pk]) not in body


def test_question_list_reads_each_versions_programme_with_the_rows(admin_client):
    """A version's text names its programme (``list_select_related`` follows it): the
    list's queries do not grow with the versions shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cohorts.factories import ApplicationQuestionFactory
    from tests.programmes.factories import ProgrammeVersionFactory

    url = reverse("admin:cohorts_applicationquestion_changelist")

    def queries() -> int:
        admin_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    version = ProgrammeVersionFactory()
    ApplicationQuestionFactory(programme=version.programme, version=version)
    one = queries()
    for _ in range(3):
        version = ProgrammeVersionFactory()
        ApplicationQuestionFactory(programme=version.programme, version=version)
    assert queries() == one


def test_session_list_attendance_links_are_djangos_reversed_once(admin_client, cohort, monkeypatch):
    """Each session's "Record attendance" link is the one ``reverse`` gives, with the URL
    reversed once (per URL configuration, script prefix and language), not once a row
    (docs/benchmarks.md, "Sixth round"); under another script prefix the links follow."""
    from django.urls import reverse as django_reverse
    from django.urls import set_script_prefix
    from django.utils.html import format_html

    import cohorts.admin as cohorts_admin

    sessions = [SessionFactory(cohort=cohort) for _ in range(4)]
    calls = []

    def counted_reverse(*args, **kwargs):
        calls.append(args[0])
        return django_reverse(*args, **kwargs)

    monkeypatch.setattr(cohorts_admin, "reverse", counted_reverse)
    monkeypatch.setattr(cohorts_admin, "_attendance_link_parts", {})
    url = reverse("admin:cohorts_session_changelist")
    for _ in range(2):
        html = admin_client.get(url).content.decode()
        for session in sessions:
            link = format_html(
                '<a href="{}">Record attendance</a>',
                django_reverse("cohorts:attendance", args=[session.pk]),
            )
            assert f'<td class="field-attendance_link">{link}</td>' in html
    assert calls.count("cohorts:attendance") == 1
    try:
        set_script_prefix("/talent/")
        assert cohorts_admin.attendance_link_html(sessions[0].pk) == (
            f'<a href="/talent/cohorts/manage/sessions/{sessions[0].pk}/attendance/">'
            "Record attendance</a>"
        )
    finally:
        set_script_prefix("/")
    assert calls.count("cohorts:attendance") == 2


def test_application_list_counts_submitted_applications_from_their_index(admin_client, cohort):
    """The application list's count (the submitted applications: not drafts) is read from
    ``application_submitted_idx`` alone, the smallest index holding them (at 100x the
    demo, 51,700 applications: 4.1 -> 2.9 ms; docs/benchmarks.md, "Sixth round").
    Sequential and bitmap scans are off so that these few rows get a big table's plan."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    ApplicationFactory.create_batch(3, cohort=cohort)
    ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT, submitted_at=None)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(reverse("admin:cohorts_application_changelist"))
    assert response.context["cl"].result_count == 3
    (count,) = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)")]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + count)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using application_submitted_idx" in plan, plan
