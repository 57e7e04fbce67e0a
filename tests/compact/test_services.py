import datetime
import io
import zipfile

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from compact import selectors, services
from compact.models import (
    Action,
    Attendance,
    Bulletin,
    CompactRole,
    Document,
    Group,
    Meeting,
    SurveyQuestion,
)
from compact.services import CompactError
from compact.tasks import send_action_digests
from talenthub.core.choices import Sector
from talenthub.core.models import OutboundEmail
from tests.compact.factories import (
    PDF_BYTES,
    ActionFactory,
    AgendaItemFactory,
    AimFactory,
    AttendanceFactory,
    BulletinFactory,
    CharterFactory,
    CompactFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    NewsItemFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    QuestionFactory,
    RoleFactory,
    SignatoryFactory,
    StatementFactory,
    SurveyFactory,
    TermsFactory,
)
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

AIMS = [
    ("1", "bring together"),
    ("2", "strengthen skills"),
    ("2.1", "needs"),
    ("2.2", "common"),
    ("2.3", "gaps"),
    ("2.4", "access"),
    ("3", "partnership"),
    ("4", "profile"),
    ("5", "celebrate"),
]


def make_terms(compact, adopted_on=datetime.date(2007, 2, 1), **extra):
    return services.terms_create(
        compact=compact,
        aims=AIMS,
        title="Terms of reference",
        adopted_on=adopted_on,
        review_due_on=adopted_on + datetime.timedelta(days=365),
        purpose="To improve public services.",
        mode_of_operation="Steering group.",
        steering_group_role="Agree an action plan.",
        **extra,
    )


# Terms and priorities ---------------------------------------------------------------------


def test_terms_versions_number_aims_and_link_sub_aims():
    compact = CompactFactory()
    v1 = make_terms(compact)
    v2 = make_terms(compact, adopted_on=datetime.date(2008, 6, 1))
    assert (v1.version, v2.version) == (1, 2)
    aim = v2.aims.get(number="2.3")
    assert aim.parent.number == "2"
    assert [a.number for a in v2.aims.all()] == [n for n, _ in AIMS]
    assert selectors.terms_in_force(compact=compact, on=datetime.date(2008, 1, 1)) == v1
    assert selectors.terms_in_force(compact=compact, on=datetime.date(2008, 7, 1)) == v2


def test_terms_must_be_adopted_after_the_previous_version():
    compact = CompactFactory()
    make_terms(compact, adopted_on=datetime.date(2008, 6, 1))
    with pytest.raises(CompactError) as refused:
        make_terms(compact, adopted_on=datetime.date(2008, 1, 1))
    assert refused.value.code == "terms_not_after_previous"


def test_sub_aim_needs_its_parent_first():
    with pytest.raises(CompactError) as refused:
        services.terms_create(
            compact=CompactFactory(),
            aims=[("2.1", "orphan")],
            title="t",
            adopted_on=datetime.date(2007, 2, 1),
            review_due_on=datetime.date(2008, 2, 1),
            purpose="p",
            mode_of_operation="m",
            steering_group_role="r",
        )
    assert refused.value.code == "aim_before_parent"


def test_statement_uses_terms_in_force_and_priorities_cite_only_its_aims():
    compact = CompactFactory()
    make_terms(compact)
    revised = make_terms(compact, adopted_on=datetime.date(2008, 3, 1))
    statement = services.statement_create(
        compact=compact,
        year="2008-09",
        starts_on=datetime.date(2008, 4, 1),
        ends_on=datetime.date(2009, 3, 31),
    )
    assert statement.terms == revised
    priority = services.priority_create(
        statement=statement,
        title="To increase the number of apprentices",
        aim_numbers=["2.1", "2.3", "2.4", "4"],
    )
    assert sorted(a.number for a in priority.aims.all()) == ["2.1", "2.3", "2.4", "4"]
    assert all(a.terms == revised for a in priority.aims.all())
    with pytest.raises(CompactError, match="Aim 6 is not in the terms") as refused:
        services.priority_create(statement=statement, title="x", aim_numbers=["1", "6"])
    assert refused.value.code == "aim_not_in_terms"


def test_priority_rejects_aims_of_an_older_version():
    compact = CompactFactory()
    old = make_terms(compact)
    make_terms(compact, adopted_on=datetime.date(2008, 3, 1))
    statement = services.statement_create(
        compact=compact,
        year="2008-09",
        starts_on=datetime.date(2008, 4, 1),
        ends_on=datetime.date(2009, 3, 31),
    )
    priority = services.priority_create(statement=statement, title="x", aim_numbers=["1"])
    with pytest.raises(CompactError) as refused:
        services.priority_set_aims(priority=priority, aims=[old.aims.get(number="1")])
    assert refused.value.code == "aim_not_in_terms"


def test_statement_without_terms_in_force_is_refused():
    compact = CompactFactory()
    make_terms(compact, adopted_on=datetime.date(2008, 6, 1))
    with pytest.raises(CompactError) as refused:
        services.statement_create(
            compact=compact,
            year="2007-08",
            starts_on=datetime.date(2007, 4, 1),
            ends_on=datetime.date(2008, 3, 31),
        )
    assert refused.value.code == "no_terms_in_force"


