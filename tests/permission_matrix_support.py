"""The permission matrix's machinery: the world, the URL enumeration and the check. The
sweep itself is split by role over ``tests/core/test_permission_matrix*.py`` (see
``ROLE_SHARES``), so that ``-n 2 --dist loadfile`` runs the shares on both workers; each
file builds its own world (module scope). Not collected as tests (no ``test_`` prefix).

The permission matrix: every URL pattern of the portal and its admin, filled with the
objects of two providers, two compacts and three members, fetched as each role; no
response may carry a private marker of someone the role may not see, and none may be a
5xx.

How it works:
- One world (``build_world``), built once per module. Each private field of each party
  holds a marker ``priv-<owner>-<what>`` (``World.mark``), registered with the roles
  that may legitimately see it. Real secrets that cannot be planted (a password reset
  key, an unsubscribe token) are registered the same way.
- The URLs come from Django's resolver, not from a list: every pattern must be filled
  by ``site_fillings`` or ``admin_requests``, or the test fails naming it, so a new URL
  cannot go unvisited. Admin pages include each registered model's changelist (plain,
  searched for the markers, filtered by another party's objects, and with every filter
  parameter of its sidebar given a hostile value), add, change, delete, history, custom
  views, "view on site" (``/admin/r/<ct>/<id>/``), and the autocomplete of every
  autocomplete field.
- A redirect is followed once (a "view on site" link to a secret URL is what leaks), and
  the ``Location`` header is checked too. A page reached directly by its own secret
  token (a calendar feed, an unsubscribe link) is not checked for markers: whoever holds
  the token may read it.
- Every violation is collected; the test fails once, with the whole list
  (role, URL, marker or status).

Roles sign in through ``login_as``: one place to change when staff need more than a
session (e.g. a second factor).
"""

from __future__ import annotations

import datetime
import inspect
import itertools
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alumni.models import AlumniProfile
from api.services import api_token_create
from cohorts.models import Application, ProjectReview, ReviewScore
from compact import services as compact_services
from compact.models import CompactRole, Document
from events.models import Booking, BookingAnswer, CalendarFeed, Event, EventMessage, EventQuestion
from programmes.demo import MANAGER_PERMISSIONS
from talenthub.core import unsubscribe
from talenthub.core.models import ConsentRecord, OutboundEmail
from talenthub.core.permissions import PROGRAMME_MANAGERS
from tests.alumni.factories import (
    AlumniProfileFactory,
    CareerEntryFactory,
    CareerStoryFactory,
    KeyRoleFactory,
    MentoringOfferFactory,
    MentoringRequestFactory,
    MentoringSessionFactory,
    SubmittedPledgeFactory,
    SuccessorFactory,
    TalentAssessmentFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    VacancyFactory,
    make_alumnus,
)
from tests.cohorts.factories import (
    AnswerFactory,
    ApplicationFactory,
    CohortFactory,
    CohortReviewerFactory,
    EndedCohortFactory,
    FeedbackFactory,
    ParticipantFactory,
    ProjectWorkFactory,
    ReviewCriterionFactory,
    SessionFactory,
)
from tests.compact.factories import (
    ActionFactory,
    AimFactory,
    BulletinFactory,
    CompactFactory,
    DocumentFactory,
    GroupFactory,
    IndicatorFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    NewsItemFactory,
    PlanFactory,
    QuestionFactory,
    SubscriptionFactory,
    SurveyFactory,
    TermsFactory,
)
from tests.compact.factories import (
    AnswerFactory as SurveyAnswerFactory,
)
from tests.events.factories import (
    BookingFactory,
    CalendarFeedFactory,
    EventFactory,
    PlaceTransferFactory,
)
from tests.factories import (
    ManagerFactory,
    MemberFactory,
    OutboundEmailFactory,
    ProviderFactory,
    UserFactory,
)
from tests.insights.factories import AnalystFactory, MonitoringRecordFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
    SubsidyAllocationFactory,
    SubsidySchemeFactory,
)
from tests.resources.factories import (
    CareerConversationFactory,
    ConversationShareFactory,
    HubArticleFactory,
    SelfAssessmentFactory,
)

ROLES = [
    "anonymous",
    "member",  # alice: applied to provider X's cohort
    "other_member",  # bob: a participant of provider Y's cohort
    "alumni",  # carol: completed provider X's earlier cohort
    "manager_x",  # programme manager of provider X (a franchisee of Y's programme)
    "manager_y",  # programme manager of provider Y
    "pool_manager",  # programme manager of the talent board that owns the talent pool
    "analyst",  # equality insights analyst (staff, like the demo's)
    "secretariat_p",  # compact P's secretariat
    "steering_q",  # a steering group member of compact Q
    "superuser",
]
SU = "superuser"
# One role per way an admin scopes its rows (none, by provider, by compact).
HOSTILE_ROLES = {SU, "manager_x", "secretariat_p"}

MARKER = re.compile(r"priv-[a-z0-9]+-[a-z0-9]+", re.IGNORECASE)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (None: anonymous)
    allowed: dict = field(default_factory=dict)  # marker or secret -> roles that may see it
    secrets: dict = field(default_factory=dict)  # unplantable secret -> label
    objects: dict = field(default_factory=dict)  # name -> object (for fillings)

    def mark(self, owner: str, what: str, *roles: str) -> str:
        marker = f"priv-{owner}-{what}"
        assert marker not in self.allowed, marker
        self.allowed[marker] = frozenset(roles)
        return marker

    def secret(self, value: str, label: str, *roles: str) -> str:
        self.secrets[value] = label
        self.allowed[value] = frozenset(roles)
        return value


def login_as(client: Client, user) -> None:
    """Sign ``client`` in as ``user`` the way that role really reaches the pages. The one
    place to extend when staff must also pass a second factor."""
    if user is not None:
        client.force_login(user)


def _grant_manager_permissions():
    """The programme managers' model permissions, as ``load_demo`` gives them."""
    group, _ = Group.objects.get_or_create(name=PROGRAMME_MANAGERS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programmes",
            codename__in=[f"{a}_{m}" for m, actions in MANAGER_PERMISSIONS for a in actions],
        )
    )


