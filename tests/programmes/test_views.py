import datetime
import re

import pytest
from django.urls import reverse

from programmes.models import Programme
from tests.factories import (
    FunctionalAreaFactory,
    ManagerFactory,
    OrganisationFactory,
    ProviderFactory,
)
from tests.programmes.factories import (
    FranchiseFactory,
    ModuleFactory,
    ProgrammeCareerLevelFactory,
    ProgrammeFactory,
    ProgrammeSectorFactory,
    ProgrammeVersionFactory,
    SubsidyAllocationFactory,
    SubsidySchemeFactory,
)

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("programmes:index")


def results_count(response):
    html = response.content.decode()
    return re.search(r'id="results-count">\s*(.*?)\s*</h2>', html, re.S).group(1)


def make_rich_programme(owner, number, areas, partners):
    programme = ProgrammeFactory(owner=owner, title=f"Programme {number:03d}")
    programme.partners.set(partners)
    programme.functional_areas.set(areas)
    for level in (2, 3):
        ProgrammeCareerLevelFactory(programme=programme, level=level)
    ProgrammeSectorFactory(programme=programme)
    for year in (2014, 2019):
        version = ProgrammeVersionFactory(
            programme=programme, name=f"{year}", launched_on=datetime.date(year, 1, 1)
        )
        for order in range(1, 4):
            ModuleFactory(version=version, order=order, title=f"Module {order} of {year}")
    FranchiseFactory(programme=programme)
    return programme


