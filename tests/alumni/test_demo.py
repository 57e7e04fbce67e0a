import io

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


def test_demo_loads_twice_with_the_2014_outcome(seeded_programmes):  # noqa: F811
    cohorts_demo.load()
    demo.load(stdout=io.StringIO())
    counts = (
        AlumniProfile.objects.count(),
        CareerEntry.objects.count(),
        MentoringOffer.objects.count(),
        TalentPoolMember.objects.count(),
        Vacancy.objects.count(),
    )
    demo.load(stdout=io.StringIO())
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
    _pool_management_demo(pool)


def _pool_management_demo(pool):
    """Issue 19: the demo pool manager reaches the pool membership admin and their own
    pages; succession plans, consent, shared assessments and sideways moves are seeded."""
    from django.test import Client
    from django.urls import reverse

    from alumni import selectors_talent
    from alumni.models import KeyRole, MentoringRequest

    client = Client()
    client.force_login(User.objects.get(email="talent.manager@mrtb.example"))
    for url in (
        reverse("admin:alumni_talentpoolmember_changelist"),
        reverse("alumni:pool_members", args=[pool.slug]),
        reverse("alumni:succession", args=[pool.slug]),
    ):
        assert client.get(url).status_code == 200, url
    plans = selectors_talent.succession_plans(pool)
    assert KeyRole.objects.filter(pool=pool).count() == len(plans) >= 2
    assert any(p.gaps == ["No successor named"] for p in plans)
    assert pool.pool_members.filter(share_with_employers=True).exists()
    assert pool.pool_members.filter(assessment__shared_with_member=True).exists()
    moves = selectors_talent.pool_moves(pool)
    assert moves.sideways >= 1 and moves.cross_sector >= 1
    assert MentoringRequest.objects.filter(sessions__isnull=False, goals__gt="").exists()
