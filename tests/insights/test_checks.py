"""The system checks of the suppression threshold: zero or less is an error anywhere;
below NHS Digital's 7 fails the deployment check when DEBUG is off."""

import pytest
from django.core.checks import run_checks

from insights.checks import check_suppression_threshold, check_suppression_threshold_in_production


@pytest.fixture
def threshold(settings):
    def set_threshold(value):
        settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": value}

    return set_threshold


def ids(messages):
    return [m.id for m in messages]


@pytest.mark.parametrize("value", [0, -1, "7", None, True, 2.5])
def test_a_threshold_that_turns_suppression_off_or_is_not_a_whole_number_is_an_error(
    threshold, value
):
    threshold(value)
    assert ids(check_suppression_threshold()) == ["insights.E001"]
    assert ids(check_suppression_threshold_in_production()) == []  # said once, above


@pytest.mark.parametrize("value", [1, 5, 7, 10])
def test_a_threshold_of_one_or_more_passes_the_ordinary_check(threshold, value):
    threshold(value)
    assert check_suppression_threshold() == []


@pytest.mark.parametrize(("value", "debug", "expected"), [
    (6, False, ["insights.W001"]),
    (1, False, ["insights.W001"]),
    (7, False, []),
    (11, False, []),
    (3, True, []),  # development: any threshold of at least 1
])  # fmt: skip
def test_in_production_a_threshold_below_seven_is_a_deployment_warning(
    threshold, settings, value, debug, expected
):
    threshold(value)
    settings.DEBUG = debug
    assert ids(check_suppression_threshold_in_production()) == expected


def test_the_checks_are_registered_and_the_deployment_one_only_with_deploy(threshold, settings):
    threshold(0)
    assert "insights.E001" in ids(run_checks())
    threshold(5)
    settings.DEBUG = False
    assert "insights.W001" not in ids(run_checks())
    assert "insights.W001" in ids(run_checks(include_deployment_checks=True))


def test_the_configured_settings_pass(settings):
    assert settings.TALENTHUB["SUPPRESSION_THRESHOLD"] >= 7
    assert check_suppression_threshold() == []
