"""The secretariat's pages for actions and the charter (issue 19, item 5): editing an
action and closing it, correcting an indicator, a new charter version, recording and
withdrawing a signatory (the steering-seat rule holds), and the admin's saves of plans
and actions through the services. Errors are asserted by code."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from compact import services
from compact.exceptions import CompactError
from compact.models import Action, ActionPlan, CharterSignatory, CharterVersion, GroupMembership
from talenthub.core.models import AuditLog
from tests.compact.factories import (
    ActionFactory,
    CharterFactory,
    IndicatorFactory,
    MembershipFactory,
    PlanFactory,
    SignatoryFactory,
)
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pages(world):
    slug = world.compact.slug
    action = ActionFactory(plan=world.plan)
    indicator = IndicatorFactory(action=action)
    signature = world.charter.signatories.get()
    return [
        reverse("compact:action_edit", args=[slug, action.pk]),
        reverse("compact:action_complete", args=[slug, action.pk]),
        reverse("compact:indicator_edit", args=[slug, indicator.pk]),
        reverse("compact:charter_manage", args=[slug]),
        reverse("compact:signatory_add", args=[slug, world.charter.pk]),
        reverse("compact:signatory_withdraw", args=[slug, signature.pk]),
    ]


def test_each_page_per_role(client, world):
    urls = pages(world)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for who in [world.representative, world.org_member, world.outsider, world.other_secretariat]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, {}).status_code == 404, (who, url)
    for who in [world.secretariat, world.steering_member]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)


def test_another_compacts_objects_are_refused(client, world):
    other_action = ActionFactory(plan=PlanFactory(compact=world.other))
    other_indicator = IndicatorFactory(action=other_action)
    other_charter = CharterFactory(compact=world.other)
    other_signature = SignatoryFactory(charter=other_charter)
    slug = world.compact.slug
    client.force_login(world.secretariat)
    for url in [
        reverse("compact:action_edit", args=[slug, other_action.pk]),
        reverse("compact:action_complete", args=[slug, other_action.pk]),
        reverse("compact:indicator_edit", args=[slug, other_indicator.pk]),
        reverse("compact:signatory_add", args=[slug, other_charter.pk]),
        reverse("compact:signatory_withdraw", args=[slug, other_signature.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    other_signature.refresh_from_db()
    assert other_signature.withdrawn_on is None


# Actions ------------------------------------------------------------------------------------


def test_editing_an_action_keeps_its_status_and_checks_its_aims(world):
    action = ActionFactory(plan=world.plan, status=Action.Status.AT_RISK, percent_complete=40)
    old_terms_aim = world.compact.terms.get(version=1).aims.get(number="1")
    action.target_date = TODAY() + datetime.timedelta(days=90)
    action.status, action.percent_complete = Action.Status.DONE, 100  # not written
    with pytest.raises(CompactError) as refused:
        services.action_update(action=action, actor=world.secretariat, aims=[old_terms_aim])
    assert refused.value.code == "aim_not_in_terms"
    aim = world.terms.aims.get(number="2.1")
    services.action_update(
        action=action, actor=world.secretariat, aims=[aim], changed=["target_date"]
    )
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Action.Status.AT_RISK, 40)
    assert list(action.aims.all()) == [aim]
    entry = AuditLog.objects.get(action="compact.action_updated", object_id=str(action.pk))
    assert entry.data == {"changed": ["target_date"]}


def test_an_action_cannot_become_a_sub_action_of_another_plan(world):
    parent = ActionFactory(plan=PlanFactory(compact=world.compact))
    action = ActionFactory(plan=world.plan)
    action.parent = parent
    with pytest.raises(CompactError) as refused:
        services.action_update(action=action, actor=world.secretariat)
    assert refused.value.code == "sub_action_in_other_plan"


def test_closing_an_action(world):
    action = ActionFactory(plan=world.plan)
    services.action_complete(action=action, actor=world.secretariat, note="All 40 placed.")
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Action.Status.DONE, 100)
    assert action.updates.get().note == "All 40 placed."
    assert AuditLog.objects.filter(action="compact.action_completed", actor=world.secretariat)
    with pytest.raises(CompactError) as refused:
        services.action_complete(action=action, actor=world.secretariat)
    assert refused.value.code == "action_already_done"
    parent = ActionFactory(plan=world.plan)
    ActionFactory(plan=world.plan, parent=parent)
    with pytest.raises(CompactError) as refused:
        services.action_complete(action=parent, actor=world.secretariat)
    assert refused.value.code == "action_has_sub_actions"


def test_correcting_an_indicator(world):
    indicator = IndicatorFactory(action=ActionFactory(plan=world.plan))
    common = {
        "indicator": indicator,
        "actor": world.secretariat,
        "measure": "Apprentices employed",
        "unit": "people",
        "due_on": TODAY() + datetime.timedelta(days=100),
    }
    with pytest.raises(CompactError) as refused:
        services.indicator_update(**common, baseline=50, target=50)
    assert refused.value.code == "indicator_target_not_baseline"
    with pytest.raises(CompactError) as refused:
        services.indicator_update(
            **common, baseline=40, target=80, actual=50, actual_on=TODAY() + datetime.timedelta(1)
        )
    assert refused.value.code == "indicator_measured_in_future"
    services.indicator_update(**common, baseline=30, target=80, actual=55)
    indicator.refresh_from_db()
    assert (indicator.baseline, indicator.target, indicator.actual) == (30, 80, 55)
    assert indicator.actual_on == TODAY() and indicator.progress_percent == 50
    entry = AuditLog.objects.get(action="compact.indicator_updated")
    assert entry.data["before"]["baseline"] == "40.00"


def test_the_secretariat_edits_and_closes_an_action_on_the_site(client, world):
    action = ActionFactory(plan=world.plan, code="D7")
    lead = MemberFactory(email="lead@derby.example")
    client.force_login(world.steering_member)
    url = reverse("compact:action_edit", args=[world.compact.slug, action.pk])
    data = {
        "code": "D7",
        "theme": "Apprenticeships",
        "objective": "Place 40 apprentices.",
        "lead_email": lead.email,
        "lead_organisation": world.council.pk,
        "target_date": str(TODAY() + datetime.timedelta(days=30)),
        "aims": [world.terms.aims.get(number="2.3").pk],
    }
    taken = ActionFactory(plan=world.plan, code="D8")
    response = client.post(url, {**data, "code": taken.code})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.lead_person, action.lead_organisation) == (lead, world.council)
    assert action.theme == "Apprenticeships"
    close = reverse("compact:action_complete", args=[world.compact.slug, action.pk])
    response = client.post(close, {"note": "Done"})  # not confirmed
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert client.post(close, {"note": "Done", "confirm": "on"}).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_the_indicator_page_saves_through_the_service(client, world):
    indicator = IndicatorFactory(action=ActionFactory(plan=world.plan))
    client.force_login(world.secretariat)
    url = reverse("compact:indicator_edit", args=[world.compact.slug, indicator.pk])
    data = {
        "measure": indicator.measure,
        "unit": "people",
        "baseline": "40",
        "target": "40",
        "due_on": str(indicator.due_on),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    # A value without its date is dated today (the service's rule, not a form error).
    data.update(target="70", actual="52")
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target, indicator.actual) == (Decimal("70"), Decimal("52"))
    assert indicator.actual_on == TODAY()
    # The page shows the stored dates back in the form a date input takes.
    assert f'value="{indicator.due_on.isoformat()}"' in client.get(url).content.decode()
    assert AuditLog.objects.filter(action="compact.indicator_updated", actor=world.secretariat)


# The admin: plans and actions saved by the services --------------------------------------


def test_the_admin_saves_plans_and_actions_through_the_services(client, world, secretariat_staff):
    client.force_login(secretariat_staff)
    response = client.post(
        reverse("admin:compact_actionplan_add"),
        {
            "compact": world.compact.pk,
            "title": "Workforce plan 2027",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-code": "W1",
            "actions-0-theme": "Skills",
            "actions-0-objective": "Map skills.",
            "actions-0-target_date": "",
        },
    )
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line
    ]
    plan = ActionPlan.objects.get(title="Workforce plan 2027")
    assert AuditLog.objects.filter(
        action="compact.action_plan_created", object_id=str(plan.pk), actor=secretariat_staff
    )
    row = plan.actions.get(code="W1")
    assert AuditLog.objects.filter(action="compact.action_created", object_id=str(row.pk))
    old_aim = world.compact.terms.get(version=1).aims.get(number="1")
    url = reverse("admin:compact_action_change", args=[row.pk])
    data = {
        "plan": plan.pk,
        "code": "W1",
        "order": "0",
        "theme": "Skills",
        "objective": "Map skills.",
        "aims": [world.terms.aims.get(number="2.2").pk],
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    assert AuditLog.objects.filter(action="compact.action_updated", object_id=str(row.pk))
    assert list(row.aims.values_list("number", flat=True)) == ["2.2"]
    # An aim of superseded terms: refused as a form error, nothing saved.
    response = client.post(url, {**data, "aims": [old_aim.pk], "theme": "Changed"})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.theme == "Skills"
    client.post(reverse("admin:compact_action_delete", args=[row.pk]), {"post": "yes"})
    assert not Action.objects.filter(pk=row.pk).exists()
    assert AuditLog.objects.filter(action="compact.action_deleted", object_id=str(row.pk))


# The charter ----------------------------------------------------------------------------


def test_a_new_charter_version_starts_after_the_latest(world):
    common = {
        "compact": world.compact,
        "title": "Members' Charter 2027",
        "text": "A charter for change, renewed.",
        "actor": world.secretariat,
    }
    with pytest.raises(CompactError) as refused:
        services.charter_version_create(
            **common, starts_on=world.charter.starts_on, ends_on=TODAY() + datetime.timedelta(900)
        )
    assert refused.value.code == "charter_not_after_previous"
    with pytest.raises(CompactError) as refused:
        services.charter_version_create(
            **common, starts_on=TODAY() + datetime.timedelta(10), ends_on=TODAY()
        )
    assert refused.value.code == "charter_ends_before_start"
    charter = services.charter_version_create(
        **common,
        starts_on=TODAY() + datetime.timedelta(10),
        ends_on=TODAY() + datetime.timedelta(740),
    )
    assert AuditLog.objects.filter(action="compact.charter_version_created", object_id=charter.pk)


def test_withdrawing_a_signatory_whose_people_hold_seats(world):
    signature = world.charter.signatories.get(organisation=world.council)
    seat = GroupMembership.objects.get(group=world.steering, person=world.steering_member)
    with pytest.raises(CompactError) as refused:
        services.charter_signatory_withdraw(
            signature=signature, withdrawn_on=TODAY(), actor=world.secretariat
        )
    assert refused.value.code == "signatory_holds_seats"
    signature.refresh_from_db()
    seat.refresh_from_db()
    assert signature.withdrawn_on is None and seat.ends_on is None
    with pytest.raises(CompactError) as refused:
        services.charter_signatory_withdraw(
            signature=signature,
            withdrawn_on=signature.joined_on - datetime.timedelta(days=1),
            actor=world.secretariat,
            end_seats=True,
        )
    assert refused.value.code == "withdrawal_before_joining"
    services.charter_signatory_withdraw(
        signature=signature, withdrawn_on=TODAY(), actor=world.secretariat, end_seats=True
    )
    signature.refresh_from_db()
    seat.refresh_from_db()
    assert signature.withdrawn_on == TODAY() and seat.ends_on == TODAY()
    # The rule holds afterwards: no new seat for the organisation that withdrew.
    with pytest.raises(CompactError) as refused:
        services.group_membership_add(
            group=world.steering,
            person=MemberFactory(),
            organisation=world.council,
            starts_on=TODAY() + datetime.timedelta(days=1),
        )
    assert refused.value.code == "organisation_not_signatory"
    with pytest.raises(CompactError) as refused:
        services.charter_signatory_withdraw(
            signature=signature, withdrawn_on=TODAY(), actor=world.secretariat
        )
    assert refused.value.code == "signatory_already_withdrawn"


def test_a_renewed_member_withdraws_its_old_signature_and_keeps_its_seats(world):
    old = world.charter.signatories.get(organisation=world.council)
    newer = CharterFactory(
        compact=world.compact,
        starts_on=TODAY() - datetime.timedelta(days=10),
        ends_on=TODAY() + datetime.timedelta(days=700),
    )
    SignatoryFactory(charter=newer, organisation=world.council)
    services.charter_signatory_withdraw(
        signature=old, withdrawn_on=TODAY(), actor=world.secretariat
    )
    seat = GroupMembership.objects.get(group=world.steering, person=world.steering_member)
    assert seat.ends_on is None


def test_the_charter_pages(client, world, django_assert_max_num_queries):
    for n in range(12):
        SignatoryFactory(charter=world.charter, organisation=OrganisationFactory(name=f"Org {n}"))
    CharterFactory(
        compact=world.compact,
        starts_on=TODAY() + datetime.timedelta(days=5),
        ends_on=TODAY() + datetime.timedelta(days=800),
    )
    client.force_login(world.secretariat)
    url = reverse("compact:charter_manage", args=[world.compact.slug])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and "Org 11" in response.content.decode()
    response = client.post(url, {"title": "Charter 2028", "starts_on": str(TODAY())})
    assert "govuk-error-summary" in response.content.decode()
    # Recording a signatory: sector eligibility is the service's.
    latest = CharterVersion.objects.filter(compact=world.compact).order_by("-starts_on").first()
    add = reverse("compact:signatory_add", args=[world.compact.slug, latest.pk])
    rep = MemberFactory(email="chief@fire.example")
    data = {
        "signatory_name": "Chief Fire Officer",
        "joined_on": str(latest.starts_on),
        "representative_email": rep.email,
    }
    private = OrganisationFactory(name="Acme Ltd", sector="private")
    response = client.post(add, {**data, "organisation": private.pk})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    fire = OrganisationFactory(name="Derbyshire Fire and Rescue Service")
    assert client.post(add, {**data, "organisation": fire.pk}).status_code == 302
    signature = CharterSignatory.objects.get(charter=latest, organisation=fire)
    assert signature.senior_representative == rep
    # Withdrawing: a confirmation, and the seats rule.
    council = world.charter.signatories.get(organisation=world.council)
    withdraw = reverse("compact:signatory_withdraw", args=[world.compact.slug, council.pk])
    page = client.get(withdraw).content.decode()
    # Escaped as the page escapes it: a generated name may hold an apostrophe (O'Brien).
    assert escape(str(world.steering_member)) in page
    response = client.post(withdraw, {"withdrawn_on": str(TODAY()), "confirm": "on"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(
        withdraw, {"withdrawn_on": str(TODAY()), "confirm": "on", "end_seats": "on"}
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.withdrawn_on == TODAY()


def test_the_steering_member_may_not_withdraw_for_another_compact(client, world):
    MembershipFactory(group=world.steering)
    other = SignatoryFactory(charter=CharterFactory(compact=world.other))
    client.force_login(world.other_secretariat)
    url = reverse("compact:signatory_withdraw", args=[world.compact.slug, other.pk])
    assert client.post(url, {"withdrawn_on": str(TODAY()), "confirm": "on"}).status_code == 404
