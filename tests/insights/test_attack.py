"""The equality reports against an attacker with an integer-programming solver
(``attacker.py``): everything one analyst can download, taken together, must leave every
count of 1 to 7 people — and every difference of 1 to 7 people between two stages of one
group — as uncertain as docs/insights.md promises: the attacker cannot rule out zero, or it is
left with at least three possible values."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from insights import reports
from insights.choices import CHARACTERISTICS
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .attacker import Model, attack, download, model_of
from .builders import ended_cohort, journey, journeys

pytestmark = pytest.mark.django_db

PROTECTION = 2  # docs/insights.md: "at least three possible values, or zero still possible"


def protected(interval) -> bool:
    low, high = interval
    return low == 0 or high - low >= PROTECTION


def release_at(client, settings, threshold):
    """Everything one analyst can download of a release published with ``threshold``
    (a release stands for its period: the one there is deleted first)."""
    from insights.models import EqualityRelease

    settings.TALENTHUB = {**settings.TALENTHUB, "SUPPRESSION_THRESHOLD": threshold}
    EqualityRelease.objects.all().delete()
    programmes = [(p.slug, p.title) for p in reports.journey_programmes()]
    return download(client, list(CHARACTERISTICS), programmes)


def true_counts(truth_release) -> dict:
    """Each figure's true value: the same downloads with disclosure control off (a
    threshold of 0 publishes exact counts, and the attacker reads them as exact)."""
    model = Model(truth_release)
    assert model.base == 1
    return {key: model.lower[i] for key, i in model.index.items()}


def targets(truth: dict, limit: int = 7) -> dict:
    """Counts of 1 to ``limit`` in a group (not a total), and differences of 1 to
    ``limit`` between two stages of one group (those who applied and were not offered a
    place, …) or between members and alumni."""
    found = {}
    chains = {}
    for key, value in truth.items():
        label = key[-1]
        if label in ("All applications", "All"):
            continue
        if 1 <= value <= limit:
            found[("count", key)] = {key: 1}
        if key[0] == "journey":
            chains.setdefault((key[1], label), []).append(key)
        else:
            chains.setdefault((key[2], label), []).append(key)
    for chain in chains.values():
        for i, earlier in enumerate(chain):
            for later in chain[i + 1 :]:
                if 1 <= truth[earlier] - truth[later] <= limit:
                    found[("difference", earlier, later)] = {earlier: 1, later: -1}
    return found


def build_leaky_data_set():
    """Two programmes, several small groups, zeros printed. On the old method (hide 1
    to 7, print zeros and exact counts) the first programme's religion table read
    Applied 36 = 13 + 10 + 9 + five hidden + zeros, so each hidden cell "must" be 1, and
    the next column shows that none of them was offered a place; and the one applicant
    whose gender identity is not the same as their sex at birth, promoted after
    completing, could be followed from stage to stage."""
    first = ended_cohort(version=ProgrammeVersionFactory(programme=ProgrammeFactory()))
    second = ended_cohort(version=ProgrammeVersionFactory(programme=ProgrammeFactory()))
    journeys(first, {"completed": 12}, {"religion": "christian"})
    journey(first, "promoted", answers={"religion": "christian", "gender_identity": "no"})
    journeys(first, {"applied": 10}, {"religion": "none"})
    journeys(first, {"applied": 9}, {"religion": "muslim"})
    for religion in ["buddhist", "sikh", "hindu", "jewish", "other"]:
        journey(first, "applied", answers={"religion": religion})
    journeys(second, {"applied": 15}, {"religion": "christian"})
    journeys(second, {"applied": 9}, {"religion": "none"})
    return first, second


def value(truth, target):
    return sum(w * truth[key] for key, w in target.items())


def unprotected(client, settings, analyst, truth=None, model=None):
    """Targets the attacker narrows further than docs/insights.md allows, to an interval that
    holds the true value (a belief that is wrong discloses nothing)."""
    client.force_login(analyst)
    truth = truth or true_counts(release_at(client, settings, 0))
    model = model or model_of(release_at(client, settings, 7))
    wanted = targets(truth)
    assert wanted, "nothing small to protect: the data set proves nothing"
    return {
        name: (low, high, value(truth, wanted[name]))
        for name, (low, high) in attack(model, wanted).items()
        if not protected((low, high)) and low <= value(truth, wanted[name]) <= high
    }


def test_an_attacker_with_a_solver_over_every_download_pins_nothing(client, settings, analyst):
    build_leaky_data_set()
    assert unprotected(client, settings, analyst) == {}


ANSWERS = {
    "ethnicity": ["white_british", "asian_indian", "black_african", "mixed_other"],
    "religion": ["christian", "none", "sikh", "buddhist"],
    "gender_identity": ["yes", "no"],
}


@st.composite
def small_populations(draw):
    """Journeys in one or two programmes: how far each got, and the answers (None: no
    monitoring record)."""
    person = st.tuples(
        st.integers(0, 1),
        st.sampled_from(["applied", "offered", "enrolled", "completed", "promoted"]),
        st.one_of(
            st.none(),
            st.fixed_dictionaries({q: st.sampled_from(a) for q, a in ANSWERS.items()}),
        ),
    )
    return draw(st.lists(person, min_size=3, max_size=25))


@hypothesis_settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(small_populations())
def test_random_small_populations_through_every_download(client, settings, analyst, people):
    """The attacker pins nothing; every printed figure holds of the truth; a release
    published again from the same data is the same, byte for byte."""
    from django.db import transaction

    with transaction.atomic():
        cohorts = [ended_cohort(), ended_cohort()]
        for programme, stage, answers in people:
            journey(cohorts[programme], stage, answers=answers)
        client.force_login(analyst)
        truth = true_counts(release_at(client, settings, 0))
        first = release_at(client, settings, 7)
        model = model_of(first)
        assert model.feasible(truth) == []
        assert unprotected(client, settings, analyst, truth, model) == {}
        assert release_at(client, settings, 7) == first
        transaction.set_rollback(True)
