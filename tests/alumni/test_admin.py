import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from alumni.models import CareerStory
from tests.alumni.factories import (
    AlumniProfileFactory,
    CareerStoryFactory,
    MentoringRequestFactory,
    PledgeFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "alumniprofile",
    "careerentry",
    "mentoringoffer",
    "mentoringrequest",
    "careerstory",
    "pledge",
    "talentpoolmember",
    "vacancy",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_with_search(admin_client, model, django_assert_max_num_queries):
    AlumniProfileFactory()
    MentoringRequestFactory()
    CareerStoryFactory()
    PledgeFactory()
    TalentPoolMemberFactory()
    VacancyFactory()
    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse(f"admin:alumni_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_publish_action_moderates_through_the_service(admin_client, admin_user):
    story = CareerStoryFactory()
    admin_client.post(
        reverse("admin:alumni_careerstory_changelist"),
        {"action": "publish", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == CareerStory.Status.PUBLISHED and story.moderated_by == admin_user


def test_pool_members_scoped_to_the_managers_pools(client, manager, provider):
    mine = TalentPoolMemberFactory(pool=TalentPoolFactory(owner=provider))
    theirs = TalentPoolMemberFactory()
    manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_talentpoolmember", "change_talentpoolmember"]
        )
    )
    client.force_login(manager)
    response = client.get(reverse("admin:alumni_talentpoolmember_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]
    url = reverse("admin:alumni_talentpoolmember_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 404)


def test_pool_choices_are_the_managers_own_pools(client, manager, provider):
    """Adding a pool member: the pool list offers the manager's provider's pools only."""
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_talentpoolmember", "add_talentpoolmember"])
    )
    TalentPoolFactory(owner=provider, title="Our senior HR pool")
    TalentPoolFactory(title="Another provider's confidential pool")
    client.force_login(manager)
    response = client.get(reverse("admin:alumni_talentpoolmember_add"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Our senior HR pool" in body
    assert "confidential pool" not in body


def _change_form_post(response, **extra):
    """The change form's own data as a browser would send it back, plus ``extra``."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management.initial.get(name, 0))
    data.update(extra)
    return data


def test_an_assessment_made_in_the_admin_goes_through_the_service_and_is_audited(
    admin_client, admin_user
):
    from alumni.models import TalentAssessment
    from talenthub.core.models import AuditLog

    member = TalentPoolMemberFactory()
    url = reverse("admin:alumni_talentpoolmember_change", args=[member.pk])
    data = _change_form_post(
        admin_client.get(url),
        **{
            "assessment-TOTAL_FORMS": "1",
            "assessment-0-id": "",
            "assessment-0-pool_member": str(member.pk),
            "assessment-0-summary": "Ready for a director post.",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assessment = TalentAssessment.objects.get(pool_member=member)
    assert assessment.summary == "Ready for a director post."
    assert assessment.assessed_by == admin_user
    audited = AuditLog.objects.filter(action="talent.assessed", object_id=str(member.pk))
    assert audited.count() == 1
    # Changing it in the admin: the same service, a second audit entry.
    data = _change_form_post(
        admin_client.get(url),
        **{
            "assessment-0-id": str(assessment.pk),
            "assessment-0-pool_member": str(member.pk),
            "assessment-0-summary": "Ready now, with board exposure.",
        },
    )
    assert admin_client.post(url, data).status_code == 302
    assert TalentAssessment.objects.get(pool_member=member).summary == (
        "Ready now, with board exposure."
    )
    assert audited.count() == 2