def test_action_aims_must_be_of_the_terms_in_force():
    compact = CompactFactory()
    old = make_terms(compact, adopted_on=datetime.date(2007, 2, 1))
    current = make_terms(compact, adopted_on=datetime.date(2008, 6, 1))
    plan = PlanFactory(compact=compact)
    action = services.action_create(
        plan=plan, code="A2", theme="t", objective="o", aims=[current.aims.get(number="4")]
    )
    assert list(action.aims.all()) == [current.aims.get(number="4")]
    with pytest.raises(CompactError) as refused:
        services.action_create(
            plan=plan, code="A3", theme="t", objective="o", aims=[old.aims.get(number="4")]
        )
    assert refused.value.code == "aim_not_in_terms"


# Groups ------------------------------------------------------------------------------------


def test_task_and_finish_group_needs_a_priority_and_reports_to_the_steering_group():
    compact = CompactFactory()
    steering = GroupFactory(compact=compact)
    priority = PriorityFactory(statement__compact=compact)
    group = services.group_create(
        compact=compact,
        name="Apprenticeships task and finish group",
        kind=Group.Kind.TASK_AND_FINISH,
        priority=priority,
        starts_on=datetime.date(2008, 9, 1),
    )
    assert group.reports_to == steering
    with pytest.raises(CompactError) as refused:
        services.group_create(
            compact=compact,
            name="No priority",
            kind=Group.Kind.TASK_AND_FINISH,
            starts_on=datetime.date(2008, 9, 1),
        )
    assert refused.value.code == "subgroup_without_priority"


def test_only_one_steering_group_per_compact():
    group = GroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.create(
            compact=group.compact, name="Another", kind="steering", starts_on=group.starts_on
        )


def test_vcs_on_the_steering_group_only_when_named():
    steering = GroupFactory()
    dldc = OrganisationFactory(name="DLDC", sector=Sector.VOLUNTARY_AND_COMMUNITY)
    other_vcs = OrganisationFactory(name="Other VCS", sector=Sector.VOLUNTARY_AND_COMMUNITY)
    steering.compact.vcs_bodies.add(dldc)
    person = MemberFactory()
    services.group_membership_add(
        group=steering, person=person, organisation=dldc, starts_on=datetime.date(2008, 1, 1)
    )
    with pytest.raises(CompactError) as refused:
        services.group_membership_add(
            group=steering,
            person=MemberFactory(),
            organisation=other_vcs,
            starts_on=datetime.date(2008, 1, 1),
        )
    assert refused.value.code == "vcs_body_not_named"


# Charter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sector, named, refusal",
    [
        (Sector.LOCAL_GOVERNMENT, False, None),
        (Sector.FIRE_SERVICE, False, None),
        (Sector.VOLUNTARY_AND_COMMUNITY, True, None),
        (Sector.VOLUNTARY_AND_COMMUNITY, False, "vcs_body_not_named"),
        (Sector.OTHER, False, "organisation_not_eligible"),
    ],
)
def test_charter_eligibility_by_sector(sector, named, refusal):
    charter = CharterFactory()
    organisation = OrganisationFactory(sector=sector)
    if named:
        charter.compact.vcs_bodies.add(organisation)
    kwargs = {
        "charter": charter,
        "organisation": organisation,
        "signatory_name": "Chief Executive",
        "joined_on": charter.starts_on,
        "senior_representative": MemberFactory(),
    }
    if refusal is None:
        assert services.charter_sign(**kwargs).renewal_due_on == charter.ends_on
    else:
        with pytest.raises(CompactError) as refused:
            services.charter_sign(**kwargs)
        assert refused.value.code == refusal


def test_charter_membership_runs_at_least_twelve_months():
    charter = CharterFactory(
        starts_on=datetime.date(2008, 9, 1), ends_on=datetime.date(2010, 8, 31)
    )
    late_joiner = services.charter_sign(
        charter=charter,
        organisation=OrganisationFactory(),
        signatory_name="Chief Constable",
        joined_on=datetime.date(2010, 3, 15),
        senior_representative=MemberFactory(),
    )
    assert late_joiner.renewal_due_on == datetime.date(2011, 3, 15)
    with pytest.raises(CompactError) as refused:
        services.charter_sign(
            charter=charter,
            organisation=OrganisationFactory(),
            signatory_name="x",
            joined_on=datetime.date(2009, 1, 1),
            senior_representative=MemberFactory(),
            renewal_due_on=datetime.date(2009, 6, 1),
        )
    assert refused.value.code == "membership_too_short"


# Action health -----------------------------------------------------------------------------


def health_row(action, **kwargs):
    """The action's health figures from the SQL annotations, checked against the same
    figures worked out in Python (``with_health``, which the pages read): one rule, two
    implementations, every rule test below exercises both."""
    row = selectors.actions_with_health(**kwargs).get(pk=action.pk)
    (listed,) = selectors.with_health(Action.objects.filter(pk=action.pk), **kwargs)
    from_sql = {name: getattr(row, name) for name in selectors.HEALTH_FIELDS}
    from_python = {name: getattr(listed, name) for name in selectors.HEALTH_FIELDS}
    assert from_python == from_sql
    (in_list,) = [a for a in selectors.actions_health(**kwargs) if a.pk == action.pk]
    assert {name: getattr(in_list, name) for name in selectors.HEALTH_FIELDS} == from_sql
    (light,) = [
        a
        for a in selectors.compact_actions_health(compacts=[action.plan.compact], **kwargs)
        if a.pk == action.pk
    ]
    assert {name: getattr(light, name) for name in selectors.HEALTH_FIELDS} == from_sql
    return row


def flags(action, **kwargs):
    row = health_row(action, **kwargs)
    return {
        name
        for name in ("overdue", "no_lead", "no_target", "stale", "no_aim")
        if getattr(row, f"flag_{name}")
    }


