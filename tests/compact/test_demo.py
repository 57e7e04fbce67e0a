import pytest
from django.urls import reverse

from compact import demo, selectors
from compact.models import Action, Compact, Document, Meeting, SurveyInvitation
from talenthub.core import demo as core_demo
from talenthub.core.demo import DEMO_PASSWORD
from talenthub.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.load()
    demo.load()
    return Compact.objects.get(slug="derbyshire")


def test_demo_is_idempotent(loaded):
    counts = (Action.objects.count(), Meeting.objects.count(), Document.objects.count())
    demo.load()
    assert (Action.objects.count(), Meeting.objects.count(), Document.objects.count()) == counts


def test_demo_matches_the_seed(loaded):
    assert [t.version for t in loaded.terms.all()] == [1, 2]
    statement = selectors.current_statement(compact=loaded)
    assert statement.year == "2008-09"
    apprentices = statement.priorities.get(order=2)
    assert sorted(a.number for a in apprentices.aims.all()) == ["2.1", "2.3", "2.4", "4"]
    assert all(a.terms.version == 2 for a in apprentices.aims.all())
    codes = list(Action.objects.filter(plan__compact=loaded).values_list("code", flat=True))
    assert codes == ["A1", "A2", "B1", "B2", "B2 1.1", "B2 1.2", "B3", "B4", "B5", "C1"]
    survey = selectors.survey_results(compact=loaded).get()
    assert (survey.sent_count, survey.reply_count, survey.usable_count) == (36, 10, 7)
    assert SurveyInvitation.objects.filter(survey__compact=loaded).count() == 36
    # "Timescales have not been established": every action is flagged.
    health = selectors.actions_health(compact=loaded)
    assert all(a.flag_no_target for a in health)
    by_code = {a.code: a for a in health}
    assert by_code["B5"].flag_no_lead and by_code["C1"].flag_no_lead
    assert not by_code["A2"].flag_no_aim and by_code["A1"].flag_no_aim
    # Falling attendance under the charter (from September 2008): 5 of 8 member
    # organisations met the two-meetings rule in 2008, 2 of 8 in 2009.
    rows = {r.organisation.name: r for r in selectors.attendance_report(compact=loaded, year=2008)}
    assert rows["University of Derby"].meets_rule
    assert sum(r.meets_rule for r in rows.values()) == 5 and len(rows) == 8
    # East Midlands Ambulance Service came to the October launch but joined in November:
    # only December's meeting was expected of it.
    emas = rows["East Midlands Ambulance Service"]
    assert (emas.meetings_held, emas.meetings_expected, emas.attended) == (5, 1, 0)
    later = selectors.attendance_report(compact=loaded, year=2009)
    assert sorted(r.organisation.name for r in later if r.meets_rule) == [
        "Learning and Skills Council (Derbyshire)",
        "University of Derby",
    ]
    assert all(r.meetings_held == 3 for r in later)
    present = [
        m.attendances.filter(status="present").count()
        for m in Meeting.objects.filter(
            group__compact=loaded, status="held", starts_at__year__range=(2008, 2010)
        ).order_by("starts_at")
    ]
    assert present[-5:] == [9, 6, 4, 3, 2]


def test_demo_editors_edit_in_the_admin(client, loaded):
    steve = User.objects.get(email="steve.morton@derbyshire-compact.example")
    assert steve.is_staff and steve.groups.filter(name="Compact secretariat").exists()
    priya = User.objects.get(email="priya.member@example.com")
    assert not priya.is_staff  # a representative reads, does not edit
    assert client.login(email=steve.email, password=DEMO_PASSWORD)
    body = client.get(reverse("admin:compact_action_changelist")).content.decode()
    assert "B2 1.1" in body
    plan = loaded.action_plans.get()
    assert client.get(reverse("admin:compact_actionplan_change", args=[plan.pk])).status_code == 200


def test_demo_bulletin_archive_shows_what_it_announced(client, loaded):
    body = client.get(
        reverse("compact:bulletin_detail", kwargs={"slug": loaded.slug, "number": 1})
    ).content.decode()
    assert "Coming up" in body and "14 October 2008" in body
    launch = Meeting.objects.get(group__compact=loaded, starts_at__date="2008-10-14")
    assert launch.get_absolute_url() in body
    assert client.get(launch.get_absolute_url()).status_code == 200  # a public meeting


def test_demo_pages_render(client, loaded):
    slug = loaded.slug
    for name, kwargs in [
        ("detail", {}),
        ("terms_list", {}),
        ("terms_detail", {"version": 2}),
        ("charter", {}),
        ("meeting_list", {}),
        ("document_list", {}),
        ("bulletin_list", {}),
        ("bulletin_detail", {"number": 1}),
    ]:
        assert (
            client.get(reverse(f"compact:{name}", kwargs={"slug": slug, **kwargs})).status_code
            == 200
        )
    assert client.login(email="elisabeth.secretariat@ddep.example", password=DEMO_PASSWORD)
    for name in ["action_list", "action_health", "attendance_report", "group_list", "survey_list"]:
        response = client.get(reverse(f"compact:{name}", kwargs={"slug": slug}))
        assert response.status_code == 200, name
    # The report opens on the latest year with a meeting: this year's, beside the history.
    from django.utils import timezone

    report = client.get(reverse("compact:attendance_report", kwargs={"slug": slug}))
    latest = selectors.latest_meeting_year(compact=loaded)
    assert latest in (timezone.localdate().year, 2009)
    assert str(latest) in report.content.decode()
    assert client.get(reverse("admin:compact_action_changelist")).status_code == 200
    survey = loaded.surveys.get()
    body = client.get(reverse("compact:survey_detail", kwargs={"slug": slug, "pk": survey.pk}))
    assert "28% response rate" in body.content.decode()  # 10 of 36


def test_demo_has_a_current_year_running(loaded):
    """The demo lived in 2008–2010 while today is 2026: every signatory showed "Renewal
    overdue" and the next steering meeting fell on Christmas Day (loaded on 4 December).
    The history is kept; a renewed charter and this year's meetings run beside it."""
    import datetime

    from django.utils import timezone

    from compact.models import CharterSignatory

    today = timezone.localdate()
    current = CharterSignatory.objects.current(today).filter(charter__compact=loaded)
    assert current.count() >= 8
    assert loaded.charters.filter(starts_on__year=2008).exists()  # the history is kept
    held_this_year = Meeting.objects.filter(
        group__compact=loaded, status="held", starts_at__year=today.year
    )
    assert held_this_year.exists() or today < datetime.date(today.year, 3, 11)
    upcoming = Meeting.objects.get(group__compact=loaded, status="scheduled", is_public=True)
    day = timezone.localtime(upcoming.starts_at).date()
    assert day > today and day.weekday() < 5
    assert not (day.month == 12 and day.day >= 24) and not (day.month == 1 and day.day <= 2)


@pytest.mark.parametrize(
    "today, expected",
    [
        ("2026-12-04", "2027-01-04"),  # three weeks on is Christmas Day
        ("2026-12-07", "2027-01-04"),  # 28 December: past the break, a Monday
        ("2026-06-03", "2026-06-24"),
    ],
)
def test_next_meeting_day_skips_weekends_and_christmas(today, expected):
    import datetime

    day = demo.next_meeting_day_after(datetime.date.fromisoformat(today))
    assert day == datetime.date.fromisoformat(expected)


def test_demo_charter_shows_renewed_not_overdue(client, loaded):
    page = client.get(reverse("compact:charter", kwargs={"slug": loaded.slug})).content.decode()
    assert "Renewed" in page
    assert "Every version of the charter" in page
