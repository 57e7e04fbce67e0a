import datetime
import io
import time

import pytest
from django.core.management import call_command

from cohorts.models import Cohort, Participant, ProjectWork, Session
from programmes.models import Programme
from talenthub.core.models import Organisation, User
from tests.factories import ModuleFactory, ProgrammeFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_programmes():
    """What the programmes demo provides (built here, not in the cohorts demo)."""
    call_command("load_demo", stdout=io.StringIO())  # core organisations first
    wme = Organisation.objects.get(name="West Midlands Employers")
    if not Programme.objects.filter(slug="aspire").exists():
        aspire = ProgrammeFactory(title="Aspire", slug="aspire", owner=wme)
        ProgrammeVersionFactory(
            programme=aspire, name="Aspire", launched_on=datetime.date(2014, 1, 1)
        )
        v2 = ProgrammeVersionFactory(
            programme=aspire, name="Aspire 2.0", launched_on=datetime.date(2022, 9, 1)
        )
        for order in range(1, 6):
            ModuleFactory(version=v2, order=order)
        inspire = ProgrammeFactory(
            title="Inspire OD", slug="inspire-od", owner=wme, kind="workshop"
        )
        ProgrammeVersionFactory(
            programme=inspire, name="Pilot", launched_on=datetime.date(2019, 9, 1)
        )


def test_demo_skips_with_a_message_without_the_programmes():
    from cohorts import demo

    Programme.objects.filter(slug="aspire").delete()
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()


def test_demo_loads_twice_without_duplicates_and_quickly(seeded_programmes):
    out = io.StringIO()
    started = time.monotonic()
    call_command("load_demo", stdout=out)
    assert time.monotonic() - started < 60
    counts = (Cohort.objects.count(), Participant.objects.count(), User.objects.count(),
              Session.objects.count(), ProjectWork.objects.count())  # fmt: skip
    call_command("load_demo", stdout=io.StringIO())
    assert (Cohort.objects.count(), Participant.objects.count(), User.objects.count(),
            Session.objects.count(), ProjectWork.objects.count()) == counts  # fmt: skip
    assert ProjectWork.objects.count() == 3
    assert ProjectWork.objects.first().file.read().startswith(b"%PDF-")

    assert (
        Participant.objects.completed().filter(cohort__version__programme__slug="aspire").count()
        >= 200
    )
    assert Cohort.objects.filter(starts_on__year=2014, version__name="Aspire").exists()
    assert Cohort.objects.open_for_applications().filter(version__name="Aspire 2.0").exists()
    pilot = Cohort.objects.get(slug="inspire-od-pilot-2019")
    assert [s.date.isoformat() for s in pilot.sessions.all()] == [
        "2019-09-24", "2019-09-25", "2019-11-05",
    ]  # fmt: skip
    franchise = Cohort.objects.get(slug="aspire-2-east-midlands-current")
    assert franchise.provider.name == "East Midlands Councils"
    assert franchise.provider != franchise.version.programme.owner
    assert (
        User.objects.filter(email__endswith="@example.com", email__startswith="aspire").count()
        >= 200
    )