def test_health_flags_each_rule():
    plan = PlanFactory()
    aim = AimFactory(terms__compact=plan.compact)  # of the terms in force
    today = timezone.localdate()
    healthy = ActionFactory(plan=plan)
    healthy.aims.add(aim)
    assert flags(healthy) == set()
    overdue = ActionFactory(plan=plan, target_date=today - datetime.timedelta(days=1))
    overdue.aims.add(aim)
    assert flags(overdue) == {"overdue"}
    done = ActionFactory(
        plan=plan,
        target_date=today - datetime.timedelta(days=1),
        status="done",
        percent_complete=100,
    )
    done.aims.add(aim)
    assert flags(done) == set()
    no_lead = ActionFactory(plan=plan, lead_person=None)
    no_lead.aims.add(aim)
    assert flags(no_lead) == {"no_lead"}
    lead_org_only = ActionFactory(
        plan=plan, lead_person=None, lead_organisation=OrganisationFactory()
    )
    lead_org_only.aims.add(aim)
    assert flags(lead_org_only) == set()
    no_target = ActionFactory(plan=plan, target_date=None)
    no_target.aims.add(aim)
    assert flags(no_target) == {"no_target"}
    assert flags(ActionFactory(plan=plan)) == {"no_aim"}


def test_no_aim_flag_counts_only_aims_of_the_terms_in_force():
    """The review found actions "not cross referenced to the stated aims": an action
    citing only aims of superseded terms serves none of the aims in force."""
    compact = CompactFactory()
    today = timezone.localdate()
    old = make_terms(compact, adopted_on=today - datetime.timedelta(days=800))
    current = make_terms(compact, adopted_on=today - datetime.timedelta(days=30))
    plan = PlanFactory(compact=compact)
    stale_aims = ActionFactory(plan=plan, code="A1")
    stale_aims.aims.add(old.aims.get(number="4"))
    mixed = ActionFactory(plan=plan, code="A2")
    mixed.aims.add(old.aims.get(number="4"), current.aims.get(number="2.1"))
    sub = ActionFactory(plan=plan, parent=stale_aims, code="A1 1.1")
    foreign = ActionFactory(plan=plan, code="A3")
    foreign.aims.add(AimFactory())  # another compact's terms
    assert flags(stale_aims) == {"no_aim"}
    assert flags(mixed) == set()
    assert "no_aim" in flags(sub)  # its parent's aims are superseded too
    assert flags(foreign) == {"no_aim"}
    # Before the revision came into force, the old aims were the ones in force.
    before = today - datetime.timedelta(days=100)
    assert "no_aim" not in flags(stale_aims, today=before)
    row = selectors.flagged_actions(compact=compact).get(pk=stale_aims.pk)
    assert row.flag_count >= 1


def test_light_health_matches_the_instances_on_generated_compacts():
    """``compact_actions_health`` (light rows, queries scoped by the compact in SQL: the
    health page and /insights/compacts/) against ``with_health`` (model instances, id
    lists: the action list) and the SQL annotations, on two generated compacts with
    sub-actions, updates old and new, aims of superseded and current terms, actions
    without lead or target, over several dates: every figure of every action."""
    import random

    rng = random.Random(16)
    today = timezone.localdate()
    compacts = [CompactFactory(), CompactFactory()]
    for compact in compacts:
        old = make_terms(compact, adopted_on=today - datetime.timedelta(days=800))
        current = make_terms(compact, adopted_on=today - datetime.timedelta(days=30))
        aims = [*old.aims.all(), *current.aims.all()]
        plans = [PlanFactory(compact=compact), PlanFactory(compact=compact)]
        statuses = [value for value, _label in Action.Status.choices]
        soon, past = today + datetime.timedelta(days=9), today - datetime.timedelta(days=9)
        for n in range(24):
            parent = None
            if n % 3 and n > 2:
                parent = rng.choice(
                    list(Action.objects.filter(plan__compact=compact, parent=None).order_by("pk"))
                )
            created = timezone.now() - datetime.timedelta(days=rng.choice([3, 70, 400]))
            with time_machine.travel(created):
                action = ActionFactory(
                    plan=parent.plan if parent else rng.choice(plans),
                    parent=parent,
                    order=rng.randint(0, 5),
                    status=(status := rng.choice(statuses)),
                    percent_complete=100 if status == "done" else rng.choice([0, 10, 55]),
                    lead_person=None if n % 5 == 0 else MemberFactory(),
                    lead_organisation=OrganisationFactory() if n % 7 == 0 else None,
                    target_date=rng.choice([None, past, soon]),
                )
            action.aims.add(*rng.sample(aims, rng.choice([0, 0, 1, 2])))
            for _ in range(rng.choice([0, 0, 1, 2])):
                ProgressUpdateFactory(
                    action=action, on=today - datetime.timedelta(days=rng.choice([1, 50, 90]))
                )
    ActionFactory()  # another compact's, not asked for
    assert Action.objects.filter(parent__isnull=False).exists()

    def figures(actions):
        return {a.pk: {name: getattr(a, name) for name in selectors.HEALTH_FIELDS} for a in actions}

    for on in (today, today - datetime.timedelta(days=60), today + datetime.timedelta(days=60)):
        every = Action.objects.filter(plan__compact__in=compacts).order_by(
            "plan__title", "order", "code"
        )
        light = selectors.compact_actions_health(compacts=compacts, today=on)
        assert [a.pk for a in light] == [a.pk for a in every]
        expected = figures(selectors.with_health(every, today=on))
        assert figures(light) == expected
        assert figures(selectors.actions_with_health(today=on).filter(pk__in=expected)) == expected
        assert any(a.flag_count for a in light) and not all(a.flag_count for a in light)
        top = selectors.compact_actions_health(compacts=compacts, top_level_only=True, today=on)
        assert figures(top) == {
            pk: f for pk, f in expected.items() if pk in {a.pk for a in every if not a.parent_id}
        }
        (one,) = compacts[:1]
        assert selectors.flagged_action_ids(compact=one, today=on) == [
            a.pk for a in light if a.flag_count and a.compact_id == one.pk
        ]