def build_world() -> World:  # noqa: PLR0915 - one world, read top to bottom
    w = World()
    m = w.mark
    _grant_manager_permissions()

    # Providers and their managers ---------------------------------------------------
    x = ProviderFactory(name="Provider X Employers")
    y = ProviderFactory(name="Provider Y Employers")
    board = ProviderFactory(name="Talent Board T")
    manager_x = ManagerFactory(profile__organisation=x, full_name="Xavier Manager")
    manager_y = ManagerFactory(profile__organisation=y, full_name="Yolanda Manager")
    pool_manager = ManagerFactory(profile__organisation=board, full_name="Tariq Poolman")
    analyst = AnalystFactory(is_staff=True, full_name="Ana Lyst")
    superuser = UserFactory(is_staff=True, is_superuser=True, full_name="Sue Peruser")

    # Members: their names and addresses are private to them and to whoever manages
    # what they applied to (and the superuser).
    alice = MemberFactory(
        # Compact P's editors see her name too: she subscribes to its bulletin.
        full_name=m("alice", "name", "member", "manager_x", "secretariat_p", SU),
        email=m("alice", "email", "member", "manager_x", SU) + "@example.com",
    )
    bob = MemberFactory(
        # carol sees it too: bob asked her for mentoring.
        # (and compact Q's editors: he subscribes to its bulletin).
        full_name=m(
            "bob", "name", "other_member", "alumni", "manager_y", "pool_manager", "steering_q", SU
        ),
        email=m("bob", "email", "other_member", "manager_y", "pool_manager", SU) + "@example.com",
    )

    # Programmes: X runs its own programme and a franchise of Y's ------------------
    programme_x = ProgrammeFactory(owner=x, title="X Leadership", slug="x-leadership")
    programme_y = ProgrammeFactory(owner=y, title="Y Aspire", slug="y-aspire")
    FranchiseFactory(programme=programme_y, franchisee=x)
    version_x = ProgrammeVersionFactory(programme=programme_x)
    version_y = ProgrammeVersionFactory(programme=programme_y)
    scheme = SubsidySchemeFactory(name="LGA places", programmes=[programme_x, programme_y])
    cohort_x = CohortFactory(version=version_x, provider=x, slug="x-cohort", name="X cohort")
    cohort_y = CohortFactory(version=version_y, provider=y, slug="y-cohort", name="Y cohort")
    SessionFactory(
        cohort=cohort_x,
        online_url="https://meet.example.com/" + m("cx", "onlineurl", "member", "manager_x", SU),
    )
    SessionFactory(
        cohort=cohort_y,
        online_url="https://meet.example.com/"
        + m("cy", "onlineurl", "other_member", "manager_y", SU),
    )

    # Alice applied to X's cohort; her application is X's business only.
    application_a = ApplicationFactory(
        cohort=cohort_x,
        applicant=alice,
        line_manager_name=m("alice", "lmname", "member", "manager_x", SU),
        line_manager_email=m("alice", "lmemail", "member", "manager_x", SU) + "@example.com",
        line_manager_comment=m("alice", "lmcomment", "member", "manager_x", SU),
    )
    AnswerFactory(application=application_a, text=m("alice", "answer", "member", "manager_x", SU))
    SubsidyAllocationFactory(
        scheme=scheme,
        programme=programme_x,
        recipient=alice,
        description=m("alice", "subsidy", "member", "manager_x", SU),
    )

    # Bob is a participant of Y's cohort, with a subsidised place.
    application_b = ApplicationFactory(
        cohort=cohort_y,
        applicant=bob,
        status=Application.Status.ACCEPTED,
        line_manager_comment=m("bob", "lmcomment", "other_member", "manager_y", SU),
        decision_reason=m("bob", "decision", "other_member", "manager_y", SU),
    )
    AnswerFactory(
        application=application_b, text=m("bob", "answer", "other_member", "manager_y", SU)
    )
    allocation_b = SubsidyAllocationFactory(
        scheme=scheme,
        programme=programme_y,
        recipient=bob,
        description=m("bob", "subsidy", "other_member", "manager_y", SU),
    )
    participant_b = ParticipantFactory(
        cohort=cohort_y, user=bob, application=application_b, subsidy_allocation=allocation_b
    )
    work_b = ProjectWorkFactory(
        participant=participant_b,
        title=m("bob", "projecttitle", "other_member", "manager_y", SU),
        summary=m("bob", "projectsummary", "other_member", "manager_y", SU),
    )
    # A head of HR reviews Y's reports: the comment is for Y's managers (and the reviewer,
    # who is no role here), not for bob, X or anyone else.
    reviewer_y = MemberFactory(full_name="Rhiannon Reviewer")
    CohortReviewerFactory(cohort=cohort_y, user=reviewer_y)
    review_b = ProjectReview.objects.create(
        project_work=work_b,
        reviewer=reviewer_y,
        comment=m("reviewer", "reviewcomment", "manager_y", SU),
    )
    ReviewScore.objects.create(
        review=review_b,
        criterion=ReviewCriterionFactory(version=version_y, title="Use of evidence"),
        score=4,
    )
    FeedbackFactory(
        participant=participant_b, comments=m("bob", "feedback", "other_member", "manager_y", SU)
    )

    # Carol completed X's earlier cohort and hides her alumni profile.
    ended_x = EndedCohortFactory(version=version_x, provider=x, slug="x-ended", name="X ended")
    carol = make_alumnus(
        cohort=ended_x,
        full_name="Carol Alumna",
        email=m("carol", "email", "alumni", "manager_x", SU) + "@example.com",
    )
    AlumniProfileFactory(
        user=carol,
        visibility=AlumniProfile.Visibility.HIDDEN,
        bio=m("carol", "bio", "alumni", SU),
        headline=m("carol", "headline", "alumni", SU),
    )
    CareerEntryFactory(user=carol, organisation_name=m("carol", "careerorg", "alumni", SU))
    # Dana completed it too and shows her profile to alumni only, so the directory an
    # alumnus sees is not the one others see: a kept directory given to the wrong one
    # shows (nothing of hers is private to one party, so no marker).
    AlumniProfileFactory(
        user=make_alumnus(cohort=ended_x, full_name="Dana Alumna"),
        visibility=AlumniProfile.Visibility.ALUMNI,
    )
    # Her certificate's code is hers to give (an employer checks it on the public page);
    # bob's place is not completed, so his code confirms nothing.
    certificate = carol.cohort_participations.get()
    w.secret(certificate.certificate_code, "carol's certificate code", "alumni", SU)
    w.secret(participant_b.certificate_code, "bob's certificate code", "other_member", SU)
    w.objects["certificate_codes"] = [certificate.certificate_code, participant_b.certificate_code]
    offer = MentoringOfferFactory(mentor=carol)
    MentoringRequestFactory(
        offer=offer, mentee=bob, message=m("bob", "mentoring", "other_member", "alumni", SU)
    )

    # The talent board's pool: bob is in it; the assessment is not shown to him.
    pool = TalentPoolFactory(owner=board, slug="board-pool", title="Board pool")
    pool_member = TalentPoolMemberFactory(
        pool=pool,
        user=bob,
        skills=m("bob", "poolskills", "other_member", "pool_manager", SU),
        experience=m("bob", "poolexperience", "other_member", "pool_manager", SU),
    )
    TalentAssessmentFactory(
        pool_member=pool_member,
        assessed_by=pool_manager,
        summary=m("bob", "assessment", "pool_manager", SU),
    )
    # Issue 19: the pool's succession plan names bob; a vacancy he matches (he has not
    # agreed to be shown to employers, so its organisation does not see him).
    SuccessorFactory(
        key_role=KeyRoleFactory(pool=pool, incumbent=m("board", "incumbent", "pool_manager", SU)),
        pool_member=pool_member,
        development=m("bob", "development", "pool_manager", SU),
    )
    VacancyFactory(level=pool_member.target_level, region=pool_member.home_region)
    # An ended mentoring of bob by carol: its goals, sessions and reviews are the pair's.
    ended = MentoringRequestFactory(
        offer=offer,
        mentee=bob,
        status="ended",
        goals=m("bob", "goals", "other_member", "alumni", SU),
        mentee_review=m("bob", "review", "other_member", "alumni", SU),
    )
    MentoringSessionFactory(
        relationship=ended, logged_by=bob, notes=m("bob", "session", "other_member", "alumni", SU)
    )

    # Contributions waiting for a moderator (the superuser): alice's story is hers to
    # follow; bob's pledge names its leader on his own list, its text only to moderators
    # (and to him, in his data export).
    CareerStoryFactory(
        author=alice,
        title=m("alice", "storytitle", "member", SU),
        body=m("alice", "storybody", "member", SU),
    )
    SubmittedPledgeFactory(
        submitted_by=bob,
        leader_name=m("bob", "pledgeleader", "other_member", SU),
        statement=m("bob", "pledgestatement", "other_member", SU),  # his data export
    )
    HubArticleFactory(title="Being an ally", slug="being-an-ally")

    # Events: Y's online event, bob booked; his calendar feed token is a marker.
    event_y = EventFactory(
        organiser=y,
        slug="y-event",
        title="Y event",
        online_link="https://meet.example.com/"
        + m("ey", "onlinelink", "other_member", "manager_y", SU),
    )
    booking_y = BookingFactory(event=event_y, member=bob, status=Booking.Status.CONFIRMED)
    # Issue 18: the event's check-in code (the door list and the event admin show it to
    # Y's managers only), an access-needs answer and a message to the attendees.
    Event.objects.filter(pk=event_y.pk).update(checkin_code=m("ey", "code", "manager_y", SU))
    access = EventQuestion.objects.create(event=event_y, order=1, text="Access needs")
    BookingAnswer.objects.create(
        booking=booking_y,
        question=access,
        text=m("bob", "accessneeds", "other_member", "manager_y", SU),
    )
    EventMessage.objects.create(
        event=event_y,
        sent_by=manager_y,
        audience="confirmed",
        subject=m("ey", "messagesubject", "manager_y", SU),
        body="Parking is at the back.",
        recipient_count=1,
        token="matrix-token",
    )
    # Issue 18: bob offers his place to a colleague (transfers allowed to anyone on Y's
    # event): her name is for bob, Y's managers (the transfer admin) and herself.
    Event.objects.filter(pk=event_y.pk).update(transfer_policy=Event.TransferPolicy.ANYONE)
    PlaceTransferFactory(
        booking=booking_y,
        recipient=MemberFactory(full_name=m("tara", "name", "other_member", "manager_y", SU)),
    )
    event_x = EventFactory(organiser=x, slug="x-event", title="X event")
    # An event of Y's that has taken place: the event demand report counts only those, so
    # Y's figures are not X's (a kept report given to the wrong provider shows).
    past = timezone.now() - datetime.timedelta(days=30)
    BookingFactory(
        event=EventFactory(
            organiser=y,
            slug="y-past-event",
            title="Y past event",
            starts_at=past,
            booking_opens_at=past - datetime.timedelta(days=30),
        ),
        member=bob,
        status=Booking.Status.CONFIRMED,
    )
    BookingFactory(event=event_x, member=alice, status=Booking.Status.CONFIRMED)
    CalendarFeedFactory(user=bob, token=m("bob", "feedtoken", "other_member", SU))
    CalendarFeedFactory(user=alice, token=m("alice", "feedtoken", "member", SU))

    # Career resources: a member's own.
    for who, role in [(alice, "member"), (bob, "other_member")]:
        owner = "alice" if who == alice else "bob"
        conversation = CareerConversationFactory(
            member=who, aspirations=m(owner, "aspirations", role, SU)
        )
        ConversationShareFactory(
            conversation=conversation, message=m(owner, "sharemessage", role, SU)
        )
        SelfAssessmentFactory(member=who, reflection=m(owner, "reflection", role, SU))

    # Equality monitoring (answers are choices; the consent version is free text).
    MonitoringRecordFactory(user=bob, consent_version=m("bob", "equality", "other_member", SU))

    # Compacts P and Q ----------------------------------------------------------------
    secretariat_p = MemberFactory(full_name="Pat Secretary")
    steering_q = MemberFactory(full_name="Quinn Steering")
    for key, name, editor in [("p", "Compact P", secretariat_p), ("q", "Compact Q", steering_q)]:
        compact = CompactFactory(name=name, slug=f"compact-{key}")
        role = CompactRole.Role.SECRETARIAT if key == "p" else CompactRole.Role.STEERING
        compact_services.role_grant(compact=compact, user=editor, role=role)
        editor_role = "secretariat_p" if key == "p" else "steering_q"
        steering = GroupFactory(compact=compact, name=f"Steering {key}")
        meeting = MeetingFactory(group=steering, is_public=False)
        DocumentFactory(
            compact=compact,
            meeting=meeting,
            kind=Document.Kind.MINUTES,
            visibility=Document.Visibility.STEERING,
            title=m(key, "minutes", editor_role, SU),
        )
        DocumentFactory(
            compact=compact,
            visibility=Document.Visibility.MEMBERS,
            title=m(key, "membersdoc", editor_role, SU),
        )
        DocumentFactory(compact=compact, title=f"Public report of compact {key}")
        survey = SurveyFactory(
            compact=compact, group=steering, title=m(key, "surveytitle", editor_role, SU)
        )
        question = QuestionFactory(survey=survey)
        invitation = InvitationFactory(
            survey=survey, person=editor, responded_on=datetime.date(2008, 3, 10)
        )
        SurveyAnswerFactory(
            invitation=invitation,
            question=question,
            text=m(key, "surveyanswer", editor_role, SU),
        )
        SubscriptionFactory(compact=compact, user=alice if key == "p" else bob)
        # Issue 19: an action's indicator (members and editors), a seat on the steering
        # group, and a draft e-bulletin (its editors only, until it is sent).
        MembershipFactory(group=steering, person=editor)
        IndicatorFactory(
            action=ActionFactory(plan=PlanFactory(compact=compact), lead_person=None),
            measure=m(key, "indicator", editor_role, SU),
        )
        draft = BulletinFactory(compact=compact, title=m(key, "draftbulletin", editor_role, SU))
        NewsItemFactory(bulletin=draft, title=m(key, "draftnews", editor_role, SU))
        # Issue 19, item 5: terms in force, a draft of the next version and a draft
        # statement of priorities (its editors only, until adopted or published), and the
        # editor's secret meeting feed (reached by its token alone).
        terms = TermsFactory(compact=compact)
        statement = compact_services.statement_draft_create(
            compact=compact,
            year="2030-31",
            starts_on=datetime.date.today() + datetime.timedelta(days=1),
            ends_on=datetime.date.today() + datetime.timedelta(days=366),
            actor=editor,
        )
        compact_services.statement_priority_add(
            statement=statement,
            title=m(key, "draftpriority", editor_role, SU),
            aims=[AimFactory(terms=terms, number="1")],
            actor=editor,
        )
        compact_services.terms_draft_create(
            compact=compact,
            aims=[("1", m(key, "draftaim", editor_role, SU))],
            actor=editor,
            title="Terms of reference",
            purpose=m(key, "draftterms", editor_role, SU),
            mode_of_operation="A steering group.",
            steering_group_role="Agree a plan.",
        )
        _feed, raw = compact_services.member_feed_create(user=editor, compact=compact)
        w.objects.setdefault("member_feed_tokens", []).append(raw)
        w.objects[f"compact_{key}"] = compact

    # A consent alice gave: hers and the superuser's to read (her data export, the admin).
    ConsentRecord.objects.create(
        user=alice,
        purpose="email_bulletins",
        given=True,
        wording=m("alice", "consent", "member", SU),
        source="profile",
    )

    # Email: a reset link (nobody but its recipient, by email, may read it) and an
    # ordinary email carrying an unsubscribe link.
    Client().post("/accounts/password/reset/", {"email": bob.email})
    reset = OutboundEmail.objects.get(to=bob.email)
    link = re.search(r"/accounts/password/reset/key/([0-9A-Za-z]+-[^/\s]+)/", reset.body_text)
    assert link, reset.body_text
    w.secret(link.group(1), "bob's password reset key")
    kind = next(iter(unsubscribe._kinds))
    token = unsubscribe.make_token(user_id=bob.pk, kind=kind)
    w.secret(token, "bob's unsubscribe token", "other_member", SU)
    OutboundEmailFactory(
        to=bob.email,
        recipient=bob,
        subject="New events",
        body_text=f"Unsubscribe: https://talenthub.example{reverse('unsubscribe', args=[token])}",
        headers=unsubscribe.unsubscribe_headers(reverse("unsubscribe", args=[token])),
    )
    w.objects["unsubscribe_token"] = token

    # API tokens: each role but the visitor reads /api/ with its own (the matrix sends it on
    # every request: see the test). A token's value is shown once, to its maker, on the
    # answer to a POST, so no page a role fetches may ever carry one; its name is its
    # owner's, on their token page (and in the audit log the superuser reads).
    roles_users = {
        "member": alice,
        "other_member": bob,
        "alumni": carol,
        "manager_x": manager_x,
        "manager_y": manager_y,
        "pool_manager": pool_manager,
        "analyst": analyst,
        "secretariat_p": secretariat_p,
        "steering_q": steering_q,
        "superuser": superuser,
    }
    w.objects["api_tokens"] = {}
    for role, user in roles_users.items():
        name = m("alice", "apitoken", "member", SU) if role == "member" else f"{role} token"
        _token, raw = api_token_create(user=user, name=name, scope="bookings", expires_in_days=30)
        w.secret(raw, f"{role}'s API token")
        w.objects["api_tokens"][role] = raw

    w.users = {
        "anonymous": None,
        "member": alice,
        "other_member": bob,
        "alumni": carol,
        "manager_x": manager_x,
        "manager_y": manager_y,
        "pool_manager": pool_manager,
        "analyst": analyst,
        "secretariat_p": secretariat_p,
        "steering_q": steering_q,
        "superuser": superuser,
    }
    return w


