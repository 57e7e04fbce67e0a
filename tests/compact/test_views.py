import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from compact import services
from compact.models import Action, Document, Meeting
from tests.compact.factories import (
    PDF_BYTES,
    ActionFactory,
    AttendanceFactory,
    BulletinFactory,
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
    NewsItemFactory,
    QuestionFactory,
    SignatoryFactory,
    SurveyFactory,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def url(name, world, **kwargs):
    return reverse(f"compact:{name}", kwargs={"slug": world.compact.slug, **kwargs})


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


# The public page -----------------------------------------------------------------------------


def test_public_page_shows_purpose_aims_priorities_members_and_public_meetings(client, world):
    MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="Pride Park, Derby",
        is_public=True,
    )
    MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=12),
        place="Private room",
    )
    DocumentFactory(compact=world.compact, title="Review report", visibility="public")
    DocumentFactory(compact=world.compact, title="Secret paper", visibility="steering")
    response = client.get(url("detail", world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "To improve the quality of the public services in the county." in body
    assert "celebrate the aims, priorities" in body  # aims of the terms in force
    assert "To increase the number of apprentices" in body
    assert "2.1, 2.3, 2.4, 4" in body
    assert "Derby City Council" in body
    assert "Pride Park, Derby" in body
    assert "Private room" not in body
    assert "Review report" in body and "Secret paper" not in body


def test_compact_index_lists_compacts(client, world):
    response = client.get(reverse("compact:index"))
    assert "Derbyshire Public Sector Compact" in response.content.decode()


def test_unknown_compact_is_404(client, db):
    assert client.get(reverse("compact:detail", kwargs={"slug": "nowhere"})).status_code == 404


def test_terms_version_shows_changes_side_by_side(client, world):
    response = client.get(url("terms_detail", world, version=2))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Changes from version 1" in body
    assert "<ins>" in body and "<del>" in body
    assert client.get(url("terms_list", world)).status_code == 200
    assert client.get(url("terms_detail", world, version=9)).status_code == 404


def test_charter_page_hides_representatives_from_the_public(client, world):
    signature = world.charter.signatories.get()
    body = client.get(url("charter", world)).content.decode()
    assert "Derby City Council" in body
    assert escape(str(signature.senior_representative)) not in body
    body = login(client, world.representative).get(url("charter", world)).content.decode()
    assert escape(str(signature.senior_representative)) in body


# Members-only and editor-only pages, per role -------------------------------------------------

MEMBER_PAGES = ["group_list", "action_list"]
EDITOR_PAGES = ["action_health", "attendance_report", "survey_list"]


@pytest.mark.parametrize("name", MEMBER_PAGES + EDITOR_PAGES)
def test_anonymous_is_asked_to_sign_in(client, world, name):
    response = client.get(url(name, world))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", MEMBER_PAGES + EDITOR_PAGES)
@pytest.mark.parametrize("who", ["outsider", "other_secretariat"])
def test_outsiders_and_other_compacts_get_404(client, world, name, who):
    assert login(client, getattr(world, who)).get(url(name, world)).status_code == 404


@pytest.mark.parametrize("who", ["representative", "org_member", "secretariat", "steering_member"])
@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_members_read_member_pages(client, world, name, who):
    assert login(client, getattr(world, who)).get(url(name, world)).status_code == 200


@pytest.mark.parametrize("who", ["representative", "org_member"])
@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_members_who_do_not_edit_get_404_on_editor_pages(client, world, name, who):
    assert login(client, getattr(world, who)).get(url(name, world)).status_code == 404


@pytest.mark.parametrize("who", ["secretariat", "steering_member"])
@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_editors_read_editor_pages(client, world, name, who):
    assert login(client, getattr(world, who)).get(url(name, world)).status_code == 200


def test_lapsed_charter_signatory_is_no_longer_a_member(client, world):
    signature = world.charter.signatories.get()
    signature.withdrawn_on = timezone.localdate()
    signature.save()
    assert login(client, world.org_member).get(url("action_list", world)).status_code == 404


# Action plans and progress updates ---------------------------------------------------------


def test_progress_update_by_an_editor_clears_the_stale_flag(client, world):
    action = ActionFactory(plan=world.plan, code="A1", lead_person=world.steering_member)
    action.aims.add(world.terms.aims.get(number="2.1"))
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.now() - datetime.timedelta(weeks=10)
    )
    login(client, world.steering_member)
    health = client.get(url("action_health", world)).content.decode()
    assert "A1" in health and "No update in 8 weeks" in health
    response = client.post(
        url("action_detail", world, pk=action.pk),
        {"status": "on_track", "percent_complete": "40", "note": "Scoped report drafted."},
    )
    assert response.status_code == 302
    health = client.get(url("action_health", world)).content.decode()
    assert "No action needs attention." in health
    detail = client.get(url("action_detail", world, pk=action.pk)).content.decode()
    assert "Scoped report drafted." in detail


def test_action_list_and_health_are_paginated_with_every_action_once(
    client, world, django_assert_max_num_queries
):
    """A compact with more actions than a page (issue 16: 1,000 actions, one page, took
    seconds): each action appears once across the pages, in plan order, and the health
    page counts every flagged action, not only the page's."""
    aim = world.terms.aims.get(number="2.1")
    for n in range(23):
        action = ActionFactory(plan=world.plan, code=f"P{n:02}", order=n)
        action.aims.add(aim)
    for n in range(22):  # no lead: flagged
        ActionFactory(plan=world.plan, code=f"Q{n:02}", order=100 + n, lead_person=None)
    expected = list(
        Action.objects.filter(plan__compact=world.compact).order_by("plan__title", "order", "code")
    )
    login(client, world.secretariat)
    with django_assert_max_num_queries(20):
        first = client.get(url("action_list", world), {"sort": "kept"})
    pages = [first, client.get(url("action_list", world), {"page": 2}), client.get(
        url("action_list", world), {"page": 3})]  # fmt: skip
    shown = [a.pk for page in pages for a in page.context["actions"]]
    assert shown == [a.pk for a in expected]  # 45: 20, 20, 5
    first_html = first.content.decode()
    assert 'aria-label="Page 2"' in first_html
    assert "?sort=kept&amp;page=2" in first_html  # the page's query string is kept
    assert "P00" in first_html and "Q21" not in first_html
    assert "Q21" in pages[2].content.decode()
    assert client.get(url("action_list", world), {"page": 9}).context["actions"][-1] == expected[-1]

    health = client.get(url("action_health", world))
    flagged = [a.pk for a in health.context["actions"]]
    assert len(flagged) == 20 and health.context["page_obj"].paginator.count == 22
    assert "22 actions need attention" in health.content.decode()
    second = client.get(url("action_health", world), {"page": 2}).context["actions"]
    assert {a.code for a in second} <= {f"Q{n:02}" for n in range(22)} and len(second) == 2


def test_action_pages_and_meetings_are_kept_per_reader_until_a_row_changes(
    client, world, settings, django_capture_on_commit_callbacks
):
    """With kept fragments on (issue 16): a second visit runs fewer queries and gets the
    same page; a committed change shows on the next request; the key holds what scopes
    each table to its reader: the stale weeks (actions), whether the reader is a member
    (every meeting, or the public ones) and an editor (the record links)."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TALENTHUB = {
        **settings.TALENTHUB,
        "PUBLIC_PAGE_CACHE_SECONDS": 60,
        "COMPACT_STALE_WEEKS": 8,
    }
    ActionFactory(plan=world.plan, code="K1").aims.add(world.terms.aims.get(number="2.1"))

    def visit(name, **params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(name, world), params)
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    login(client, world.secretariat)
    for name in ("action_list", "action_health", "meeting_list"):
        first, queries = visit(name)
        again, kept_queries = visit(name)
        assert again == first and kept_queries < queries, name
    assert "No action needs attention." in visit("action_health")[0]
    three_weeks_ago = timezone.now() - datetime.timedelta(weeks=3)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(three_weeks_ago):
        ActionFactory(plan=world.plan, code="N1", lead_person=None)
    health = visit("action_health")[0]
    assert "N1" in health and "1 action needs attention" in health
    assert "No update in" not in health and "N1" in visit("action_list")[0]
    settings.TALENTHUB = {**settings.TALENTHUB, "COMPACT_STALE_WEEKS": 2}
    assert "No update in 2 weeks" in visit("action_health")[0]

    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(group=world.steering, is_public=False, place="Committee Room 4")
        MeetingFactory(group=world.steering, is_public=True, place="Open Hall")
    editor = visit("meeting_list")[0]
    assert "Committee Room 4" in editor and "Record a meeting" in editor
    login(client, world.representative)  # a member, not an editor
    member = visit("meeting_list")[0]
    assert "Committee Room 4" in member and "Record a meeting" not in member
    login(client, world.outsider)
    public = visit("meeting_list")[0]
    assert "Open Hall" in public and "Committee Room 4" not in public
    assert ">Present<" not in public and ">Present<" in member


def test_progress_update_form_errors(client, world):
    action = ActionFactory(plan=world.plan)
    login(client, world.secretariat)
    response = client.post(
        url("action_detail", world, pk=action.pk), {"status": "on_track", "percent_complete": "140"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not action.updates.exists()


@pytest.mark.parametrize("who", ["representative", "other_secretariat", "outsider"])
def test_non_editors_cannot_add_progress_updates(client, world, who):
    action = ActionFactory(plan=world.plan)
    response = login(client, getattr(world, who)).post(
        url("action_detail", world, pk=action.pk),
        {"status": "done", "percent_complete": "100", "note": "x"},
    )
    assert response.status_code == 404
    assert not action.updates.exists()


def test_action_of_another_compact_is_404(client, world):
    foreign = ActionFactory()
    login(client, world.secretariat)
    assert client.get(url("action_detail", world, pk=foreign.pk)).status_code == 404


# Meetings ----------------------------------------------------------------------------------


def test_secretariat_records_a_meeting_with_attendance_and_minutes(client, world):
    membership = world.steering.memberships.get()
    other = MembershipFactory(group=world.steering)
    login(client, world.secretariat)
    page = client.get(url("meeting_record", world, group_pk=world.steering.pk))
    assert page.status_code == 200
    response = client.post(
        url("meeting_record", world, group_pk=world.steering.pk),
        {
            "date": "2026-04-01",
            "time": "10:00",
            "place": "County Hall, Matlock",
            "agenda": "Interim review report\nAction plan",
            f"attendance_{membership.pk}": "present",
            f"attendance_{other.pk}": "apologies",
            "minutes": SimpleUploadedFile("minutes.pdf", PDF_BYTES),
            "minutes_visibility": "members",
            "circulate": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get(place="County Hall, Matlock")
    assert meeting.status == "held"
    assert meeting.attendances.get(person=other.person).status == "apologies"
    assert meeting.documents.get().kind == "minutes"
    detail = client.get(response.url).content.decode()
    assert "Interim review report" in detail and "Minutes" in detail


def test_meeting_record_rejects_a_disguised_file(client, world):
    membership = world.steering.memberships.get()
    login(client, world.secretariat)
    response = client.post(
        url("meeting_record", world, group_pk=world.steering.pk),
        {
            f"attendance_{membership.pk}": "present",
            "date": "2026-04-01",
            "time": "10:00",
            "place": "Derby",
            "minutes": SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00binary\x00"),
            "minutes_visibility": "members",
        },
    )
    assert response.status_code == 200
    assert "must be a PDF" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["representative", "other_secretariat"])
def test_only_editors_record_meetings(client, world, who):
    login(client, getattr(world, who))
    assert client.get(url("meeting_record", world, group_pk=world.steering.pk)).status_code == 404


def test_public_sees_only_public_meetings(client, world):
    public = MeetingFactory(group=world.steering, is_public=True, place="Open meeting")
    private = MeetingFactory(group=world.steering, place="Closed meeting")
    body = client.get(url("meeting_list", world)).content.decode()
    assert "Open meeting" in body and "Closed meeting" not in body
    assert client.get(url("meeting_detail", world, pk=public.pk)).status_code == 200
    assert client.get(url("meeting_detail", world, pk=private.pk)).status_code == 404
    login(client, world.representative)
    assert client.get(url("meeting_detail", world, pk=private.pk)).status_code == 200


def test_secretariat_cancels_a_meeting_with_a_reason(client, world):
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    login(client, world.secretariat)
    response = client.post(url("meeting_cancel", world, pk=meeting.pk), {"reason": "Not quorate"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == ("cancelled", "Not quorate")


def test_attendance_report_page(client, world):
    for month in (3, 6):
        MeetingFactory(
            group=world.steering,
            starts_at=datetime.datetime(2026, month, 1, 10, tzinfo=datetime.UTC),
        )
    AttendanceFactory(meeting=world.steering.meetings.first(), organisation=world.council)
    world.charter.starts_on = datetime.date(2025, 1, 1)
    world.charter.save()
    world.charter.signatories.update(joined_on=datetime.date(2025, 1, 1))
    late = SignatoryFactory(charter=world.charter, joined_on=datetime.date(2026, 12, 1))
    login(client, world.secretariat)
    body = client.get(url("attendance_report", world) + "?year=2026").content.decode()
    assert "Derby City Council" in body and "Not met" in body
    assert "Steering group meetings held" in body and "While a member" in body
    assert escape(str(late.organisation)) in body and "No meetings while a member" in body
    assert "0 of 1 member organisation expected at a meeting met the rule" in body
    assert client.get(url("attendance_report", world) + "?year=x").status_code == 404


# Documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "visibility, who, status",
    [
        ("public", None, 200),
        ("members", None, 302),
        ("members", "outsider", 404),
        ("members", "org_member", 200),
        ("steering", "representative", 404),
        ("steering", "other_secretariat", 404),
        ("steering", "steering_member", 200),
    ],
)
def test_document_download_checks_visibility(client, world, visibility, who, status):
    document = DocumentFactory(compact=world.compact, visibility=visibility)
    if who:
        login(client, getattr(world, who))
    response = client.get(url("document_download", world, pk=document.pk))
    if status == 302:
        status = 404  # documents are found through the scoped queryset: a 404, not a login
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_secretariat_uploads_a_document(client, world):
    login(client, world.secretariat)
    response = client.post(
        url("document_list", world),
        {
            "title": "Review of the first year",
            "kind": "report",
            "visibility": "public",
            "file": SimpleUploadedFile("review.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().title == "Review of the first year"
    login(client, world.representative)
    response = client.post(
        url("document_list", world),
        {
            "title": "x",
            "kind": "report",
            "visibility": "public",
            "file": SimpleUploadedFile("r.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 404


# Surveys and bulletins ---------------------------------------------------------------------


def test_invited_member_answers_a_survey_once(client, world):
    survey = SurveyFactory(compact=world.compact, group=world.steering)
    question = QuestionFactory(survey=survey, kind="yes_no", text="Are the aims being met?")
    services.survey_send(survey=survey)
    login(client, world.steering_member)
    respond = url("survey_respond", world, pk=survey.pk)
    assert "Are the aims being met?" in client.get(respond).content.decode()
    assert client.post(respond, {f"q{question.pk}": "no"}).status_code == 302
    assert survey.invitations.get().answers.get().yes is False
    login(client, world.representative)
    assert client.get(respond).status_code == 404


def test_bulletin_archive_is_public_and_subscribing_works(client, world):
    bulletin = BulletinFactory(compact=world.compact, title="Skills Pledge")
    NewsItemFactory(bulletin=bulletin, title="Skills Pledge breakfast briefing")
    draft = BulletinFactory(compact=world.compact, title="Draft news")
    services.bulletin_send(bulletin=bulletin)
    body = client.get(url("bulletin_list", world)).content.decode()
    assert "Skills Pledge" in body and "Draft news" not in body
    assert client.get(url("bulletin_detail", world, number=bulletin.number)).status_code == 200
    assert client.get(url("bulletin_detail", world, number=draft.number)).status_code == 404
    login(client, world.outsider)
    client.post(url("bulletin_subscribe", world), {"action": "subscribe"})
    assert world.compact.subscriptions.filter(user=world.outsider).exists()
    client.post(url("bulletin_subscribe", world), {"action": "unsubscribe"})
    assert not world.compact.subscriptions.exists()
    assert not mail.outbox


# Admin scoping -----------------------------------------------------------------------------


def test_admin_secretariat_sees_only_their_compact(client, world, secretariat_staff):
    ActionFactory(plan=world.plan, code="OURS")
    ActionFactory(plan__compact=world.other, code="THEIRS")
    login(client, secretariat_staff)
    body = client.get(reverse("admin:compact_action_changelist")).content.decode()
    assert "OURS" in body and "THEIRS" not in body
    theirs = Action.objects.get(code="THEIRS")
    assert client.get(reverse("admin:compact_action_change", args=[theirs.pk])).status_code == 302
    body = client.get(reverse("admin:compact_compact_changelist")).content.decode()
    assert "Derbyshire" in body and "Leicestershire" not in body


# Query counts ------------------------------------------------------------------------------


def _grow(world, n):
    aim = world.terms.aims.get(number="1")
    for i in range(n):
        parent = ActionFactory(plan=world.plan, code=f"Q{n}-{i}")
        parent.aims.add(aim)
        ActionFactory(plan=world.plan, parent=parent, code=f"Q{n}-{i} 1.1")
        meeting = MeetingFactory(group=world.steering, is_public=True)
        AttendanceFactory(meeting=meeting, organisation=world.council)
        SignatoryFactory(charter=world.charter)
        DocumentFactory(compact=world.compact, meeting=meeting)
        MembershipFactory(group=world.steering)


@pytest.mark.parametrize(
    "name, who",
    [
        ("detail", None),
        ("action_list", "secretariat"),
        ("action_health", "secretariat"),
        ("meeting_list", "secretariat"),
        ("attendance_report", "secretariat"),
        ("document_list", "secretariat"),
        ("group_list", "secretariat"),
        ("charter", "secretariat"),
    ],
)
def test_query_counts_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries, name, who
):
    if who:
        login(client, getattr(world, who))
    _grow(world, 3)
    client.get(url(name, world))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url(name, world)).status_code == 200
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(name, world)).status_code == 200


def test_meeting_and_action_detail_query_counts(client, world, django_assert_max_num_queries):
    login(client, world.secretariat)
    meeting = MeetingFactory(group=world.steering)
    action = ActionFactory(plan=world.plan)
    for i in range(15):
        AttendanceFactory(meeting=meeting)
        DocumentFactory(compact=world.compact, meeting=meeting)
        services.progress_update_add(
            action=action, author=world.secretariat, status="on_track", percent_complete=i, note="."
        )
        ActionFactory(plan=world.plan, parent=None)
    with django_assert_max_num_queries(14):
        assert client.get(url("meeting_detail", world, pk=meeting.pk)).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url("action_detail", world, pk=action.pk)).status_code == 200


def test_survey_results_page(client, world, django_assert_max_num_queries):
    survey = SurveyFactory(compact=world.compact, group=world.steering)
    text = QuestionFactory(survey=survey, text="Most successful aspect?")
    yes_no = QuestionFactory(survey=survey, kind="yes_no", text="Aims met?")
    scale = QuestionFactory(survey=survey, kind="scale", text="Rate the plan")
    for _ in range(6):
        MembershipFactory(group=world.steering)
    services.survey_send(survey=survey)
    invitations = list(survey.invitations.all())
    for invitation in invitations[:3]:
        services.survey_respond(
            invitation=invitation,
            answers={text: "Networking with HR colleagues", yes_no: False, scale: 2},
        )
    services.survey_respond(invitation=invitations[3], answers={}, usable=False)
    login(client, world.secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(url("survey_detail", world, pk=survey.pk))
    body = response.content.decode()
    assert "Networking with HR colleagues" in body
    assert "Yes: 0. No: 3." in body and "Average 2.0 out of 5." in body
    assert "57% response rate" in body  # 4 replies of 7 sent
    login(client, world.representative)
    assert client.get(url("survey_detail", world, pk=survey.pk)).status_code == 404


def test_secretariat_moves_a_meeting_with_a_reason(client, world):
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    login(client, world.secretariat)
    move = url("meeting_move", world, pk=meeting.pk)
    assert client.get(move).status_code == 200
    response = client.post(move, {"date": "2026-12-15", "time": "14:00", "reason": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = client.post(
        move, {"date": "2026-12-15", "time": "14:00", "reason": "Clashes with the LSC conference"}
    )
    meeting.refresh_from_db()
    assert meeting.status == "moved" and meeting.moved_to is not None
    assert response.url == meeting.moved_to.get_absolute_url()
    login(client, world.representative)
    assert client.get(url("meeting_move", world, pk=meeting.moved_to.pk)).status_code == 404


def test_public_page_lists_upcoming_good_practice_events(client, world):
    from events.models import Event
    from tests.events.factories import EventFactory

    shown = EventFactory(title="Apprenticeships good-practice event")
    draft = EventFactory(title="Unannounced event", status=Event.Status.DRAFT)
    past = EventFactory(
        title="Last year's launch",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        booking_opens_at=timezone.now() - datetime.timedelta(days=60),
    )
    EventFactory(title="Someone else's event")
    world.compact.good_practice_events.add(shown, draft, past)
    body = client.get(url("detail", world)).content.decode()
    assert "Apprenticeships good-practice event" in body
    assert shown.get_absolute_url() in body
    for hidden in ("Unannounced event", "Last year's launch", "Someone else's event"):
        assert hidden not in body


# Recording attendance on a scheduled meeting ------------------------------------------------


def test_secretariat_marks_a_scheduled_meeting_held(client, world):
    membership = world.steering.memberships.get()
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        place="Pride Park, Derby",
        is_public=True,
    )
    login(client, world.secretariat)
    detail = client.get(url("meeting_detail", world, pk=meeting.pk)).content.decode()
    assert url("meeting_hold", world, pk=meeting.pk) in detail
    record = client.get(url("meeting_record", world, group_pk=world.steering.pk)).content.decode()
    assert url("meeting_hold", world, pk=meeting.pk) in record  # offered instead of a new one
    hold = url("meeting_hold", world, pk=meeting.pk)
    assert client.get(hold).status_code == 200
    response = client.post(
        hold,
        {
            "agenda": "Members' charter sign-up",
            f"attendance_{membership.pk}": "apologies",
            "minutes_visibility": "members",
        },
    )
    assert response.status_code == 302, response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "held" and Meeting.objects.count() == 1
    assert meeting.attendances.get().status == "apologies"
    body = client.get(response.url).content.decode()
    assert "Members&#x27; charter sign-up" in body and "Apologies" in body


def test_attendance_for_a_future_meeting_is_refused_with_a_reason(client, world):
    membership = world.steering.memberships.get()
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=21),
    )
    login(client, world.secretariat)
    detail = client.get(url("meeting_detail", world, pk=meeting.pk)).content.decode()
    assert "Attendance can be recorded once the meeting has taken place." in detail
    assert url("meeting_hold", world, pk=meeting.pk) not in detail
    page = client.get(url("meeting_hold", world, pk=meeting.pk)).content.decode()
    assert "its attendance can be recorded once it has taken place" in page
    assert "Mark the meeting as held" not in page
    response = client.post(
        url("meeting_hold", world, pk=meeting.pk),
        {f"attendance_{membership.pk}": "present", "minutes_visibility": "members"},
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not meeting.attendances.exists()

    future = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url("meeting_record", world, group_pk=world.steering.pk),
        {
            "date": future.isoformat(),
            "time": "10:00",
            "place": "County Hall, Matlock",
            f"attendance_{membership.pk}": "present",
            "minutes_visibility": "members",
        },
    )
    assert response.status_code == 200
    assert "has not taken place yet" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Meeting.objects.filter(place="County Hall, Matlock").exists()


@pytest.mark.parametrize("who", ["representative", "other_secretariat"])
def test_only_editors_mark_meetings_held_or_add_papers(client, world, who):
    meeting = MeetingFactory(group=world.steering, status="scheduled")
    login(client, getattr(world, who))
    assert client.get(url("meeting_hold", world, pk=meeting.pk)).status_code == 404
    response = client.post(
        url("meeting_document", world, pk=meeting.pk),
        {
            "kind": "agenda",
            "title": "Paper",
            "visibility": "members",
            "file": SimpleUploadedFile("p.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 404 and not Document.objects.exists()


# Papers and minutes of a meeting ----------------------------------------------------------------


def test_secretariat_adds_papers_then_minutes_to_a_meeting(
    client, world, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=7),
    )
    login(client, world.secretariat)
    detail = client.get(url("meeting_detail", world, pk=meeting.pk)).content.decode()
    assert url("meeting_document", world, pk=meeting.pk) in detail
    add = url("meeting_document", world, pk=meeting.pk)
    assert client.get(add).status_code == 200
    paper = {
        "kind": "agenda",
        "title": "Interim Report to the Steering Group",
        "visibility": "members",
        "file": SimpleUploadedFile("report.pdf", PDF_BYTES),
    }
    assert client.post(add, paper).status_code == 302
    document = meeting.documents.get()
    assert (document.kind, document.title) == ("agenda", "Interim Report to the Steering Group")

    # Minutes before the meeting has been held are refused, with the reason.
    minutes = {
        "kind": "minutes",
        "visibility": "members",
        "circulate": "on",
        "file": SimpleUploadedFile("minutes.pdf", PDF_BYTES),
    }
    response = client.post(add, minutes)
    assert response.status_code == 200
    assert "only to a meeting that has been held" in response.content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(
        status="held", starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    minutes["file"] = SimpleUploadedFile("minutes.pdf", PDF_BYTES)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(add, minutes).status_code == 302
    assert meeting.documents.filter(kind="minutes").count() == 1
    assert [m.to for m in mail.outbox] == [[world.steering_member.email]]
    body = client.get(url("meeting_detail", world, pk=meeting.pk)).content.decode()
    assert "Interim Report to the Steering Group" in body and "Minutes: Steering Group" in body


@pytest.mark.parametrize(
    "data, message, field",
    [
        ({"kind": "agenda", "title": "", "visibility": "members"}, "Enter the paper", "title"),
        ({"kind": "agenda", "title": "Paper", "visibility": "members"}, "must be a PDF", "file"),
    ],
)
def test_meeting_document_form_errors(client, world, data, message, field):
    meeting = MeetingFactory(group=world.steering)
    login(client, world.secretariat)
    response = client.post(
        url("meeting_document", world, pk=meeting.pk),
        {**data, "file": SimpleUploadedFile("paper.pdf", b"MZ\x90\x00binary\x00")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "There is a problem" in body
    assert message in str(response.context["form"].errors[field])  # next to its field
    assert not Document.objects.exists()


def test_documents_page_attaches_a_document_to_a_meeting_of_this_compact(client, world):
    ours = MeetingFactory(group=world.steering)
    theirs = MeetingFactory(group__compact=world.other)
    login(client, world.secretariat)
    data = {
        "title": "Review report",
        "kind": "report",
        "visibility": "members",
        "file": SimpleUploadedFile("review.pdf", PDF_BYTES),
    }
    response = client.post(url("document_list", world), {**data, "meeting": theirs.pk})
    assert response.status_code == 200
    assert "Select one of the options given for" in response.content.decode()
    assert not Document.objects.exists()
    data["file"] = SimpleUploadedFile("review.pdf", PDF_BYTES)
    assert client.post(url("document_list", world), {**data, "meeting": ours.pk}).status_code == 302
    assert Document.objects.get().meeting == ours


# An action's lead, even without a role, follows the digest's link ------------------------------


def test_lead_without_a_role_views_and_updates_their_action(client, world):
    from tests.factories import MemberFactory

    lead = MemberFactory()  # not a member of the compact: no role, no signatory
    action = ActionFactory(plan=world.plan, code="B4", lead_person=lead)
    sub = ActionFactory(plan=world.plan, parent=action, code="B4 1.1", lead_person=None)
    someone_elses = ActionFactory(plan=world.plan, code="C1")
    assert client.get(url("action_detail", world, pk=action.pk)).status_code == 302  # sign in
    login(client, lead)
    assert client.get(url("action_list", world)).status_code == 404
    assert client.get(url("action_detail", world, pk=someone_elses.pk)).status_code == 404
    response = client.post(
        url("action_detail", world, pk=someone_elses.pk),
        {"status": "on_track", "percent_complete": "10", "note": "x"},
    )
    assert response.status_code == 404 and not someone_elses.updates.exists()
    page = client.get(url("action_detail", world, pk=sub.pk))
    assert page.status_code == 200 and "Add progress update" in page.content.decode()
    response = client.post(
        url("action_detail", world, pk=sub.pk),
        {"status": "on_track", "percent_complete": "20", "note": "Case studies gathered."},
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.status, sub.percent_complete) == ("on_track", 20)
    assert sub.updates.get().author == lead


def test_digest_link_opens_the_action_for_its_lead(
    client, world, django_capture_on_commit_callbacks
):
    from tests.factories import MemberFactory

    lead = MemberFactory()
    action = ActionFactory(plan=world.plan, code="B4", lead_person=lead, target_date=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_action_digests()
    assert mail.outbox[0].to == [lead.email]
    assert action.get_absolute_url() in mail.outbox[0].body
    login(client, lead)
    page = client.get(action.get_absolute_url())
    assert page.status_code == 200 and "No target date" in page.content.decode()
    response = client.post(
        action.get_absolute_url(),
        {"status": "at_risk", "percent_complete": "5", "note": "No sub-group yet."},
    )
    assert response.status_code == 302
    assert action.updates.get().note == "No sub-group yet."


# E-bulletin archive ---------------------------------------------------------------------------


def test_archived_bulletin_shows_what_was_announced(client, world):
    meeting = MeetingFactory(
        group=world.steering,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="Pride Park, Derby",
        is_public=True,
    )
    bulletin = BulletinFactory(compact=world.compact)
    NewsItemFactory(bulletin=bulletin)
    services.bulletin_send(bulletin=bulletin)
    services.meeting_move(
        meeting=meeting,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        place="University of Derby",
        reason="Clash",
    )
    body = client.get(url("bulletin_detail", world, number=bulletin.number)).content.decode()
    assert "Coming up" in body and "Pride Park, Derby" in body
    assert "University of Derby" not in body  # the move came after the issue was sent


def test_recording_an_earlier_meeting_leaves_out_those_who_joined_since(client, world):
    membership = world.steering.memberships.get()
    newcomer = MembershipFactory(group=world.steering, starts_on=datetime.date(2026, 6, 1))
    login(client, world.secretariat)
    response = client.post(
        url("meeting_record", world, group_pk=world.steering.pk),
        {
            "date": "2026-04-01",
            "time": "10:00",
            "place": "County Hall, Matlock",
            f"attendance_{membership.pk}": "present",
            f"attendance_{newcomer.pk}": "present",
            "minutes_visibility": "members",
        },
        follow=True,
    )
    meeting = Meeting.objects.get(place="County Hall, Matlock")
    assert list(meeting.attendances.values_list("person", flat=True)) == [membership.person_id]
    body = response.content.decode()
    assert "not members of the group on that day" in body
    assert escape(str(newcomer.person)) in body
