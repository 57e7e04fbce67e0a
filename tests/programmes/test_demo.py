import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from programmes.models import Franchise, Module, Programme, SubsidyScheme
from programmes.selectors import programme_page, programmes_runnable_by
from talenthub.core.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_stack")]

ASPIRE = "aspire-strategic-hr-and-od-business-partner-programme"


def test_demo_loads_twice_without_duplicates():
    call_command("load_demo")
    counts = (Programme.objects.count(), Module.objects.count(), Franchise.objects.count())
    call_command("load_demo")
    assert (
        Programme.objects.count(),
        Module.objects.count(),
        Franchise.objects.count(),
    ) == counts
    assert counts[0] == 7


def test_demo_programmes_follow_the_seeds():
    call_command("load_demo")
    aspire = Programme.objects.get(slug=ASPIRE)
    assert aspire.owner.name == "West Midlands Employers"
    assert {p.name for p in aspire.partners.all()} == {"CIPD", "Local Government Association"}
    page = programme_page(slug=ASPIRE, user=None)
    assert page.current_version.name == "Aspire 2.0"
    original = page.earlier_versions[0]
    assert original.name == "Aspire" and original.launched_on.year == 2014
    titles = [m.title for m in original.modules.all()]
    assert len(titles) == 5
    assert "Digital technologies in HR/OD" in titles
    assert "Workforce strategies – doing it well" in titles
    assert {f.franchisee.name for f in page.franchises} == {
        "East Midlands Councils",
        "North West Employers",
    }
    east_midlands = Organisation.objects.get(name="East Midlands Councils")
    assert aspire in programmes_runnable_by(east_midlands)

    inspire = Programme.objects.get(slug="inspire-od")
    assert inspire.kind == Programme.Kind.WORKSHOP
    assert inspire.versions.get().modules.count() == 3
    scheme = SubsidyScheme.objects.get(programmes=inspire)
    assert scheme.funder.name == "Local Government Association"
    assert scheme.total_places == 100 and scheme.places_left() == 100

    hpma = Programme.objects.get(slug="hpma-london-academy-core-programme-2021-22")
    assert hpma.kind == Programme.Kind.EVENT_SERIES
    assert "People Plan" in hpma.summary
    assert Programme.objects.filter(kind=Programme.Kind.TALENT_POOL).count() == 3
    assert Programme.objects.filter(kind=Programme.Kind.NETWORK).count() == 1
    managers = Group.objects.get(name="Programme managers")
    assert managers.permissions.filter(codename="change_programme").exists()


def test_demo_regional_talent_pool_has_an_intake_and_a_member_waiting_for_it():
    from programmes.models import ProgrammeAlert, ProviderUpdates

    call_command("load_demo")
    call_command("load_demo")
    pool = Programme.objects.get(slug="aspire-together-regional-talent-pool")
    assert pool.intake_opens_on and not pool.intake_is_open()
    assert "Register for updates" in pool.how_to_apply
    alert = ProgrammeAlert.objects.get(programme=pool, sent_at__isnull=True)
    assert alert.member.email == "priya.member@example.com"
    assert ProviderUpdates.objects.filter(provider=pool.owner, member=alert.member).count() == 1