# URL enumeration ------------------------------------------------------------------------


def walk():
    """Every URL pattern: (route text, namespaced name)."""
    for route, name, _view in walk_views():
        yield route, name


def walk_views(resolver=None, prefix="", namespace=()):
    """Every URL pattern: (route text, namespaced name, the view it calls)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk_views(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = ":".join(namespace + (pattern.name or "",))
            yield prefix + str(pattern.pattern), name, pattern.callback


# Kept pages ----------------------------------------------------------------------------
#
# Pages and parts of pages kept per data version (``talenthub.core.page_cache``, the
# insights reports' ``_kept``) are found from the code, not from a list: a function of the
# portal keeps something if it reads ``data_version``, or names a function that keeps (to
# a fixpoint); a URL pattern keeps if its view (its function, or its class's methods, and
# whatever it wraps) names one. Names are matched, not objects, so the search errs towards
# too many (a name two functions share marks both), which costs the kept sweep a few
# requests. What it cannot see (a keeping call reached through another class's method, or
# from a template tag) the ordinary sweeps catch: they record every request that reached
# the kept machinery (``page_cache.timeout``) and fail on a pattern the search missed.

ROOT = Path(__file__).resolve().parents[1]
NOT_PORTAL = {"tests", "bench"}


def _is_portal(module_name: str) -> bool:
    top = module_name.partition(".")[0]
    return top not in NOT_PORTAL and (ROOT / top / "__init__.py").is_file()


def _code_names(code) -> set[str]:
    """The global and attribute names ``code`` and the functions it defines use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _code_names(const)
    return names