def test_health_view_query_count_stays_constant_with_superseded_aims(
    django_assert_num_queries,
):
    compact = CompactFactory()
    today = timezone.localdate()
    old = make_terms(compact, adopted_on=today - datetime.timedelta(days=800))
    current = make_terms(compact, adopted_on=today - datetime.timedelta(days=30))
    plan = PlanFactory(compact=compact)

    def grow(n):
        for i in range(n):
            action = ActionFactory(plan=plan)
            action.aims.add(old.aims.get(number="1") if i % 2 else current.aims.get(number="1"))
            ActionFactory(plan=plan, parent=action)

    grow(2)
    # The actions, their aims (prefetched), their sub-actions, latest updates, the terms
    # in force and the aims those cite (selectors.with_health).
    with django_assert_num_queries(6):
        few = [a.flag_no_aim for a in selectors.actions_health(compact=compact)]
    grow(10)
    with django_assert_num_queries(6):
        many = [a.flag_no_aim for a in selectors.actions_health(compact=compact)]
    assert len(many) > len(few) and any(many) and not all(many)


def test_stale_flag_after_n_weeks_without_update_and_cleared_by_an_update(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "COMPACT_STALE_WEEKS": 8}
    plan = PlanFactory()
    aim = AimFactory(terms__compact=plan.compact)
    with time_machine.travel(timezone.now() - datetime.timedelta(weeks=9)):
        action = ActionFactory(
            plan=plan, target_date=timezone.localdate() + datetime.timedelta(days=400)
        )
        action.aims.add(aim)
        assert flags(action) == set()
    assert flags(action) == {"stale"}
    services.progress_update_add(
        action=action, author=action.lead_person, status="on_track", percent_complete=30, note="Met"
    )
    assert flags(action) == set()
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == ("on_track", 30)
    settings.TALENTHUB = {**settings.TALENTHUB, "COMPACT_STALE_WEEKS": 1}
    later = timezone.localdate() + datetime.timedelta(weeks=2)
    assert flags(action, today=later) == {"stale"}


def test_sub_actions_roll_up_status_and_progress():
    parent = ActionFactory(code="B2")
    parent.aims.add(AimFactory(terms__compact=parent.plan.compact))
    first = ActionFactory(plan=parent.plan, parent=parent, code="B2 1.1")
    second = ActionFactory(plan=parent.plan, parent=parent, code="B2 1.2")

    def rolled():
        row = health_row(parent)
        return row.rolled_status, row.rolled_percent

    assert rolled() == ("not_started", 0)
    services.progress_update_add(
        action=first, author=first.lead_person, status="on_track", percent_complete=50, note="."
    )
    assert rolled() == ("on_track", 25)
    services.progress_update_add(
        action=second, author=second.lead_person, status="at_risk", percent_complete=10, note="."
    )
    assert rolled() == ("at_risk", 30)
    services.progress_update_add(
        action=second, author=second.lead_person, status="off_track", percent_complete=10, note="."
    )
    assert rolled() == ("off_track", 30)
    for child in (first, second):
        services.progress_update_add(
            action=child, author=child.lead_person, status="done", percent_complete=0, note="."
        )
    assert rolled() == ("done", 100)
    # Sub-actions serve their parent's aims; updates go on the sub-actions.
    assert "no_aim" not in flags(first)
    with pytest.raises(CompactError) as refused:
        services.progress_update_add(
            action=parent, author=parent.lead_person, status="done", percent_complete=100, note="."
        )
    assert refused.value.code == "action_has_sub_actions"


def test_sub_action_of_a_sub_action_is_refused():
    parent = ActionFactory(code="B2")
    child = ActionFactory(plan=parent.plan, parent=parent, code="B2 1.1")
    with pytest.raises(CompactError) as refused:
        services.action_create(plan=parent.plan, parent=child, code="x", theme="t", objective="o")
    assert refused.value.code == "sub_action_nested"