# The catalogue
def test_catalogue_lists_only_published_programmes(client):
    ProgrammeFactory(title="Aspire")
    ProgrammeFactory(title="Secret draft", status=Programme.Status.DRAFT)
    ProgrammeFactory(title="Old archived", status=Programme.Status.ARCHIVED)
    response = client.get(CATALOGUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aspire" in html
    assert "Secret draft" not in html
    assert "Old archived" not in html
    assert results_count(response) == "1 programme"


def test_catalogue_drafts_stay_hidden_from_managers_too(client, manager, provider):
    ProgrammeFactory(title="Own draft", owner=provider, status=Programme.Status.DRAFT)
    client.force_login(manager)
    assert "Own draft" not in client.get(CATALOGUE).content.decode()


def test_catalogue_filters_are_a_get_form_reflected_in_the_url(client):
    ProgrammeFactory(title="Inspire OD", kind=Programme.Kind.WORKSHOP)
    ProgrammeFactory(title="Aspire", kind=Programme.Kind.MULTI_MODULE)
    response = client.get(CATALOGUE, {"kind": "workshop"})
    html = response.content.decode()
    assert re.search(r'<form method="get" action="/programmes/"', html)
    assert results_count(response) == "1 programme found"
    assert "Inspire OD" in html and "Aspire</a>" not in html
    assert '<option value="workshop" selected>' in html
    assert 'href="/programmes/">Clear filters' in html


def test_catalogue_shows_an_empty_state(client):
    ProgrammeFactory(title="Aspire")
    response = client.get(CATALOGUE, {"q": "astrophysics"})
    assert results_count(response) == "0 programmes found"
    assert "No programmes match these filters." in response.content.decode()


def test_catalogue_invalid_filter_shows_the_error_summary(client):
    ProgrammeFactory()
    response = client.get(CATALOGUE, {"kind": "circus"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "<title>Error: Programmes" in html


def test_catalogue_says_when_a_programme_is_for_every_career_level(client):
    ProgrammeFactory(title="Open to all")
    ProgrammeCareerLevelFactory(programme=ProgrammeFactory(title="Aspire"), level=3)
    response = client.get(CATALOGUE, {"career_level": "2"})
    html = response.content.decode()
    assert results_count(response) == "1 programme found"
    assert "For all career levels" in html
    assert "Aspire" not in html


def test_catalogue_paginates_and_keeps_the_filters(client, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PAGE_SIZE": 2}
    for number in range(5):
        ProgrammeFactory(title=f"Workshop {number}", kind=Programme.Kind.WORKSHOP)
    ProgrammeFactory(title="A network", kind=Programme.Kind.NETWORK)
    response = client.get(CATALOGUE, {"kind": "workshop"})
    assert results_count(response) == "5 programmes found"
    html = response.content.decode()
    assert "?kind=workshop&amp;page=2" in html
    page3 = client.get(CATALOGUE, {"kind": "workshop", "page": 3}).content.decode()
    assert "Workshop 4" in page3 and "Workshop 0" not in page3
    assert client.get(CATALOGUE, {"page": 99}).status_code == 404


def test_catalogue_query_count_is_constant(client, django_assert_max_num_queries, settings):
    owner = ProviderFactory(name="West Midlands Employers")
    areas = FunctionalAreaFactory.create_batch(5)
    partners = [OrganisationFactory(name="CIPD"), OrganisationFactory(name="LGA")]
    for number in range(25):
        make_rich_programme(owner, number, areas, partners)
    # Programmes for every level and area match the audience filters too (an Exists
    # subquery, not a join per level).
    for number in range(25, 30):
        programme = ProgrammeFactory(owner=owner, title=f"Programme {number:03d}")
        ModuleFactory(version=ProgrammeVersionFactory(programme=programme), title="Module")
    params = {
        "q": "Module",
        "kind": "multi_module",
        "provider": owner.slug,
        "career_level": "3",
        "functional_area": areas[0].slug,
        "delivery_mode": "in_person",
    }
    # count + page + audience levels prefetch + the provider and functional area choices
    with django_assert_max_num_queries(6):
        response = client.get(CATALOGUE)
    assert results_count(response) == "30 programmes"
    # ... + one look-up each to validate the chosen provider and functional area
    with django_assert_max_num_queries(8):
        response = client.get(CATALOGUE, params)
    assert results_count(response) == "30 programmes found"
    # A franchisee (each rich programme has its own) finds the programme it runs.
    franchisee = Programme.objects.get(title="Programme 007").franchises.get().franchisee
    with django_assert_max_num_queries(8):
        response = client.get(CATALOGUE, {**params, "provider": franchisee.slug})
    assert results_count(response) == "1 programme found"


# The programme page
def test_programme_page_shows_everything(client):
    wme = ProviderFactory(name="West Midlands Employers")
    programme = ProgrammeFactory(
        title="Aspire",
        owner=wme,
        how_to_apply="Apply when applications open.",
    )
    programme.partners.set([OrganisationFactory(name="CIPD")])
    programme.functional_areas.set([FunctionalAreaFactory(name="Organisational Development")])
    ProgrammeCareerLevelFactory(programme=programme, level=3)
    ProgrammeSectorFactory(programme=programme, sector="police")
    first = ProgrammeVersionFactory(
        programme=programme, name="Aspire", launched_on=datetime.date(2014, 9, 1)
    )
    ModuleFactory(version=first, order=1, title="Digital technologies in HR/OD")
    second = ProgrammeVersionFactory(
        programme=programme, name="Aspire 2.0", launched_on=datetime.date(2019, 4, 1)
    )
    ModuleFactory(version=second, order=2, title="Leading OD")
    ModuleFactory(version=second, order=1, title="Strategic partnering")
    FranchiseFactory(
        programme=programme,
        franchisee=ProviderFactory(name="East Midlands Councils"),
        starts_on=datetime.date(2016, 4, 1),
    )
    scheme = SubsidySchemeFactory(total_places=100, programmes=[programme])
    SubsidyAllocationFactory(scheme=scheme, programme=programme)

    response = client.get(programme.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<title>Aspire – TalentHub</title>" in html
    for text in [
        "West Midlands Employers",
        "CIPD",
        "East Midlands Councils (since April 2016)",
        "Level 3",
        "Organisational Development",
        "Police",
        "Current version: <strong>Aspire 2.0</strong>",
        "Apply when applications open.",
        "Local Government Association funds 100 places",
        "99 left",
        "Earlier versions",
        "Upcoming cohorts and events",
        "There are no upcoming cohorts or events",
    ]:
        assert text in html, text
    # Modules of the current version in order; the earlier version's under history.
    assert html.index("Strategic partnering") < html.index("Leading OD")
    assert html.index("Leading OD") < html.index("Digital technologies in HR/OD")
    assert response.context["parts"]["upcoming"] == []


def test_programme_page_query_count_is_constant(client, django_assert_max_num_queries):
    owner = ProviderFactory()
    areas = FunctionalAreaFactory.create_batch(5)
    partners = OrganisationFactory.create_batch(4)
    programme = make_rich_programme(owner, 1, areas, partners)
    for year in range(2000, 2012):
        version = ProgrammeVersionFactory(
            programme=programme, name=str(year), launched_on=datetime.date(year, 1, 1)
        )
        for order in range(1, 8):
            ModuleFactory(version=version, order=order)
    for _ in range(5):
        FranchiseFactory(programme=programme)
    for _ in range(3):
        SubsidySchemeFactory(programmes=[programme])
    from tests.events.factories import BookingFactory, EventFactory

    for _ in range(4):
        event = EventFactory(programme=programme)
        BookingFactory.create_batch(3, event=event)
    from tests.cohorts.factories import CohortFactory

    for version in programme.versions.all()[:4]:
        CohortFactory(version=version)
    # programme + partners + areas + levels + sectors + versions + modules + franchises
    # + schemes + upcoming events (with their place counts) + upcoming cohorts + the
    # selection framework (the hub's part: programmes/contributions.py)
    with django_assert_max_num_queries(12):
        response = client.get(programme.get_absolute_url())
    assert response.status_code == 200


def test_draft_is_404_to_anonymous_members_and_other_managers(client, member):
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(ManagerFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_archived_is_404_to_the_public(client):
    archived = ProgrammeFactory(status=Programme.Status.ARCHIVED)
    assert client.get(archived.get_absolute_url()).status_code == 404


def test_owners_manager_and_superuser_preview_a_draft(client, manager, provider, admin_user):
    draft = ProgrammeFactory(status=Programme.Status.DRAFT, owner=provider)
    client.force_login(manager)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "This programme is draft" in response.content.decode()
    client.force_login(admin_user)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_unknown_programme_is_404(client):
    assert client.get(reverse("programmes:detail", args=["nothing-here"])).status_code == 404


def test_text_from_the_admin_is_escaped_into_govuk_paragraphs():
    from programmes.templatetags.programme_text import govuk_paragraphs

    html = govuk_paragraphs("First line\nsecond <b>line</b>\n\n\nNext paragraph")
    assert html == (
        '<p class="govuk-body">First line<br>second &lt;b&gt;line&lt;/b&gt;</p>\n'
        '<p class="govuk-body">Next paragraph</p>'
    )
    assert govuk_paragraphs("") == ""


def test_programme_without_versions_has_no_modules_section(client):
    pool = ProgrammeFactory(title="Aspirant Deputy Director talent pool", kind="talent_pool")
    html = client.get(pool.get_absolute_url()).content.decode()
    assert ">Modules</h2>" not in html
    assert "How to apply or book" in html


def test_programme_with_only_a_future_version_says_when_it_launches(client):
    programme = ProgrammeFactory()
    ProgrammeVersionFactory(programme=programme, name="Aspire 3.0", launched_on="2099-01-01")
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "The modules will be published when the programme launches." in html
    assert "Coming next: Aspire 3.0, launching 1 January 2099." in html


def test_programme_page_names_its_selection_framework(client):
    from tests.resources.factories import FrameworkFactory, ProgrammeSelectionFrameworkFactory

    framework = FrameworkFactory(name="Aspirant Business Partner framework")
    programme = ProgrammeFactory()
    ProgrammeSelectionFrameworkFactory(programme=programme, framework=framework)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Aspirant Business Partner framework" in html
    assert framework.get_absolute_url() in html