def _function_names(function) -> set[str]:
    """The names a function uses, through its decorators (``__wrapped__``); for a bound
    method, its class's too (an admin view is a method of its ``ModelAdmin``)."""
    names = set()
    while function is not None:
        owner = getattr(function, "__self__", None)
        if owner is not None and not inspect.ismodule(owner):
            names |= _class_names(owner if isinstance(owner, type) else type(owner))
        code = getattr(getattr(function, "__func__", function), "__code__", None)
        if code is not None:
            names |= _code_names(code)
        function = getattr(function, "__wrapped__", None)
    return names


def _class_names(cls) -> set[str]:
    """The names the portal's own methods of ``cls`` (and its bases) use."""
    names = set()
    for klass in cls.__mro__:
        if not _is_portal(klass.__module__):
            continue
        for attribute in vars(klass).values():
            if isinstance(attribute, (staticmethod, classmethod)):
                attribute = attribute.__func__
            elif isinstance(attribute, property):
                attribute = attribute.fget
            if inspect.isfunction(attribute):
                names |= _function_names(attribute)
    return names


def keeping_functions() -> set[str]:
    """The names of the portal's module-level functions that keep something per data
    version, directly or through another."""
    uses = {}
    for name, module in list(sys.modules.items()):
        if module is None or not _is_portal(name):
            continue
        for attribute, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == name:
                uses.setdefault(attribute, set()).update(_function_names(value))
    keeping = {"data_version"}
    while more := {name for name, used in uses.items() if used & keeping} - keeping:
        keeping |= more
    return keeping


def kept_patterns() -> list[tuple]:
    """Every URL pattern whose view can keep something: (route text, namespaced name,
    view)."""
    views = list(walk_views())  # imports the views, and what they import, first
    keeping = keeping_functions()
    kept = []
    for route, name, view in views:
        view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
        names = _function_names(view) | (_class_names(view_class) if view_class else set())
        if names & keeping:
            kept.append((route, name, view))
    return kept


def _pks(model, limit=6):
    pks = model._default_manager.order_by("pk").values_list("pk", flat=True)
    return list(pks[:limit] if limit else pks)


def _ends(model):
    pks = _pks(model, limit=None)
    return sorted({pks[0], pks[-1]}) if pks else []


def _slugs(model, limit=6):
    return list(model._default_manager.order_by("pk").values_list("slug", flat=True)[:limit])


# Capability URLs: whoever holds the token may read the page.
CAPABILITY = {
    "unsubscribe",
    "events:calendar_feed",
    "compact:member_meetings_feed",
    "cohorts:line_manager_support",
    "certificate_verify",
    "account_confirm_email",
    "account_reset_password_from_key",
}


