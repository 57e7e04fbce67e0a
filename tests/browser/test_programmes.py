"""Journey: filter the programme catalogue down to Inspire OD and open it."""

import datetime

from playwright.sync_api import expect

from programmes.models import Programme
from tests.browser.conftest import assert_accessible
from tests.factories import FunctionalAreaFactory, OrganisationFactory, ProviderFactory
from tests.programmes.factories import (
    ModuleFactory,
    ProgrammeCareerLevelFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidySchemeFactory,
)


def make_catalogue():
    wme = ProviderFactory(name="West Midlands Employers")
    od = FunctionalAreaFactory(name="Organisational Development", slug="organisational-development")
    aspire = ProgrammeFactory(
        title="Aspire Strategic HR and OD Business Partner Programme",
        owner=wme,
        kind=Programme.Kind.MULTI_MODULE,
    )
    aspire.functional_areas.set([od])
    first = ProgrammeVersionFactory(
        programme=aspire, name="Aspire", launched_on=datetime.date(2014, 9, 1)
    )
    ModuleFactory(version=first, order=1, title="Digital technologies in HR/OD")
    second = ProgrammeVersionFactory(
        programme=aspire, name="Aspire 2.0", launched_on=datetime.date(2019, 4, 1)
    )
    ModuleFactory(version=second, order=1, title="Strategic partnering")
    inspire = ProgrammeFactory(
        title="Inspire OD",
        slug="inspire-od",
        owner=wme,
        kind=Programme.Kind.WORKSHOP,
        summary="A two-day workshop and a review day.",
        how_to_apply="Book a place on the next workshop.",
    )
    inspire.functional_areas.set([od])
    ProgrammeCareerLevelFactory(programme=inspire, level=3)
    version = ProgrammeVersionFactory(
        programme=inspire, name="Inspire OD pilot", launched_on=datetime.date(2019, 9, 24)
    )
    for order, title in enumerate(["Workshop day 1", "Workshop day 2", "Review day"], start=1):
        ModuleFactory(version=version, order=order, title=title)
    SubsidySchemeFactory(
        name="LGA Inspire OD places",
        funder=OrganisationFactory(name="Local Government Association"),
        total_places=100,
        programmes=[inspire],
    )
    ProgrammeFactory(title="London Strategic HR and OD network", kind=Programme.Kind.NETWORK)


def test_filter_the_catalogue_to_inspire_od_and_open_it(page):
    make_catalogue()
    page.goto("/programmes/")
    expect(page.locator("#results-count")).to_have_text("3 programmes")
    assert_accessible(page)

    page.get_by_label("Kind").select_option(label="Workshop")
    page.get_by_label("Functional area").select_option(label="Organisational Development")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/programmes/?*kind=workshop*")
    assert "functional_area=organisational-development" in page.url
    expect(page.locator("#results-count")).to_have_text("1 programme found")
    assert_accessible(page)

    page.get_by_role("link", name="Inspire OD").click()
    page.wait_for_url("**/programmes/inspire-od/")
    expect(page.locator("h1")).to_have_text("Inspire OD")
    expect(page.get_by_role("heading", name="Review day")).to_be_visible()
    expect(page.get_by_text("Local Government Association funds 100 places")).to_be_visible()
    expect(page.get_by_text("There are no upcoming cohorts or events")).to_be_visible()
    assert_accessible(page)


def test_search_the_catalogue_and_read_the_version_history(page):
    make_catalogue()
    page.goto("/programmes/")
    page.get_by_label("Search").fill("Inspire")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/programmes/?q=Inspire*")
    expect(page.locator("#results-count")).to_have_text("1 programme found")
    assert_accessible(page)

    # The shareable URL gives the same result; a module title finds its programme.
    page.goto("/programmes/?q=digital+technologies")
    page.get_by_role("link", name="Aspire Strategic HR and OD Business Partner Programme").click()
    assert_accessible(page)
    page.get_by_text("Aspire, launched September 2014").click()  # open the earlier version
    expect(page.get_by_text("Digital technologies in HR/OD")).to_be_visible()
    assert_accessible(page)
