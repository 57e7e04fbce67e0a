import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from programmes.models import Programme, ProgrammeVersion, SubsidyScheme
from tests.factories import OrganisationFactory, ProviderFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidyAllocationFactory,
    SubsidySchemeFactory,
)

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def version_data(programme, modules):
    data = {
        "programme": programme.pk,
        "name": "Aspire 2.0",
        "launched_on": "2019-04-01",
        "summary": "",
        **management("modules", total=len(modules)),
        # cohorts adds its application questions to the version's page
        **management("application_questions"),
    }
    for index, (order, title) in enumerate(modules):
        data[f"modules-{index}-order"] = str(order)
        data[f"modules-{index}-title"] = title
    return data


def test_version_inline_refuses_duplicate_module_orders_with_a_clear_message(admin_client):
    programme = ProgrammeFactory()
    response = admin_client.post(
        reverse("admin:programmes_programmeversion_add"),
        version_data(programme, [(1, "Strategic partnering"), (2, "Digital"), (1, "OD")]),
    )
    assert response.status_code == 200
    assert (
        "Each module of a version needs its own order number: 1 is used more than once."
        in response.content.decode()
    )
    assert not ProgrammeVersion.objects.exists()


def test_version_inline_saves_ordered_modules(admin_client):
    programme = ProgrammeFactory()
    response = admin_client.post(
        reverse("admin:programmes_programmeversion_add"),
        version_data(programme, [(2, "Digital"), (1, "Strategic partnering")]),
    )
    assert response.status_code == 302
    version = ProgrammeVersion.objects.get()
    assert [m.title for m in version.modules.all()] == ["Strategic partnering", "Digital"]


def test_programme_admin_saves_the_audience(admin_client):
    owner = ProviderFactory(name="West Midlands Employers")
    cipd = OrganisationFactory(name="CIPD")
    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        {
            "title": "Inspire OD",
            "slug": "inspire-od",
            "kind": "workshop",
            "owner": owner.pk,
            "partners": [cipd.pk],
            "status": "published",
            "summary": "A two-day workshop and a review day.",
            "description": "",
            "how_to_apply": "",
            "career_levels": ["3", "4"],
            "sectors": ["local_government"],
            "delivery_mode": "in_person",
            **management("versions"),
            **management("franchises"),
            **management("selection_framework_link"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(slug="inspire-od")
    assert programme.career_level_values() == [3, 4]
    assert programme.sector_values() == ["local_government"]
    # The change form shows them ticked.
    html = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    ).content.decode()
    assert 'value="3" id="id_career_levels_2" checked' in html.replace('checked=""', "checked")


def test_admin_lists_render(admin_client):
    programme = ProgrammeFactory()
    ModuleFactory(version=ProgrammeVersionFactory(programme=programme))
    FranchiseFactory(programme=programme)
    scheme = SubsidySchemeFactory(programmes=[programme])
    SubsidyAllocationFactory(scheme=scheme, programme=programme)
    for name in [
        "programme",
        "programmeversion",
        "franchise",
        "subsidyscheme",
        "subsidyallocation",
    ]:
        url = reverse(f"admin:programmes_{name}_changelist")
        assert admin_client.get(url, {"q": "a"}).status_code == 200, name
    assert (
        admin_client.get(
            reverse("admin:programmes_programme_change", args=[programme.pk])
        ).status_code
        == 200
    )
    assert (
        admin_client.get(
            reverse("admin:programmes_programmeversion_change", args=[programme.versions.get().pk])
        ).status_code
        == 200
    )


def test_subsidy_scheme_admin_shows_places_used_and_left(admin_client):
    scheme = SubsidySchemeFactory(name="LGA Inspire OD places", total_places=100)
    SubsidyAllocationFactory.create_batch(3, scheme=scheme)
    html = admin_client.get(reverse("admin:programmes_subsidyscheme_changelist")).content.decode()
    assert '<td class="field-places_used_column">3</td>' in html
    assert '<td class="field-places_left_column">97</td>' in html


def scheme_form_data(scheme, total_places):
    allocations = list(scheme.allocations.all())
    data = {
        "name": scheme.name,
        "funder": scheme.funder.pk,
        "programmes": [p.pk for p in scheme.programmes.all()],
        "total_places": str(total_places),
        "description": "",
        **management("allocations", total=len(allocations), initial=len(allocations)),
        **management("eligible_sectors"),
    }
    for index, allocation in enumerate(allocations):
        data[f"allocations-{index}-id"] = str(allocation.pk)
        data[f"allocations-{index}-scheme"] = str(scheme.pk)
    return data


def test_subsidy_cap_below_places_used_is_refused_in_the_admin(admin_client):
    programme = ProgrammeFactory()
    scheme = SubsidySchemeFactory(total_places=10, programmes=[programme])
    SubsidyAllocationFactory.create_batch(4, scheme=scheme, programme=programme)
    url = reverse("admin:programmes_subsidyscheme_change", args=[scheme.pk])
    response = admin_client.post(url, scheme_form_data(scheme, 3))
    assert response.status_code == 200
    assert "The cap cannot be set below the 4 places already used." in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.total_places == 10
    response = admin_client.post(url, scheme_form_data(scheme, 4))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.total_places == 4


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="programmes", codename__in=codenames)
    )