def site_fillings(world: World) -> dict[str, list[dict]]:
    """For each site URL name with parameters: the keyword sets to visit it with."""
    from allauth.mfa.models import Authenticator

    from alumni import models as alumni
    from cohorts import models as cohorts
    from compact import models as compact
    from events import models as events
    from programmes import models as programmes
    from resources import models as resources
    from talenthub.core.models import FunctionalArea, Organisation

    def each(**values):
        keys = list(values)
        return [
            dict(zip(keys, combo, strict=True)) for combo in itertools.product(*values.values())
        ]

    from api.models import ApiToken

    compacts = _slugs(compact.Compact)
    providers = [*Organisation.objects.filter(is_provider=True).values_list("pk", flat=True)[:3]]
    feeds = list(events.CalendarFeed.objects.values_list("token", flat=True))
    return {
        "unsubscribe": each(token=[world.objects["unsubscribe_token"], "not-a-token"]),
        "certificate_verify": each(code=[*world.objects["certificate_codes"], "not-a-code"]),
        # allauth's passkey pages: anyone's authenticators, and an id that is no one's.
        "mfa_remove_webauthn": each(pk=[*_pks(Authenticator), 999_999]),
        "mfa_edit_webauthn": each(pk=[*_pks(Authenticator), 999_999]),
        "account_confirm_email": each(key=["not-a-key"]),
        "account_reset_password_from_key": [{"uidb36": "2", "key": "not-a-key"}],
        "resources:area_detail": each(slug=_slugs(FunctionalArea) or ["none"]),
        "resources:framework_detail": each(slug=_slugs(resources.Framework)),
        "resources:assessment_create": each(slug=_slugs(resources.Framework)),
        "resources:assessment_detail": each(pk=_pks(resources.SelfAssessment)),
        "resources:conversation_detail": each(pk=_pks(resources.CareerConversation)),
        "resources:conversation_update": each(pk=_pks(resources.CareerConversation)),
        "resources:conversation_share": each(pk=_pks(resources.CareerConversation)),
        "programmes:detail": each(slug=_slugs(programmes.Programme)),
        "programmes:alert_stop": each(slug=_slugs(programmes.Programme)),
        "programmes:provider_updates": each(pk=providers),
        "programmes:provider_updates_stop": each(pk=providers),
        "cohorts:programme_alert": each(slug=_slugs(programmes.Programme)),
        "alumni:pool_alert": each(slug=_slugs(programmes.Programme)),
        "events:calendar_feed": each(token=[*feeds, "not-a-token"]),
        "events:booking_cancel": each(pk=_pks(events.Booking)),
        "events:booking_answers": each(pk=_pks(events.Booking)),
        "events:checkin_code_reset": each(slug=_slugs(events.Event)),
        "events:offer_accept": each(pk=_pks(events.Booking)),
        "events:offer_decline": each(pk=_pks(events.Booking)),
        "events:transfer_offer": each(pk=_pks(events.Booking)),
        "events:transfer_respond": each(pk=_pks(events.PlaceTransfer)),
        "events:transfer_decline": each(pk=_pks(events.PlaceTransfer)),
        "events:transfer_withdraw": each(pk=_pks(events.PlaceTransfer)),
        "events:detail": each(slug=_slugs(events.Event)),
        "events:book": each(slug=_slugs(events.Event)),
        "events:booking_alert": each(slug=_slugs(events.Event)),
        "events:booking_alert_stop": each(slug=_slugs(events.Event)),
        "events:ics": each(slug=_slugs(events.Event)),
        "events:door_list": each(slug=_slugs(events.Event)),
        "events:self_check_in": each(slug=_slugs(events.Event)),
        "events:check_in": [
            {"slug": b.event.slug, "pk": b.pk}
            for b in events.Booking.objects.select_related("event").order_by("pk")[:6]
        ],
        "cohorts:application_detail": each(pk=_pks(cohorts.Application)),
        "cohorts:offer_accept": each(pk=_pks(cohorts.Application)),
        "cohorts:offer_decline": each(pk=_pks(cohorts.Application)),
        "cohorts:application_withdraw": each(pk=_pks(cohorts.Application)),
        "cohorts:line_manager_resend": each(pk=_pks(cohorts.Application)),
        "cohorts:line_manager_support": each(token=["not-a-token"]),
        "cohorts:project_work_download": each(pk=_pks(cohorts.ProjectWork)),
        "cohorts:attendance": each(pk=_pks(cohorts.Session)),
        "cohorts:version_feedback": each(pk=_pks(programmes.ProgrammeVersion)),
        "cohorts:cohort_feedback": each(slug=_slugs(cohorts.Cohort)),
        "cohorts:participant_import": each(slug=_slugs(cohorts.Cohort)),
        "cohorts:completion": each(slug=_slugs(cohorts.Cohort)),
        "cohorts:project_review": each(
            slug=_slugs(cohorts.Cohort, limit=3), pk=_pks(cohorts.ProjectWork, limit=3)
        ),
        **{
            f"cohorts:{name}": each(slug=_slugs(cohorts.Cohort))
            for name in [
                "detail",
                "apply",
                "participant_home",
                "project_work",
                "project_reports",
                "feedback",
                "certificate",
                "certificate_pdf",
            ]
        },
        "alumni:profile": each(pk=_pks(alumni.AlumniProfile)),
        "alumni:photo": each(pk=_pks(alumni.AlumniProfile)),
        "alumni:career_edit": each(pk=_pks(alumni.CareerEntry)),
        "alumni:mentoring_action": each(pk=_pks(alumni.MentoringRequest)),
        "alumni:pool": each(slug=_slugs(programmes.Programme)),
        "alumni:pool_import": each(slug=_slugs(programmes.Programme)),
        "alumni:assessment": each(pk=_pks(alumni.TalentPoolMember)),
        "alumni:mobility": each(pk=_pks(alumni.TalentPoolMember)),
        "alumni:vacancy_close": each(pk=_pks(alumni.Vacancy) or [1]),
        **{
            f"alumni:{name}": each(slug=_slugs(programmes.Programme))
            for name in ["pool_members", "pool_member_add", "succession", "key_role_create"]
        },
        "alumni:pool_member": each(pk=_pks(alumni.TalentPoolMember)),
        "alumni:pool_member_remove": each(pk=_pks(alumni.TalentPoolMember)),
        "alumni:key_role": each(pk=_pks(alumni.KeyRole) or [1]),
        "alumni:vacancy_candidates": each(pk=_pks(alumni.Vacancy) or [1]),
        "alumni:relationship": each(pk=_pks(alumni.MentoringRequest)),
        "alumni:story": each(pk=_pks(alumni.CareerStory) or [1]),
        "alumni:moderate_story": each(pk=_pks(alumni.CareerStory) or [1]),
        "alumni:moderate_pledge": each(pk=_pks(alumni.Pledge) or [1]),
        "resources:journey_detail": each(slug=[*_slugs(resources.HubArticle), "none"]),
        **{
            f"compact:{name}": each(slug=compacts)
            for name in [
                "detail",
                "terms_list",
                "charter",
                "group_list",
                "action_list",
                "action_health",
                "meeting_list",
                "attendance_report",
                "document_list",
                "survey_list",
                "bulletin_list",
                "bulletin_subscribe",
                "indicator_progress",
                "priorities_archive",
                "secretariat",
                "bulletin_drafts",
                "survey_create",
                "terms_manage",
                "terms_draft_create",
                "statement_manage",
                "charter_manage",
                "member_feed",
            ]
        },
        **{
            f"compact:{name}": each(slug=compacts, pk=_pks(compact.Action) or [1])
            for name in ["action_edit", "action_complete"]
        },
        "compact:indicator_edit": each(slug=compacts, pk=_pks(compact.Indicator) or [1]),
        "compact:signatory_add": each(slug=compacts, pk=_pks(compact.CharterVersion) or [1]),
        "compact:signatory_withdraw": each(slug=compacts, pk=_pks(compact.CharterSignatory) or [1]),
        **{
            f"compact:{name}": each(slug=compacts, pk=_pks(compact.TermsOfReference))
            for name in ["terms_draft_edit", "terms_adopt"]
        },
        **{
            f"compact:{name}": each(slug=compacts, pk=_pks(compact.PrioritiesStatement))
            for name in ["statement_compose", "statement_edit", "statement_publish"]
        },
        "compact:member_meetings_feed": each(
            slug=compacts, token=[*world.objects["member_feed_tokens"], "not-a-token"]
        ),
        "compact:charter_version": each(slug=compacts, pk=_pks(compact.CharterVersion) or [1]),
        "compact:action_create": each(slug=compacts, plan_pk=_pks(compact.ActionPlan) or [1]),
        "compact:indicator_add": each(slug=compacts, pk=_pks(compact.Action) or [1]),
        "compact:indicator_record": each(slug=compacts, pk=_pks(compact.Indicator) or [1]),
        "compact:group_meetings_ics": each(slug=compacts, group_pk=_pks(compact.Group)),
        "compact:group_members": each(slug=compacts, group_pk=_pks(compact.Group)),
        "compact:meeting_schedule": each(slug=compacts, group_pk=_pks(compact.Group)),
        "compact:membership_end": each(slug=compacts, pk=_pks(compact.GroupMembership)),
        "compact:survey_compose": each(slug=compacts, pk=_pks(compact.Survey)),
        "compact:survey_send": each(slug=compacts, pk=_pks(compact.Survey)),
        "compact:bulletin_compose": each(slug=compacts, pk=_pks(compact.Bulletin)),
        "compact:bulletin_send": each(slug=compacts, pk=_pks(compact.Bulletin)),
        "compact:terms_detail": each(slug=compacts, version=[1, 2]),
        "compact:action_detail": each(slug=compacts, pk=_pks(compact.Action) or [1]),
        "compact:meeting_record": each(slug=compacts, group_pk=_pks(compact.Group)),
        **{
            f"compact:{name}": each(slug=compacts, pk=_pks(compact.Meeting))
            for name in [
                "meeting_detail",
                "meeting_hold",
                "meeting_document",
                "meeting_cancel",
                "meeting_move",
                "meeting_ics",
                "subgroup_report",
            ]
        },
        "compact:document_download": each(slug=compacts, pk=_pks(compact.Document)),
        "compact:survey_detail": each(slug=compacts, pk=_pks(compact.Survey)),
        "compact:survey_respond": each(slug=compacts, pk=_pks(compact.Survey)),
        "compact:bulletin_detail": each(slug=compacts, number=[1]),
        "api_token_revoke": each(pk=_pks(ApiToken, limit=None)),
        # The API, read with each role's own token.
        "api:v1:programme-detail": each(slug=_slugs(programmes.Programme)),
        "api:v1:cohort-detail": each(slug=_slugs(cohorts.Cohort)),
        "api:v1:managed-cohort-detail": each(slug=_slugs(cohorts.Cohort)),
        "api:v1:event-detail": each(slug=_slugs(events.Event)),
        "api:v1:framework-detail": each(slug=_slugs(resources.Framework) or ["none"]),
        **{
            f"api:v1:{name}": each(slug=compacts)
            for name in ["compact-documents", "compact-meetings", "compact-priorities"]
        },
        **{
            f"api:v1:{name}": each(pk=_pks(events.Booking))
            for name in [
                "my-booking-detail",
                "my-booking-cancel",
                "my-offer-accept",
                "my-offer-decline",
            ]
        },
        "api:v1:my-application-detail": each(pk=_pks(cohorts.Application)),
    }


