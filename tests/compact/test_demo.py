import pytest
from django.urls import reverse

from compact import demo, selectors
from compact.models import Action, Compact, Document, Meeting, SurveyInvitation
from talenthub.core import demo as core_demo
from talenthub.core.demo import DEMO_PASSWORD

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
    rows = selectors.attendance_report(compact=loaded, year=2008)
    assert {r.organisation.name for r in rows if r.meets_rule} >= {"University of Derby"}
    assert any(not r.meets_rule for r in rows)


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
    assert (
        "2008"
        in client.get(reverse("compact:attendance_report", kwargs={"slug": slug})).content.decode()
    )
    assert client.get(reverse("admin:compact_action_changelist")).status_code == 200
    survey = loaded.surveys.get()
    body = client.get(reverse("compact:survey_detail", kwargs={"slug": slug, "pk": survey.pk}))
    assert "28% response rate" in body.content.decode()  # 10 of 36
