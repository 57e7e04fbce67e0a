import io
import time

import pytest

from alumni import demo, selectors
from alumni.models import AlumniProfile, CareerEntry, MentoringOffer, TalentPoolMember, Vacancy
from cohorts import demo as cohorts_demo
from programmes.models import Programme
from talenthub.core.models import User
from tests.cohorts.test_demo import seeded_programmes  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_skips_without_completers():
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()


def test_demo_loads_twice_quickly_with_the_2014_outcome(seeded_programmes):  # noqa: F811
    cohorts_demo.load()
    started = time.monotonic()
    demo.load(stdout=io.StringIO())
    counts = (
        AlumniProfile.objects.count(),
        CareerEntry.objects.count(),
        MentoringOffer.objects.count(),
        TalentPoolMember.objects.count(),
        Vacancy.objects.count(),
    )
    demo.load(stdout=io.StringIO())
    assert time.monotonic() - started < 20
    assert counts == (
        AlumniProfile.objects.count(),
        CareerEntry.objects.count(),
        MentoringOffer.objects.count(),
        TalentPoolMember.objects.count(),
        Vacancy.objects.count(),
    )
    assert counts[0] > 100 and counts[2] >= 5 and counts[3] > 10 and counts[4] >= 5
    # The Midlands Regional Talent Board's pool from the programmes demo.
    pool = Programme.objects.filter(pool_members__isnull=False).distinct().get()
    assert pool.kind == Programme.Kind.TALENT_POOL
    assert pool.owner.name == "Midlands Regional Talent Board"
    assert set(pool.pool_members.values_list("readiness", flat=True)) == {
        "ready_now",
        "one_to_two",
        "three_plus",
    }
    admin = User.objects.get(email="admin@talenthub.example")
    outcome = {r.label: r.reached for r in selectors.outcomes(user=admin, level=4, years=5).cohorts}
    assert outcome["Aspire — West Midlands, 2014"] == demo.DIRECTORS_2014