PARAMS = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Visit:
    url: str
    capability: bool = False  # reached by its own secret: markers not checked
    # The admin URL pattern this visit fills. The admin turns away anyone who is not
    # staff before it looks at the URL's objects, so others visit each pattern once.
    pattern: str = ""
    # A changelist with a query: visited by roles to whom the plain changelist opened
    # (the same permission check comes first; a refusal would only repeat).
    needs: str = ""
    # A hostile value (``=abc``): it looks for a 5xx, which depends on the admin's
    # scoping, not on whose data it is, so only ``HOSTILE_ROLES`` send it.
    hostile: bool = False


def site_visits(world: World, unfilled: list) -> list[Visit]:
    fillings = site_fillings(world)
    visits = []
    for route, name in walk():
        if route.startswith("admin/"):
            continue
        params = [a or b for a, b in PARAMS.findall(route)]
        if not params:
            visits.append(Visit(reverse(name)))
            continue
        if name not in fillings:
            unfilled.append(f"{route} ({name})")
            continue
        for kwargs in fillings[name]:
            visits.append(Visit(reverse(name, kwargs=kwargs), capability=name in CAPABILITY))
    return visits


def _autocomplete_fields(model_admin) -> set[str]:
    fields = set(getattr(model_admin, "autocomplete_fields", ()) or ())
    return fields


def admin_visits(world: World, superuser_client: Client, unfilled: list) -> list[Visit]:
    """Every admin URL pattern, filled with every object of its model."""
    registry = admin.site._registry
    prefixes = {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model for model in registry
    }
    visits = []
    for route, name in walk():
        if not route.startswith("admin/"):
            continue
        params = [a or b for a, b in PARAMS.findall(route)]
        model = next((m for p, m in prefixes.items() if route.startswith(p)), None)
        if name == "admin:view_on_site":
            for ct_model in {*registry, CalendarFeed}:
                if not hasattr(ct_model, "get_absolute_url"):
                    continue
                ct = ContentType.objects.get_for_model(ct_model)
                visits += [Visit(f"/admin/r/{ct.pk}/{pk}/", pattern=route) for pk in _pks(ct_model)]
            visits.append(Visit(f"/admin/r/{ct.pk}/not-a-number/", pattern=route))
        elif name == "admin:app_list":
            labels = sorted({model._meta.app_label for model in registry})
            visits += [
                Visit(reverse(name, kwargs={"app_label": label}), pattern=route) for label in labels
            ]
        elif name == "admin:" and route.endswith("(?P<url>.*)$"):
            visits.append(Visit("/admin/no-such-page/", pattern=route))
        elif name == "admin:autocomplete":
            visits += autocomplete_visits(world, route)
        elif not params:
            visits.append(Visit("/" + route, pattern=route))
            if name.endswith("_changelist") and model is not None:
                visits += changelist_variations(model, superuser_client, route)
        elif model is not None and set(params) <= {"object_id", "id", "pk"}:
            # The first and the last object of the model: the world makes provider X's,
            # compact P's and alice's first, provider Y's, compact Q's and bob's last.
            pks = _ends(model)
            if route.endswith("<path:object_id>/"):
                pks = pks[:1]  # the old address of the change page: a redirect to it
            if route.endswith("/change/"):
                pks = [*pks, "not-a-number"]
            for pk in pks:
                visits.append(Visit("/" + PARAMS.sub(str(pk), route), pattern=route))
        else:
            unfilled.append(f"{route} ({name})")
    return visits


def autocomplete_visits(world: World, route: str) -> list[Visit]:
    visits = []
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin] + [
            inline(model, admin.site) for inline in getattr(model_admin, "inlines", [])
        ]
        for source in admins:
            for field_name in _autocomplete_fields(source):
                query = {
                    "app_label": source.model._meta.app_label,
                    "model_name": source.model._meta.model_name,
                    "field_name": field_name,
                }
                for extra in [{"term": ""}, {"term": "priv"}, {"term": "", "page": "abc"}]:
                    url = "/admin/autocomplete/?" + urlencode({**query, **extra})
                    visits.append(Visit(url, pattern=route, hostile="page" in extra))
    return visits


FILTER_LINK = re.compile(r'href="\?([^"#]*)"')


