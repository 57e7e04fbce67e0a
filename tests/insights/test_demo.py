"""The demo's equality monitoring: a realistic share of people, the same answers on every
load, and reports in which some groups are shown and some are suppressed."""

import io

import pytest
from django.core.management import call_command

from insights import reports
from insights.demo import ANALYST_EMAIL, SHARE_WITH_RECORD, answers_for
from insights.models import MonitoringRecord
from insights.permissions import can_view_equality
from insights.services import monitoring_withdraw
from talenthub.core.models import User

from .disclosure import problems


def test_demo_answers_are_deterministic_and_some_people_give_none():
    emails = [f"person.{n}@example.com" for n in range(400)]
    first = [answers_for(e, 3) for e in emails]
    assert first == [answers_for(e, 3) for e in emails]
    share = sum(a is not None for a in first) / len(first)
    assert abs(share - SHARE_WITH_RECORD) < 0.08
    senior = [answers_for(e, 4) for e in emails]
    junior = [answers_for(e, 1) for e in emails]

    def white_share(answers):
        given = [a for a in answers if a]
        return sum(a["ethnicity"].startswith("white") for a in given) / len(given)

    assert white_share(senior) > white_share(junior)  # the pattern seed 001 reports


@pytest.mark.django_db
def test_demo_loads_twice_with_a_realistic_share_and_suppressed_cells():
    call_command("load_demo", stdout=io.StringIO())
    records = MonitoringRecord.objects.count()
    people = User.objects.filter(is_active=True, is_superuser=False).count()
    assert 0.5 < records / people < 0.8
    # A demo member withdraws; `make run` loads the demo again: they stay withdrawn, and
    # nobody's record is duplicated or replaced.
    withdrawn = MonitoringRecord.objects.order_by("pk").first().user
    assert monitoring_withdraw(user=withdrawn)
    kept = set(MonitoringRecord.objects.values_list("pk", "user_id", "updated_at"))
    call_command("load_demo", stdout=io.StringIO())
    assert not MonitoringRecord.objects.filter(user=withdrawn).exists()
    assert set(MonitoringRecord.objects.values_list("pk", "user_id", "updated_at")) == kept
    assert MonitoringRecord.objects.count() == records - 1

    analyst = User.objects.get(email=ANALYST_EMAIL)
    assert analyst.check_password("talenthub-demo") and can_view_equality(analyst)
    assert not MonitoringRecord.objects.filter(user=analyst).exists()

    members = reports.representation(characteristic="ethnicity").tables[0].table
    cells = [c for row in members.cells for c in row]
    assert any(c.suppressed for c in cells) and any(c.raw > 7 and not c.suppressed for c in cells)

    journey = reports.journey(characteristic="ethnicity")
    assert journey.total.counts[0].value > 100  # past cohorts' applications
    counts = [c for row in journey.rows for c in row.counts]
    assert any(c.suppressed for c in counts) and any(not c.suppressed and c.raw for c in counts)
    assert journey.total.counts[4].value > 0  # some completers were promoted
    # Nothing on any journey or representation page can be worked out (checked apart
    # from the suppression code).
    assert not problems(reports._journey_problem()[0])
    assert not problems(reports._representation_problem())