def test_weekly_digest_emails_each_lead_once_per_iso_week(django_capture_on_commit_callbacks):
    lead = MemberFactory()
    ActionFactory(lead_person=lead, target_date=None)
    ActionFactory(lead_person=lead, code="Z9")
    healthy = ActionFactory(lead_person=MemberFactory())  # no email
    healthy.aims.add(AimFactory(terms__compact=healthy.plan.compact))
    monday = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(monday), django_capture_on_commit_callbacks(execute=True):
        assert send_action_digests.delay().get() == 1
        assert send_action_digests.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [lead.email]
    assert "Z9" in mail.outbox[0].body and "no target date" in mail.outbox[0].body
    assert OutboundEmail.objects.filter(key=f"compact.digest:{lead.pk}:2026-W48").exists()
    with (
        time_machine.travel(monday + datetime.timedelta(days=7)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_action_digests.delay().get() == 1
    assert len(mail.outbox) == 2


# Meetings and attendance -------------------------------------------------------------------


def test_attendance_report_against_the_two_meetings_rule():
    charter = CharterFactory(
        starts_on=datetime.date(2008, 1, 1), ends_on=datetime.date(2010, 12, 31)
    )
    compact = charter.compact
    group = GroupFactory(compact=compact)
    regular = SignatoryFactory(charter=charter).organisation
    occasional = SignatoryFactory(charter=charter).organisation
    absent = SignatoryFactory(charter=charter).organisation
    meetings = [
        MeetingFactory(
            group=group, starts_at=datetime.datetime(2008, m, 10, 10, tzinfo=datetime.UTC)
        )
        for m in (2, 6, 10)
    ]
    MeetingFactory(
        group=group,
        starts_at=datetime.datetime(2008, 12, 1, tzinfo=datetime.UTC),
        status="cancelled",
        status_reason="Not quorate",
    )
    for meeting in meetings[:2]:
        AttendanceFactory(meeting=meeting, organisation=regular)
        AttendanceFactory(meeting=meeting, organisation=regular)  # two people, one meeting
    AttendanceFactory(meeting=meetings[0], organisation=occasional)
    AttendanceFactory(meeting=meetings[1], organisation=occasional, status="apologies")
    rows = {r.organisation: r for r in selectors.attendance_report(compact=compact, year=2008)}
    assert (rows[regular].attended, rows[regular].meets_rule) == (2, True)
    assert (rows[occasional].attended, rows[occasional].apologies) == (1, 1)
    assert not rows[occasional].meets_rule
    assert (rows[absent].attended, rows[absent].meets_rule) == (0, False)
    assert rows[regular].meetings_held == 3


def test_meeting_cancel_and_move_need_a_reason():
    meeting = MeetingFactory(
        status="scheduled", starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    with pytest.raises(CompactError) as refused:
        services.meeting_cancel(meeting=meeting, reason=" ")
    assert refused.value.code == "reason_missing"
    new = services.meeting_move(
        meeting=meeting, starts_at=meeting.starts_at + datetime.timedelta(days=7), reason="Clash"
    )
    meeting.refresh_from_db()
    assert meeting.status == "moved" and meeting.moved_to == new and new.status == "scheduled"
    services.meeting_cancel(meeting=new, reason="Chair unavailable")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=new.pk).update(status_reason="")


def test_meeting_record_with_attendance_and_minutes_circulated(django_capture_on_commit_callbacks):
    group = GroupFactory()
    chair = MembershipFactory(group=group, role="chair")
    member = MembershipFactory(group=group)
    secretary = MemberFactory()
    minutes = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_record(
            group=group,
            starts_at=timezone.now() - datetime.timedelta(hours=2),
            place="University of Derby",
            actor=secretary,
            agenda=["Review of the action plan", "", "Members' charter"],
            attendance={chair: Attendance.Status.PRESENT, member: Attendance.Status.APOLOGIES},
            minutes=minutes,
            circulate=True,
        )
    assert meeting.status == "held"
    assert [i.title for i in meeting.agenda_items.all()] == [
        "Review of the action plan",
        "Members' charter",
    ]
    assert meeting.attendances.get(person=member.person).status == "apologies"
    document = meeting.documents.get()
    assert document.kind == "minutes" and document.content_type == "application/pdf"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair.person.email, member.person.email])


def test_meeting_reminders_once_per_member(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        status="scheduled", starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    MembershipFactory(group=meeting.group)
    MembershipFactory(group=meeting.group)
    MeetingFactory(
        group=meeting.group,
        status="scheduled",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_meeting_reminders() == 2
        assert services.send_meeting_reminders() == 0
    assert len(mail.outbox) == 2


def test_terms_review_reminder_to_secretariat_once(django_capture_on_commit_callbacks):
    role = RoleFactory()
    TermsFactory(
        compact=role.compact,
        adopted_on=timezone.localdate() - datetime.timedelta(days=350),
        review_due_on=timezone.localdate() + datetime.timedelta(days=15),
    )
    RoleFactory(compact=role.compact, role=CompactRole.Role.STEERING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_terms_review_reminders() == 1
        assert services.send_terms_review_reminders() == 0
    assert mail.outbox[0].to == [role.user.email]
    assert "annual review" in mail.outbox[0].body


# Uploads -----------------------------------------------------------------------------------


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("minutes.pdf", PDF_BYTES, "application/pdf"),
        (
            "minutes.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.txt", "Minutes – café".encode(), "text/plain"),
    ],
)
def test_upload_accepts_documents_by_content(name, data, content_type):
    document = services.document_upload(
        compact=CompactFactory(),
        uploaded=SimpleUploadedFile(name, data),
        title="Minutes",
        kind=Document.Kind.MINUTES,
        visibility=Document.Visibility.MEMBERS,
    )
    assert document.content_type == content_type
    assert document.file.read() == data
    assert name.split(".")[0] not in document.file.name  # stored under a random name


@pytest.mark.parametrize(
    "name, data, refusal",
    [
        ("minutes.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary", "type"),
        ("minutes.pdf", b"", "empty"),
        ("archive.docx", b"PK\x03\x04not really a zip", "type"),
    ],
)
def test_upload_rejects_other_content_whatever_the_name(name, data, refusal):
    with pytest.raises(CompactError) as refused:
        services.document_upload(
            compact=CompactFactory(),
            uploaded=SimpleUploadedFile(name, data, content_type="application/pdf"),
            title="x",
            kind=Document.Kind.OTHER,
            visibility=Document.Visibility.PUBLIC,
        )
    assert refused.value.code == refusal
    assert list(refused.value.field_errors) == ["file"]  # shown next to the file input
    assert not Document.objects.exists()


def test_upload_size_limit(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "COMPACT_MAX_UPLOAD_BYTES": 1024 * 1024}
    with pytest.raises(CompactError, match="smaller than 1 MB") as refused:
        services.document_upload(
            compact=CompactFactory(),
            uploaded=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 1024 * 1024),
            title="x",
            kind=Document.Kind.OTHER,
            visibility=Document.Visibility.PUBLIC,
        )
    assert refused.value.code == "too_big"
    assert list(refused.value.field_errors) == ["file"]