def changelist_variations(model, superuser_client: Client, route: str) -> list[Visit]:
    """A changelist searched for the markers, and filtered by each parameter of its
    filter sidebar (as the superuser sees it): with the last value the sidebar offers
    (another party's object, often) and with a hostile one."""
    path = "/" + route
    visits = [Visit(path + "?q=priv", pattern=route, needs=path)]
    html = superuser_client.get(path).content.decode()
    _before, _marker, sidebar = html.partition('id="changelist-filter"')
    values = {}
    for query in FILTER_LINK.findall(sidebar):
        for pair in query.replace("&amp;", "&").split("&"):
            name, _eq, value = pair.partition("=")
            if value and name not in {"q", "o", "p", "e", "_changelist_filters", "_facets"}:
                values[name] = value
    for name, value in sorted(values.items()):
        visits.append(Visit(f"{path}?{name}={value}", pattern=route, needs=path))
        visits.append(Visit(f"{path}?{name}=abc", pattern=route, needs=path, hostile=True))
    return visits


# The check -------------------------------------------------------------------------------


def response_text(response) -> str:
    """The body as text, read once (a streaming body can be read only once)."""
    if not hasattr(response, "_matrix_text"):
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        response._matrix_text = body.decode(errors="replace")
    return response._matrix_text


@dataclass
class Sweep:
    world: World
    violations: list = field(default_factory=list)
    seen: set = field(default_factory=set)  # markers seen by a role allowed to see them
    requests: int = 0
    # Calls of the kept machinery during the request under way (``record_kept_machinery``),
    # and the paths whose requests made one.
    keeping: list = field(default_factory=list)
    reached_kept: set = field(default_factory=set)

    def get(self, client: Client, url: str):
        self.keeping.clear()
        response = client.get(url)
        if self.keeping:
            self.reached_kept.add(urlsplit(url).path)
        return response

    def check(self, role: str, url: str, response, *, capability: bool) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.violations.append((role, url, f"HTTP {response.status_code}"))
        if capability:
            return
        text = response.headers.get("Location", "") + response_text(response)
        found = {hit.lower() for hit in MARKER.findall(text)}
        found |= {value for value in self.world.secrets if value in text}
        for marker in sorted(found):
            allowed = self.world.allowed.get(marker)
            if allowed is None:
                self.violations.append((role, url, f"unregistered marker {marker}"))
            elif role in allowed:
                self.seen.add(marker)
            else:
                label = self.world.secrets.get(marker, marker)
                self.violations.append((role, url, label))


