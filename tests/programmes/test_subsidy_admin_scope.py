"""A subsidy scheme is national, but who holds its places is each provider's business: a
franchisee's programme manager sees only their own participants' allocations, through
every admin entry point (list, change, history, search, autocomplete, the scheme's
inline, the list filters)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.cohorts.factories import CohortFactory, ParticipantFactory
from tests.factories import ManagerFactory, MemberFactory, ProviderFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .factories import FranchiseFactory, SubsidyAllocationFactory, SubsidySchemeFactory

pytestmark = pytest.mark.django_db

THEIRS = "Yasmin Otherprovider"
OURS = "Olu Ownprovider"


@pytest.fixture
def places():
    owner = ProviderFactory(name="West Midlands Employers")
    franchisee = ProviderFactory(name="North West Employers")
    programme = ProgrammeFactory(owner=owner, title="Aspire")
    FranchiseFactory(programme=programme, franchisee=franchisee)
    # A programme only the owner runs: its title must not reach the franchisee either.
    hidden = ProgrammeFactory(owner=owner, title="Owner-only programme", status="draft")
    scheme = SubsidySchemeFactory(name="LGA places", programmes=[programme, hidden])
    version = ProgrammeVersionFactory(programme=programme)

    def allocate(provider, name, programme=programme):
        recipient = MemberFactory(full_name=name)
        allocation = SubsidyAllocationFactory(
            scheme=scheme, programme=programme, recipient=recipient, description=f"{name} place"
        )
        cohort = CohortFactory(version=version, provider=provider)
        ParticipantFactory(cohort=cohort, user=recipient, subsidy_allocation=allocation)
        return allocation

    manager = ManagerFactory(profile__organisation=franchisee)
    # What the demo gives the Programme managers group for this app.
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_subsidyscheme", "view_subsidyallocation"])
    )
    return {
        "manager": manager,
        "scheme": scheme,
        "ours": allocate(franchisee, OURS),
        "theirs": allocate(owner, THEIRS),
        "hidden": allocate(owner, "Someone on the owner-only programme", programme=hidden),
    }


def _body(response):
    return response.content.decode()


def test_allocation_list_and_search_show_only_the_managers_provider(client, places):
    client.force_login(places["manager"])
    url = reverse("admin:programmes_subsidyallocation_changelist")
    body = _body(client.get(url))
    assert OURS in body
    assert THEIRS not in body and "Owner-only programme" not in body
    for term in ("Yasmin", places["theirs"].recipient.email, "place"):
        body = _body(client.get(url, {"q": term}))
        assert THEIRS not in body, term


@pytest.mark.parametrize("view", ["change", "history"])
def test_another_providers_allocation_is_not_found(client, places, view):
    client.force_login(places["manager"])
    theirs = places["theirs"]
    response = client.get(
        reverse(f"admin:programmes_subsidyallocation_{view}", args=[theirs.pk]), follow=True
    )
    assert response.redirect_chain or response.status_code == 404
    assert THEIRS not in _body(response) and theirs.recipient.email not in _body(response)
    own = client.get(
        reverse(f"admin:programmes_subsidyallocation_{view}", args=[places["ours"].pk])
    )
    assert own.status_code == 200


def test_autocomplete_of_a_participants_allocation_is_scoped(client, places):
    client.force_login(places["manager"])
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "cohorts",
            "model_name": "participant",
            "field_name": "subsidy_allocation",
            "term": "",
        },
    )
    assert response.status_code == 200
    texts = [row["text"] for row in response.json()["results"]]
    assert not [t for t in texts if THEIRS in t or "Someone on" in t]
    assert any(OURS in t for t in texts)


def test_schemes_inline_lists_only_the_managers_recipients(client, places):
    client.force_login(places["manager"])
    body = _body(
        client.get(reverse("admin:programmes_subsidyscheme_change", args=[places["scheme"].pk]))
    )
    assert OURS in body and THEIRS not in body


def test_superuser_still_sees_every_allocation(admin_client, places):
    body = _body(admin_client.get(reverse("admin:programmes_subsidyallocation_changelist")))
    assert OURS in body and THEIRS in body
