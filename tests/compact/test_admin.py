import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from compact.admin import ActionAdminForm
from compact.models import Action
from tests.compact.factories import ActionFactory, PlanFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Models edited inline (aims, priorities, agenda items …) have no pages of their own.
MODELS = [m for m in admin.site._registry if m._meta.app_label == "compact"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders(admin_client, world, model):
    ActionFactory(plan=world.plan)
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist + "?q=Derby").status_code == 200
    row = model.objects.first()
    if row is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[row.pk])
        assert admin_client.get(change).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_secretariat_changelists_render(client, world, secretariat_staff, model):
    assert client.login(email=secretariat_staff.email, password=PASSWORD)
    changelist = reverse(f"admin:compact_{model._meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200


def test_admin_action_form_rejects_aims_of_superseded_terms(world):
    old_aim = world.compact.terms.get(version=1).aims.get(number="4")
    current_aim = world.terms.aims.get(number="4")
    data = {
        "plan": world.plan.pk,
        "code": "A9",
        "order": 1,
        "theme": "Recruitment",
        "objective": "Raise the profile",
        "status": "not_started",
        "percent_complete": 0,
    }
    form = ActionAdminForm(data={**data, "aims": [old_aim.pk]})
    assert not form.is_valid() and "aims" in form.errors
    form = ActionAdminForm(data={**data, "aims": [current_aim.pk]})
    assert form.is_valid(), form.errors
    parent = ActionFactory(plan=PlanFactory(compact=world.compact))
    form = ActionAdminForm(data={**data, "aims": [current_aim.pk], "parent": parent.pk})
    assert not form.is_valid() and "parent" in form.errors
    assert not Action.objects.filter(code="A9").exists()


def test_admin_signatory_form_checks_sector_and_twelve_months(world):
    from compact.admin import CharterSignatoryAdminForm
    from talenthub.core.choices import Sector
    from tests.factories import MemberFactory, OrganisationFactory

    rep = MemberFactory()
    base = {
        "charter": world.charter.pk,
        "signatory_name": "Chief Executive",
        "joined_on": world.charter.starts_on,
        "renewal_due_on": world.charter.ends_on,
        "senior_representative": rep.pk,
    }
    vcs = OrganisationFactory(name="A community group", sector=Sector.VOLUNTARY_AND_COMMUNITY)
    form = CharterSignatoryAdminForm(data={**base, "organisation": vcs.pk})
    assert not form.is_valid() and "organisation" in form.errors
    police = OrganisationFactory(name="Derbyshire Constabulary", sector=Sector.POLICE)
    short = {**base, "renewal_due_on": world.charter.starts_on + datetime.timedelta(days=100)}
    form = CharterSignatoryAdminForm(data={**short, "organisation": police.pk})
    assert not form.is_valid() and "renewal_due_on" in form.errors
    assert CharterSignatoryAdminForm(data={**base, "organisation": police.pk}).is_valid()


def test_admin_membership_form_limits_vcs_on_the_steering_group(world):
    from compact.admin import GroupMembershipAdminForm
    from talenthub.core.choices import Sector
    from tests.factories import MemberFactory, OrganisationFactory

    vcs = OrganisationFactory(name="A community group", sector=Sector.VOLUNTARY_AND_COMMUNITY)
    data = {
        "group": world.steering.pk,
        "person": MemberFactory().pk,
        "organisation": vcs.pk,
        "role": "member",
        "starts_on": "2008-01-01",
    }
    assert "organisation" in GroupMembershipAdminForm(data=data).errors
    world.compact.vcs_bodies.add(vcs)
    assert GroupMembershipAdminForm(data=data).is_valid()