def visit(sweep: Sweep, role: str, client: Client, item: Visit, opened: set) -> None:
    if item.needs and item.needs not in opened:
        return
    if item.hostile and role not in HOSTILE_ROLES:
        return
    response = sweep.get(client, item.url)
    if response.status_code == 200:
        opened.add(item.url)
    sweep.check(role, item.url, response, capability=item.capability)
    location = response.headers.get("Location")
    if response.status_code in (301, 302, 303, 307, 308) and location:
        target = urlsplit(location)
        if target.netloc in ("", "testserver"):
            followed = target.path + (f"?{target.query}" if target.query else "")
            # A redirect to the sign-in page carries nothing; anything else is fetched.
            if not target.path.startswith(("/accounts/login/", "/admin/login/")):
                again = sweep.get(client, followed)
                sweep.check(role, f"{item.url} -> {followed}", again, capability=False)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = str(tmp_path_factory.mktemp("media"))
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=media,
        ),
        transaction.atomic(),
    ):
        built = build_world()
        built.objects["media_root"] = media
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def quiet_request_log():
    """Thousands of 403s and 404s are expected; a 5xx is caught by its status code."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


# The shares ------------------------------------------------------------------------------

# Which test file sweeps which roles: every role in exactly one share (checked by
# ``test_every_role_is_swept_once``). Staff visit every admin URL, so they are the
# expensive roles; the shares balance them (the superuser's pages are the heaviest).
ROLE_SHARES = {
    "test_permission_matrix.py": [
        "anonymous",
        "member",
        "other_member",
        "alumni",
        "analyst",
        "superuser",
    ],
    "test_permission_matrix_managers.py": [
        "manager_x",
        "manager_y",
        "pool_manager",
        "secretariat_p",
        "steering_q",
    ],
}


def markers_owned_by(world: World, share: str) -> set[str]:
    """The markers ``share`` answers for: those whose first share (in ``ROLE_SHARES``
    order) holding a role allowed to see them is ``share``. Each marker that any role
    may see is owned by exactly one share, so the shares together check every marker.
    A little stricter than one sweep of every role: a marker the first share's roles may
    see must be shown to one of them (the superuser, in that share, may see nearly all)."""
    owner = {}
    for marker, allowed in world.allowed.items():
        owner[marker] = next(
            (name for name, roles in ROLE_SHARES.items() if allowed & set(roles)), None
        )
    return {marker for marker, name in owner.items() if name == share}


def prepare_sweep(world: World, settings, monkeypatch) -> None:
    from rest_framework.throttling import SimpleRateThrottle

    settings.MEDIA_ROOT = world.objects["media_root"]
    # No rate limit: a 429 would hide what a page shows.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": None, "address": None})


def record_kept_machinery(sweep: Sweep, monkeypatch) -> None:
    """Note in ``sweep.keeping`` each time the kept machinery asks ``page_cache.timeout``
    (as ``kept_fragment``, ``cache_public_page`` for a visitor with no cookie, and the
    insights reports' ``_kept`` all do first, keeping on or off); not a save's signal."""
    from talenthub.core import page_cache

    timeout = page_cache.timeout

    def noted_timeout():
        if sys._getframe(1).f_code.co_name != "_changed":
            sweep.keeping.append(True)
        return timeout()

    monkeypatch.setattr(page_cache, "timeout", noted_timeout)


def unfound_kept_pages(sweep: Sweep) -> list[str]:
    """Paths whose requests reached the kept machinery though ``kept_patterns`` does not
    find their pattern: the kept sweep would not visit them."""
    from django.urls import resolve

    found = {view for _route, _name, view in kept_patterns()}
    matches = {path: resolve(path) for path in sweep.reached_kept}
    return sorted(f"{path} ({m.view_name})" for path, m in matches.items() if m.func not in found)


def role_client(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    login_as(client, world.users[role])
    if role in world.objects["api_tokens"]:
        # Sent everywhere; only /api/ reads it (the site signs in by session alone).
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.objects['api_tokens'][role]}"
    return client


def sweep_share(world: World, share: str, settings, monkeypatch) -> None:
    """Fetch every URL as each role of ``share`` (a key of ``ROLE_SHARES``); fail once
    with every violation, then with every marker the share owns that none of its roles
    saw."""
    roles = ROLE_SHARES[share]
    prepare_sweep(world, settings, monkeypatch)
    superuser = Client()
    login_as(superuser, world.users[SU])
    unfilled = []
    visits = site_visits(world, unfilled) + admin_visits(world, superuser, unfilled)
    assert not unfilled, "URL patterns the matrix does not visit:\n" + "\n".join(unfilled)
    once_per_pattern = []
    for item in visits:
        if not item.pattern or item.pattern not in {v.pattern for v in once_per_pattern}:
            once_per_pattern.append(item)

    sweep = Sweep(world)
    record_kept_machinery(sweep, monkeypatch)
    started = time.monotonic()
    for role in roles:
        user = world.users[role]
        client = role_client(world, role)
        opened = set()
        for item in visits if user is not None and user.is_staff else once_per_pattern:
            visit(sweep, role, client, item, opened)
    elapsed = time.monotonic() - started

    report = [f"{role:14} {url}  {what}" for role, url, what in sweep.violations]
    assert not report, (
        f"{len(report)} violations in {sweep.requests} requests ({elapsed:.0f} s):\n"
        + "\n".join(report)
    )
    # Each marker must have been seen by someone allowed to see it: otherwise it was
    # planted where no page shows it and proves nothing. This share answers for the
    # markers it owns (``markers_owned_by``).
    unseen = sorted(markers_owned_by(world, share) - sweep.seen)
    assert not unseen, f"markers no allowed role of {roles} ever saw: {unseen}"
    # The kept sweep (test_permission_matrix_kept.py) visits the patterns the code search
    # finds; a request that kept, or could have kept, anywhere else must fail here.
    assert sweep.reached_kept, "no request reached the kept machinery: is the note broken?"
    unfound = unfound_kept_pages(sweep)
    assert not unfound, "pages that can keep but kept_patterns() does not find:\n" + "\n".join(
        unfound
    )


# The kept sweep ------------------------------------------------------------------------------

# The kept pages issue 16 made, by URL name: the search (``kept_patterns``) must find each.
KEPT_PAGES = {
    "alumni:index",
    "alumni:outcomes",
    "cohorts:manage",
    "compact:action_list",
    "compact:action_health",
    "compact:meeting_list",
    "compact:detail",
    "events:index",
    "events:detail",
    "insights:compacts",
    "insights:programmes",
    "insights:events",
    "profile",
    "programmes:index",
    "programmes:detail",
}
# The keys page_cache and the insights reports keep copies under.
KEPT_KEYS = (
    "talenthub:kept-page:",
    "talenthub:kept-fragment:",
    "talenthub:insights:",
    "talenthub:admin-choices:",  # admin list filters and date hierarchies (admin_filters)
)
# What two fetches of one page by one reader may differ in.
NOISE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"'), r'\1"'),
    # The bulk message form's one-time key (talenthub.core.admin_messages), new each render.
    (re.compile(r'(name="token" value=")[^"]*"'), r'\1"'),
    # The event add page's self check-in code: a new unsaved event's random default,
    # drawn again on each render (events.models._new_checkin_code).
    (re.compile(r'(field-checkin_code">.*?<div class="readonly">)\w*(</div>)', re.S), r"\1\2"),
]


def normalised(response) -> tuple:
    text = response_text(response)
    for pattern, replacement in NOISE:
        text = pattern.sub(replacement, text)
    return response.status_code, response.headers.get("Location", ""), text


def privilege_order(world: World) -> list[str]:
    """The roles, the one allowed to see the most markers first (``ROLES`` order in a tie)."""
    sees = {role: sum(role in allowed for allowed in world.allowed.values()) for role in ROLES}
    return sorted(ROLES, key=lambda role: -sees[role])


def sweep_kept(world: World, settings, monkeypatch) -> dict[str, list[int]]:
    """Fetch every URL of a pattern that can keep something (``kept_patterns``) as every
    role, first with nothing kept (each role's own page), then with keeping on, in a
    Redis every worker would share (the test's own key prefix: ``conftest._own_cache``),
    in two orders: the role that may see the most first, then the one that may see the
    least first, each from a new data version. In an order every role reads what the
    first role sharing its key kept, so a key that joins two readers who should get
    different pages gives one of them the other's page: it must equal the role's own
    (but for ``NOISE``) and show no marker the role may not see. Most privileged first,
    such a key shows as a leak; least privileged first, as a privileged reader short of
    what they may see. Fails once, with every violation and difference; returns, per URL
    name, how many copies were kept and how many were served."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from django.urls import resolve

    from talenthub.core import page_cache

    prepare_sweep(world, settings, monkeypatch)
    kept = kept_patterns()
    names = {name for _route, name, _view in kept}
    assert not KEPT_PAGES - names, f"kept pages the search missed: {KEPT_PAGES - names}"
    views = {view for _route, _name, view in kept}
    unfilled = []
    visits = site_visits(world, unfilled)
    if any(route.startswith("admin/") for route, _name, _view in kept):
        visits += admin_visits(world, role_client(world, SU), unfilled)
    assert not unfilled, "URL patterns the matrix does not visit:\n" + "\n".join(unfilled)
    visits = [item for item in visits if resolve(urlsplit(item.url).path).func in views]
    clients = {role: role_client(world, role) for role in ROLES}

    def fetch(role, url):
        if world.users[role] is None:
            clients[role].cookies.clear()  # a visitor with no cookie: whole pages are kept
        response = clients[role].get(url)
        # A message queued by this response (an admin page's "... doesn't exist" on a
        # redirect) would show on whichever page the role fetched next, and the two passes
        # fetch in different orders: each fetch starts with none waiting.
        clients[role].cookies.pop(CookieStorage.cookie_name, None)
        return response

    # Each role's own page, nothing kept.
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 0}
    own = {(role, item.url): normalised(fetch(role, item.url)) for item in visits for role in ROLES}

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    backend = type(caches["default"])
    assert issubclass(backend, RedisCache), f"{backend} is no shared cache"
    copies = {"set": 0, "get": 0}
    real_get, real_get_many, real_set = backend.get, backend.get_many, backend.set

    def counted_get(self, key, default=None, version=None):
        value = real_get(self, key, default, version)
        copies["get"] += value is not None and key.startswith(KEPT_KEYS)
        return value

    def counted_get_many(self, keys, version=None):
        # page_cache reads the data version with a copy kept as (version, copy): served
        # when the two agree.
        found = real_get_many(self, keys, version)
        current = found.get(page_cache.VERSION_KEY)
        copies["get"] += sum(
            key.startswith(KEPT_KEYS) and value[0] == current for key, value in found.items()
        )
        return found

    def counted_set(self, key, value, timeout=None, version=None):
        copies["set"] += key.startswith(KEPT_KEYS)
        return real_set(self, key, value, timeout, version)

    monkeypatch.setattr(backend, "get", counted_get)
    monkeypatch.setattr(backend, "get_many", counted_get_many)
    monkeypatch.setattr(backend, "set", counted_set)
    sweep = Sweep(world)
    differences = []
    counts = {}  # URL name -> [copies kept, copies served]
    started = time.monotonic()
    for order in (privilege_order(world), privilege_order(world)[::-1]):
        page_cache.bump_data_version()  # nothing the last order kept is served
        for item in visits:
            count = counts.setdefault(resolve(urlsplit(item.url).path).view_name, [0, 0])
            for role in order:
                copies.update(set=0, get=0)
                response = fetch(role, item.url)
                assert page_cache.cache_is_shared(), "Redis answered from this process"
                count[0] += copies["set"]
                count[1] += copies["get"]
                sweep.check(role, item.url, response, capability=item.capability)
                got = normalised(response)
                if got != own[(role, item.url)]:
                    like = [other for other in order if own[(other, item.url)] == got]
                    differences.append(
                        f"{order[0]} first: {role:14} {item.url}  page differs"
                        f" (status {got[0]}), as {like or 'nobody'} get it"
                    )
    elapsed = time.monotonic() - started

    report = [f"{role:14} {url}  {what}" for role, url, what in sweep.violations] + differences
    assert not report, (
        f"{len(report)} violations in {sweep.requests} requests ({elapsed:.0f} s):\n"
        + "\n".join(report)
    )
    # Keeping was on: each kept page of issue 16 kept a copy for someone.
    unkept = sorted(name for name in KEPT_PAGES if not counts.get(name, [0])[0])
    assert not unkept, f"kept pages that kept nothing: {unkept}"
    return counts
