import datetime

import pytest
import time_machine

from resources import selectors
from resources.services import self_assessment_complete

from .factories import (
    DevelopmentOpportunityFactory,
    PathwayLevelFactory,
    PathwayRoleFactory,
    PathwayStepFactory,
    WheelItemFactory,
    framework_with_competencies,
    full_ratings,
)

pytestmark = pytest.mark.django_db


def _assess(member, framework, value, when):
    with time_machine.travel(when, tick=False):
        competencies, wheel = full_ratings(framework, value=value, wheel_value=value)
        return self_assessment_complete(
            member=member, framework=framework, competency_ratings=competencies, wheel_ratings=wheel
        )


def test_previous_is_the_same_members_earlier_assessment_of_the_framework(member):
    WheelItemFactory()
    framework = framework_with_competencies(count=2)
    other_framework = framework_with_competencies(count=1)
    first = _assess(member, framework, 1, datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC))
    _assess(member, other_framework, 4, datetime.datetime(2026, 2, 5, 9, tzinfo=datetime.UTC))
    second = _assess(member, framework, 3, datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC))
    assert selectors.self_assessment_previous(second) == first
    assert selectors.self_assessment_previous(first) is None

    current = selectors.self_assessment_get(member=member, pk=second.pk)
    rows = selectors.rating_comparison(
        current.competency_ratings.all(), first.competency_ratings.all(), "competency"
    )
    assert [(r["rating"], r["previous"], r["change"]) for r in rows] == [(3, 1, 2), (3, 1, 2)]


def test_history_shows_each_competency_over_time(member):
    WheelItemFactory()
    framework = framework_with_competencies(count=2)
    for month, value in ((1, 1), (4, 2), (9, 4)):
        _assess(member, framework, value, datetime.datetime(2026, month, 1, tzinfo=datetime.UTC))
    (group,) = selectors.self_assessment_history(member=member)
    assert group["framework"] == framework
    assert [a.created_at.month for a in group["assessments"]] == [1, 4, 9]
    assert [row["ratings"] for row in group["rows"]] == [[1, 2, 4], [1, 2, 4]]
    assert [row["ratings"] for row in group["wheel_rows"]] == [[1, 2, 4]]


def test_history_marks_items_an_assessment_did_not_rate(member):
    framework = framework_with_competencies(count=1)
    _assess(member, framework, 2, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    WheelItemFactory(name="Shadowing")  # added to the wheel after the first assessment
    _assess(member, framework, 3, datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    (group,) = selectors.self_assessment_history(member=member)
    assert group["wheel_rows"] == [{"name": "Shadowing", "ratings": [None, 3]}]


def test_pathway_groups_steps_by_level_top_first_with_pyramid_widths():
    entry = PathwayLevelFactory(level=1)
    top = PathwayLevelFactory(level=4)
    PathwayRoleFactory(step=PathwayStepFactory(level=entry, order=1), title="HR Apprentice")
    PathwayStepFactory(level=entry, order=2)
    PathwayRoleFactory(step=PathwayStepFactory(level=top, order=3), title="Chief People Officer")
    DevelopmentOpportunityFactory(pathway_level=top, title="Nye Bevan Programme")
    bands = selectors.pathway_get()
    assert [b.level.level for b in bands] == [4, 1]
    assert [row.width for b in bands for row in b.rows] == [30, 60, 100]
    assert [r.title for r in bands[0].rows[0].step.roles.all()] == ["Chief People Officer"]
    assert [o.title for o in bands[0].opportunities["National leadership programme"]] == [
        "Nye Bevan Programme"
    ]
    assert bands[1].opportunities["Academy programme"] == []