# Surveys -----------------------------------------------------------------------------------


def test_survey_send_and_response_rate(django_capture_on_commit_callbacks):
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey)
    scale = QuestionFactory(survey=survey, kind=SurveyQuestion.Kind.SCALE)
    for _ in range(4):
        MembershipFactory(group=survey.group)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_send(survey=survey) == 4
        assert services.survey_send(survey=survey) == 0
    assert len(mail.outbox) == 4
    invitations = list(survey.invitations.all())
    services.survey_respond(invitation=invitations[0], answers={question: "Networking", scale: 4})
    services.survey_respond(invitation=invitations[1], answers={}, usable=False)
    with pytest.raises(CompactError) as refused:
        services.survey_respond(invitation=invitations[0], answers={})
    assert refused.value.code == "survey_already_answered"
    row = selectors.survey_results(compact=survey.compact).get()
    assert (row.sent_count, row.reply_count, row.usable_count) == (4, 2, 1)


# E-bulletin --------------------------------------------------------------------------------


def test_bulletin_sent_to_subscribers_in_batches_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services.bulletins, "BULLETIN_BATCH_SIZE", 2)
    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin, title="Skills Pledge briefing")
    users = [MemberFactory() for _ in range(5)]
    for user in users:
        services.bulletin_subscribe(compact=bulletin.compact, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bulletin_send(bulletin=bulletin) == 3
    assert len(mail.outbox) == 5
    assert "Skills Pledge briefing" in mail.outbox[0].body
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.bulletin_send_batch(bulletin_id=bulletin.pk, user_ids=[u.pk for u in users])
            == 0
        )
    with pytest.raises(CompactError) as refused:
        services.bulletin_send(bulletin=bulletin)
    assert refused.value.code == "bulletin_already_sent"
    assert len(mail.outbox) == 5


def test_empty_bulletin_is_not_sent():
    with pytest.raises(CompactError) as refused:
        services.bulletin_send(bulletin=BulletinFactory())
    assert refused.value.code == "bulletin_without_items"


