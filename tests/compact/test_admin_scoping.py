"""A compact's secretariat sees nothing of another compact in the admin: not in the list
filters' choices, not by naming another compact's row in a raw-id box."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory

from compact.admin import CompactScopedAdmin
from talenthub.core.permissions import ProviderScopedAdmin
from tests.compact.factories import (
    DocumentFactory,
    GroupFactory,
    MeetingFactory,
    PlanFactory,
    SurveyFactory,
)
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

THEIR_GROUP = "Leicestershire Workforce Board"
THEIR_SURVEY = "Leicestershire staff survey"
THEIR_PLAN = "Leicestershire secret action plan"

CHANGELISTS = [
    "meeting",
    "action",
    "actionplan",
    "groupmembership",
    "group",
    "survey",
    "surveyinvitation",
    "surveyanswer",
    "document",
    "charterversion",
    "chartersignatory",
    "bulletin",
    "bulletinsubscription",
    "compactrole",
    "termsofreference",
    "prioritiesstatement",
]


@pytest.fixture
def theirs(world):
    group = GroupFactory(compact=world.other, name=THEIR_GROUP)
    return {
        "group": group,
        "meeting": MeetingFactory(group=group),
        "survey": SurveyFactory(compact=world.other, group=group, title=THEIR_SURVEY),
        "plan": PlanFactory(compact=world.other, title=THEIR_PLAN),
    }


@pytest.mark.parametrize("model", CHANGELISTS)
def test_list_filters_offer_only_the_secretariats_compact(
    client, world, secretariat_staff, theirs, model
):
    client.force_login(secretariat_staff)
    response = client.get(f"/admin/compact/{model}/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in (THEIR_GROUP, THEIR_SURVEY, THEIR_PLAN, world.other.name):
        assert name not in body, f"{model}: {name}"


def _form_data(response, **changes):
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = field.widget.format_value(value) if hasattr(value, "isoformat") else value
    data = {k: v for k, v in data.items() if v is not None}
    data.update(changes)
    return data


def test_raw_id_box_does_not_name_another_compacts_meeting(
    client, world, secretariat_staff, theirs
):
    """A refused choice is shown back in the raw-id box: by id only, never by name."""
    client.force_login(secretariat_staff)
    document = DocumentFactory(compact=world.compact)
    url = f"/admin/compact/document/{document.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, _form_data(page, meeting=theirs["meeting"].pk))
    assert response.status_code == 200  # refused: not one of this compact's meetings
    assert response.context["adminform"].form.errors
    assert THEIR_GROUP not in response.content.decode()
    for hostile in ("abc", "1e9", "99999999999999999999", "\x00"):
        assert client.post(url, _form_data(page, meeting=hostile)).status_code == 200
    own = MeetingFactory(group=world.steering)
    response = client.post(url, _form_data(page, meeting=own.pk))
    assert response.status_code == 302
    assert client.get(url).content.decode().count(str(own)) >= 1  # own meeting still named


def test_superuser_keeps_every_choice(admin_client, world, theirs):
    body = admin_client.get("/admin/compact/meeting/").content.decode()
    assert THEIR_GROUP in body


@pytest.mark.parametrize(
    "model_admin",
    [
        pytest.param(model_admin, id=model_admin.__class__.__name__)
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ProviderScopedAdmin | CompactScopedAdmin)
    ],
)
def test_every_scoped_admins_relation_filters_take_choices_from_its_rows(model_admin):
    """Every admin whose rows are scoped (to a provider or to compacts): a list filter on
    a relation offers only values in the user's rows, never the whole related table."""
    request = RequestFactory().get("/")
    request.user = ManagerFactory()
    for entry in model_admin.get_list_filter(request):
        if isinstance(entry, type):
            assert issubclass(entry, admin.SimpleListFilter)
            continue
        path, filter_class = (entry, None) if isinstance(entry, str) else entry
        if get_fields_from_path(model_admin.model, path)[-1].is_relation:
            assert filter_class is not None and issubclass(
                filter_class, admin.RelatedOnlyFieldListFilter
            ), f"{model_admin}: {path}"


def test_bulletin_subscriptions_cannot_be_added_by_staff_or_name_every_member(
    client, world, secretariat_staff
):
    """The add form's person list named every member of the portal to every secretariat
    (found by the permission matrix); a subscription is the person's own consent."""
    from tests.factories import MemberFactory

    stranger = MemberFactory(full_name="Unrelated Stranger Person")
    client.force_login(secretariat_staff)
    response = client.get("/admin/compact/bulletinsubscription/add/")
    assert response.status_code == 403
    assert "Unrelated Stranger Person" not in response.content.decode()
    assert (
        stranger.full_name
        not in client.get("/admin/compact/bulletinsubscription/").content.decode()
    )