def test_manager_sees_only_their_providers_programmes_in_the_admin(client, manager, provider):
    grant(manager, "view_programme", "change_programme", "view_franchise")
    own = ProgrammeFactory(owner=provider, title="Aspire", status=Programme.Status.DRAFT)
    other = ProgrammeFactory(title="Someone else's")
    FranchiseFactory(programme=other, franchisee=provider)  # held by the manager's provider
    FranchiseFactory(programme=ProgrammeFactory(title="Unrelated"))
    client.force_login(manager)
    html = client.get(reverse("admin:programmes_programme_changelist")).content.decode()
    assert "Aspire" in html and "Someone else&#x27;s" not in html
    assert (
        client.get(reverse("admin:programmes_programme_change", args=[own.pk])).status_code == 200
    )
    response = client.get(reverse("admin:programmes_programme_change", args=[other.pk]))
    assert response.status_code == 302  # the admin redirects away from rows it cannot see
    franchises = client.get(reverse("admin:programmes_franchise_changelist")).content.decode()
    assert "Someone else" in franchises and "Unrelated" not in franchises


def test_allocations_cannot_be_edited_by_hand(admin_client):
    allocation = SubsidyAllocationFactory()
    assert admin_client.get(reverse("admin:programmes_subsidyallocation_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:programmes_subsidyallocation_delete", args=[allocation.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 403
    assert SubsidyScheme.objects.with_places_used().get().places_used() == 1


def programme_form_data(owner, **extra):
    return {
        "title": "Inspire OD",
        "slug": "inspire-od",
        "kind": "workshop",
        "owner": owner.pk,
        "status": "draft",
        "summary": "A two-day workshop and a review day.",
        "delivery_mode": "in_person",
        **management("versions"),
        **management("franchises"),
        **management("selection_framework_link"),
        **extra,
    }


def test_manager_can_only_own_programmes_for_their_provider(client, manager, provider):
    grant(manager, "view_programme", "add_programme", "change_programme")
    client.force_login(manager)
    url = reverse("admin:programmes_programme_add")
    html = client.get(url).content.decode()
    assert "West Midlands Employers" in html
    elsewhere = ProviderFactory(name="North West Employers")
    assert "North West Employers" not in html
    response = client.post(url, programme_form_data(elsewhere))
    assert response.status_code == 200
    assert not Programme.objects.exists()
    response = client.post(url, programme_form_data(provider))
    assert response.status_code == 302
    assert Programme.objects.get().owner == provider


def test_franchise_inline_refuses_the_owner_as_franchisee(admin_client):
    owner = ProviderFactory(name="West Midlands Employers")
    data = programme_form_data(
        owner,
        **{
            **management("franchises", total=1),
            "franchises-0-franchisee": str(owner.pk),
            "franchises-0-starts_on": "2016-04-01",
        },
    )
    response = admin_client.post(reverse("admin:programmes_programme_add"), data)
    assert response.status_code == 200
    assert "The owner of a programme cannot hold a franchise of it." in response.content.decode()
    assert not Programme.objects.exists()


def test_manager_names_the_selection_framework_on_the_programme_page(client, manager, provider):
    """The framework lives in the hub (resources.ProgrammeSelectionFramework) but is set
    where it always was, on the programme's admin page, by whoever may change it."""
    from resources.models import ProgrammeSelectionFramework
    from tests.resources.factories import FrameworkFactory

    grant(manager, "view_programme", "change_programme")
    client.force_login(manager)
    framework = FrameworkFactory(name="Aspirant Business Partner framework")
    programme = ProgrammeFactory(owner=provider, slug="inspire-od")
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    assert "Aspirant Business Partner framework" in client.get(url).content.decode()
    data = programme_form_data(
        provider,
        **management("selection_framework_link", total=1),
        **{"selection_framework_link-0-framework": framework.pk},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProgrammeSelectionFramework.objects.get(programme=programme).framework == framework


def test_version_list_counts_modules_and_keeps_its_filters_and_dates(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """The version list's module counts are right (also searched by a module's title
    and sorted by the count), its count and date hierarchy read the versions alone (no
    join of the modules), and with a shared cache its owner filter and date hierarchy
    are kept: the list asked again runs only the count and the rows (docs/benchmarks.md,
    "Sixth round"); a committed version in a new year shows on the next request."""
    import datetime
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    cache.clear()
    busy = ProgrammeVersionFactory(launched_on=datetime.date(2019, 4, 1))
    for title in ["Strategy", "Strategic change", "Coaching"]:
        ModuleFactory(version=busy, title=title)
    quiet = ProgrammeVersionFactory(launched_on=datetime.date(2021, 9, 1))
    ModuleFactory(version=quiet, title="Strategy")
    empty = ProgrammeVersionFactory(launched_on=datetime.date(2021, 10, 1))
    url = reverse("admin:programmes_programmeversion_changelist")

    def shown(query=""):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url + query)
        cl = response.context["cl"]
        counts = {v.pk: cl.model_admin.module_count(v) for v in cl.result_list}
        years = re.findall(r'href="\?launched_on__year=(\d+)"', response.content.decode())
        return counts, years, [q["sql"] for q in captured]

    counts, years, first = shown()
    assert counts == {busy.pk: 3, quiet.pk: 1, empty.pk: 0}
    assert years == ["2019", "2021"]
    assert not [sql for sql in first if 'JOIN "programmes_module"' in sql]
    counts, years, again = shown()
    # The owner filter's choices and the hierarchy's first and last dates and years.
    assert len(again) == len(first) - 3
    assert shown("?q=strateg")[0] == {busy.pk: 3, quiet.pk: 1}
    column = list(admin.site._registry[ProgrammeVersion].list_display).index("module_count") + 1
    ordered = admin_client.get(url, {"o": f"-{column}"}).context["cl"].result_list
    assert [v.pk for v in ordered] == [busy.pk, quiet.pk, empty.pk]
    with django_capture_on_commit_callbacks(execute=True):
        ProgrammeVersionFactory(launched_on=datetime.date(2024, 1, 1))
    assert shown()[1] == ["2019", "2021", "2024"]