def test_action_code_unique_per_plan():
    action = ActionFactory(code="A1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=action.plan, code="A1", theme="t", objective="o")


def test_statement_factory_consistent():
    statement = StatementFactory()
    assert statement.terms.compact == statement.compact


def test_bulletin_email_lists_upcoming_good_practice_events(django_capture_on_commit_callbacks):
    from tests.events.factories import EventFactory

    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin, title="Charter renewals")
    event = EventFactory(title="Skills Pledge breakfast briefing")
    bulletin.compact.good_practice_events.add(event)
    services.bulletin_subscribe(compact=bulletin.compact, user=MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(bulletin=bulletin)
    assert len(mail.outbox) == 1
    assert "Skills Pledge breakfast briefing" in mail.outbox[0].body
    assert event.get_absolute_url() in mail.outbox[0].body


# Scheduled meetings are marked held, never recorded twice -----------------------------------


def _scheduled(group, **kwargs):
    return MeetingFactory(group=group, status="scheduled", **kwargs)


def test_meeting_hold_marks_a_scheduled_meeting_held_with_attendance(
    django_capture_on_commit_callbacks,
):
    group = GroupFactory()
    chair = MembershipFactory(group=group, role="chair")
    member = MembershipFactory(group=group)
    meeting = _scheduled(group, starts_at=timezone.now() - datetime.timedelta(hours=3))
    AgendaItemFactory(meeting=meeting, title="Members' charter sign-up")
    with django_capture_on_commit_callbacks(execute=True):
        held = services.meeting_hold(
            meeting=meeting,
            actor=MemberFactory(),
            attendance={chair: "present", member: "apologies"},
            minutes=SimpleUploadedFile("minutes.pdf", PDF_BYTES),
            circulate=True,
        )
    assert held.pk == meeting.pk and Meeting.objects.count() == 1
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert [i.title for i in meeting.agenda_items.all()] == ["Members' charter sign-up"]
    assert meeting.attendances.get(person=member.person).status == "apologies"
    assert meeting.documents.get().kind == "minutes"
    assert len(mail.outbox) == 2
    with pytest.raises(CompactError) as refused:
        services.meeting_hold(meeting=meeting, actor=None, attendance={})
    assert refused.value.code == "meeting_not_scheduled"


def test_attendance_is_refused_for_a_meeting_still_to_come():
    group = GroupFactory()
    member = MembershipFactory(group=group)
    meeting = _scheduled(group, starts_at=timezone.now() + datetime.timedelta(days=21))
    with pytest.raises(CompactError) as refused:
        services.meeting_hold(meeting=meeting, actor=None, attendance={member: "present"})
    assert refused.value.code == "meeting_not_yet_held"
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not meeting.attendances.exists()
    with pytest.raises(CompactError) as refused:
        services.meeting_record(
            group=group,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            place="Pride Park, Derby",
            actor=None,
            attendance={member: "present"},
        )
    assert refused.value.code == "meeting_not_yet_held"
    assert Meeting.objects.count() == 1 and not Attendance.objects.exists()


def test_recording_a_new_meeting_on_a_scheduled_meetings_day_is_refused():
    group = GroupFactory()
    starts = timezone.now() - datetime.timedelta(days=1)
    _scheduled(group, starts_at=starts)
    with pytest.raises(CompactError) as refused:
        services.meeting_record(group=group, starts_at=starts, place="Derby", actor=None)
    assert refused.value.code == "meeting_already_scheduled"
    assert Meeting.objects.count() == 1
    # Another group's scheduled meeting that day is no obstacle.
    other = GroupFactory(compact=CompactFactory())
    services.meeting_record(group=other, starts_at=starts, place="Derby", actor=None)
    assert Meeting.objects.filter(group=other, status="held").count() == 1


def test_attendance_only_for_members_of_the_group_on_the_day():
    group = GroupFactory()
    meeting = _scheduled(group, starts_at=timezone.now() - datetime.timedelta(days=30))
    joined_later = MembershipFactory(group=group, starts_on=timezone.localdate())
    foreign = MembershipFactory()
    for membership, refusal in [
        (joined_later, "attendee_not_member_that_day"),
        (foreign, "attendee_not_in_group"),
    ]:
        with pytest.raises(CompactError) as refused:
            services.meeting_hold(meeting=meeting, actor=None, attendance={membership: "present"})
        assert refused.value.code == refusal
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not meeting.attendances.exists()


@pytest.mark.parametrize("status, ok", [("scheduled", True), ("held", True), ("cancelled", False)])
def test_papers_attach_to_scheduled_or_held_meetings(status, ok):
    meeting = MeetingFactory(status=status, status_reason="Not quorate" if not ok else "")
    kwargs = {
        "meeting": meeting,
        "uploaded": SimpleUploadedFile("paper.pdf", PDF_BYTES),
        "title": "Interim report",
        "visibility": Document.Visibility.MEMBERS,
        "actor": None,
    }
    if ok:
        document = services.meeting_paper_upload(**kwargs)
        assert (document.meeting, document.kind) == (meeting, "agenda")
        assert document.compact == meeting.group.compact
    else:
        with pytest.raises(CompactError) as refused:
            services.meeting_paper_upload(**kwargs)
        assert refused.value.code == "meeting_moved_or_cancelled"
        assert list(refused.value.field_errors) == ["meeting"]
        assert not Document.objects.exists()


def test_minutes_only_for_a_meeting_that_was_held():
    meeting = _scheduled(GroupFactory(), starts_at=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(CompactError) as refused:
        services.meeting_minutes_upload(
            meeting=meeting,
            uploaded=SimpleUploadedFile("minutes.pdf", PDF_BYTES),
            visibility="members",
            actor=None,
        )
    assert refused.value.code == "minutes_before_held"
    assert list(refused.value.field_errors) == ["meeting"]
    assert not Document.objects.exists()


def test_a_document_cannot_belong_to_another_compacts_meeting():
    meeting = MeetingFactory()
    with pytest.raises(CompactError) as refused:
        services.document_upload(
            compact=CompactFactory(),
            uploaded=SimpleUploadedFile("paper.pdf", PDF_BYTES),
            title="Paper",
            kind=Document.Kind.AGENDA,
            visibility=Document.Visibility.PUBLIC,
            meeting=meeting,
        )
    assert refused.value.code == "meeting_of_other_compact"
    assert not Document.objects.exists()


# Roles ---------------------------------------------------------------------------------------


def test_editing_roles_give_and_take_admin_access():
    compact, other = CompactFactory(), CompactFactory()
    person = MemberFactory()
    services.role_grant(compact=compact, user=person, role=CompactRole.Role.REPRESENTATIVE)
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()
    services.role_grant(compact=compact, user=person, role=CompactRole.Role.STEERING)
    services.role_grant(compact=other, user=person, role=CompactRole.Role.SECRETARIAT)
    person.refresh_from_db()
    assert person.is_staff
    group = person.groups.get(name="Compact secretariat")
    assert group.permissions.filter(codename="change_actionplan").exists()
    assert services.role_revoke(compact=compact, user=person, role=CompactRole.Role.STEERING)
    person.refresh_from_db()
    assert person.is_staff  # still the secretariat of the other compact
    services.role_revoke(compact=other, user=person, role=CompactRole.Role.SECRETARIAT)
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()
    assert CompactRole.objects.filter(user=person).count() == 1  # the representative role
    assert not services.role_revoke(compact=other, user=person, role=CompactRole.Role.SECRETARIAT)


def test_revoking_keeps_staff_status_needed_for_something_else(manager):
    compact = CompactFactory()
    services.role_grant(compact=compact, user=manager, role=CompactRole.Role.SECRETARIAT)
    services.role_revoke(compact=compact, user=manager, role=CompactRole.Role.SECRETARIAT)
    manager.refresh_from_db()
    assert manager.is_staff  # a programme manager stays one
    assert list(manager.groups.values_list("name", flat=True)) == ["Programme managers"]


# E-bulletin archive: what was sent is kept ---------------------------------------------------


def test_bulletin_keeps_what_it_announced_when_sent(django_capture_on_commit_callbacks):
    from tests.events.factories import EventFactory

    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin)
    steering = GroupFactory(compact=bulletin.compact)
    meeting = _scheduled(
        steering, starts_at=timezone.now() + datetime.timedelta(days=14), is_public=True
    )
    _scheduled(steering, starts_at=timezone.now() + datetime.timedelta(days=15))  # private
    event = EventFactory(title="Skills Pledge breakfast briefing")
    bulletin.compact.good_practice_events.add(event)
    first, second = MemberFactory(), MemberFactory()
    services.bulletin_subscribe(compact=bulletin.compact, user=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(bulletin=bulletin)
    listings = list(bulletin.listings.values_list("kind", "title", "place"))
    assert listings == [
        ("meeting", "Steering Group", meeting.place),
        ("event", "Skills Pledge breakfast briefing", event.venue),
    ]
    # Later the meeting is cancelled, the event renamed: a batch sent afterwards (a
    # retry, or a subscriber in a later batch) still says what the issue said.
    services.meeting_cancel(meeting=meeting, reason="Not quorate")
    event.title = "Renamed event"
    event.save()
    services.bulletin_subscribe(compact=bulletin.compact, user=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send_batch(bulletin_id=bulletin.pk, user_ids=[second.pk])
    late = mail.outbox[-1]
    assert late.to == [second.email]
    assert "Skills Pledge breakfast briefing" in late.body and "Renamed" not in late.body
    assert "Steering Group" in late.body and event.get_absolute_url() in late.body

    def same_issue(body):  # each subscriber's own unsubscribe link aside
        return [line for line in body.split("Dear")[1].splitlines() if "/unsubscribe/" not in line]

    assert same_issue(mail.outbox[0].body) == same_issue(
        late.body.replace(second.get_short_name(), first.get_short_name(), 1)
    )
    # Bulk email: List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058), and the
    # link in the body ends this compact's subscription only.
    row = OutboundEmail.objects.get(key=f"compact.bulletin:{bulletin.pk}:{second.pk}")
    link = row.headers["List-Unsubscribe"].strip("<>")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith(settings.SITE_URL + "/accounts/unsubscribe/") and link in late.body
    assert late.extra_headers["List-Unsubscribe"] == f"<{link}>"
    with pytest.raises(CompactError) as refused:
        services.bulletin_send(bulletin=bulletin)
    assert refused.value.code == "bulletin_already_sent"
    assert bulletin.listings.count() == 2  # copied once


# Attendance report: the meetings each organisation was expected at ---------------------------


def test_attendance_report_counts_only_steering_meetings_while_a_member():
    charter = CharterFactory(
        starts_on=datetime.date(2008, 9, 1), ends_on=datetime.date(2010, 8, 31)
    )
    compact = charter.compact
    steering = GroupFactory(compact=compact)
    sub = GroupFactory(
        compact=compact,
        name="Apprenticeships task and finish group",
        kind=Group.Kind.TASK_AND_FINISH,
        priority=PriorityFactory(statement__compact=compact),
        reports_to=steering,
    )

    def held(group, month, day=10):
        return MeetingFactory(
            group=group, starts_at=datetime.datetime(2009, month, day, 10, tzinfo=datetime.UTC)
        )

    feb, may, oct_ = held(steering, 2), held(steering, 5), held(steering, 10)
    sub_meeting = held(sub, 6)
    MeetingFactory(
        group=steering,
        starts_at=datetime.datetime(2009, 7, 14, 10, tzinfo=datetime.UTC),
        status="cancelled",
        status_reason="Not quorate",
    )
    founder = SignatoryFactory(charter=charter).organisation
    late = SignatoryFactory(charter=charter, joined_on=datetime.date(2009, 9, 1)).organisation
    leaver = SignatoryFactory(charter=charter, withdrawn_on=datetime.date(2009, 3, 31))
    for meeting in (feb, sub_meeting):
        AttendanceFactory(meeting=meeting, organisation=founder)
    AttendanceFactory(meeting=may, organisation=founder, status="apologies")
    AttendanceFactory(meeting=feb, organisation=late)  # a guest before joining
    AttendanceFactory(meeting=oct_, organisation=late)
    AttendanceFactory(meeting=feb, organisation=leaver.organisation)
    AttendanceFactory(meeting=may, organisation=leaver.organisation)  # after leaving

    rows = {r.organisation: r for r in selectors.attendance_report(compact=compact, year=2009)}
    assert all(r.meetings_held == 3 for r in rows.values())  # steering meetings held
    expected = {org: (r.meetings_expected, r.attended, r.apologies, r.required, r.meets_rule)
                for org, r in rows.items()}  # fmt: skip
    assert expected[founder] == (3, 1, 1, 2, False)  # the sub-group meeting does not count
    assert expected[late] == (1, 1, 0, 1, True)  # only October, while a member
    assert expected[leaver.organisation] == (1, 1, 0, 1, True)  # only February
    # A year before anyone joined lists them with nothing expected.
    before = selectors.attendance_report(compact=compact, year=2008)
    assert {r.organisation for r in before} == {founder, leaver.organisation}
    assert not any(r.applies for r in before)


def test_attendance_report_queries_do_not_grow(django_assert_num_queries):
    charter = CharterFactory(
        starts_on=datetime.date(2008, 1, 1), ends_on=datetime.date(2010, 12, 31)
    )
    steering = GroupFactory(compact=charter.compact)

    def grow(n):
        for i in range(n):
            organisation = SignatoryFactory(charter=charter).organisation
            meeting = MeetingFactory(
                group=steering,
                starts_at=datetime.datetime(2009, 1 + i % 12, 1 + i, 10, tzinfo=datetime.UTC),
            )
            AttendanceFactory(meeting=meeting, organisation=organisation)

    grow(2)
    with django_assert_num_queries(3):
        selectors.attendance_report(compact=charter.compact, year=2009)
    grow(10)
    with django_assert_num_queries(3):
        rows = selectors.attendance_report(compact=charter.compact, year=2009)
    assert len(rows) == 12 and sum(r.attended for r in rows) == 12
