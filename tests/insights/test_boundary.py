"""Nobody but its person ever sees a monitoring record: not a member, not a programme
manager, not an analyst, not a superuser; not in a page, the admin, an export, a data
download or an email. Analysts see aggregates only.

Every route of the site is opened: those without parameters as each kind of user, those
with parameters filled with the owner's own objects (a pattern that cannot be filled is
listed, with the reason, in ``UNFILLED`` or ``NOT_THE_OWNERS``), as a superuser and as
the owner; the owner's distinctive answers are looked for in every response."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from insights.choices import CHARACTERISTICS
from insights.models import MonitoringRecord
from talenthub.core.models import ConsentRecord, OutboundEmail, SignInEvent
from tests.factories import ManagerFactory, MemberFactory
from tests.mfa import totp_enrol
from tests.spreadsheets import xlsx_rows

from .builders import ended_cohort, journey

pytestmark = pytest.mark.django_db

# The owner's eight answers. Five have labels found nowhere else in the portal, so finding
# one on a page would be a leak; "Female", "Yes" and "No" (sex, gender identity,
# disability) are on many pages for other reasons and are not looked for.
RARE = {
    "ethnicity": "white_gypsy_traveller",
    "sex": "female",
    "gender_identity": "no",
    "sexual_orientation": "other",
    "disability": "yes",
    "religion": "buddhist",
    "age_band": "65_plus",
    "caring_responsibilities": "adults",
}
NOT_DISTINCTIVE = {"sex", "gender_identity", "disability"}
RARE_TEXTS = [
    *(
        str(CHARACTERISTICS[name].choices(value).label)
        for name, value in RARE.items()
        if name not in NOT_DISTINCTIVE
    ),
    "Gypsy or Irish Traveller",  # the category without its group
    "white_gypsy_traveller",  # stored values, e.g. in a form or a JSON dump
    "65_plus",
]


def _patterns(resolver=None, prefix=""):
    """Every URL pattern of the site: (route with its prefixes, name, pattern)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for sub_route, name, sub in _patterns(pattern, route):
                yield sub_route, (namespace + name if name else None), sub
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name, pattern


def _takes_parameters(route: str) -> bool:
    return "<" in route or "(?P" in route


def _plain_paths():
    """Every URL of the site that takes no parameters."""
    for route, _name, _pattern in _patterns():
        if not _takes_parameters(route):
            yield "/" + route


@pytest.fixture
def owner(db):
    """A member who answered every question (``RARE``) and who applied to and completed
    a cohort (``world`` gives them rows everywhere else)."""
    cohort = ended_cohort()
    application = journey(cohort, "completed", answers=RARE, level=3)
    return application.applicant


def test_the_record_is_in_no_admin_page_nor_inline():
    assert not admin.site.is_registered(MonitoringRecord)
    for model_admin in admin.site._registry.values():
        for inline in getattr(model_admin, "inlines", []):
            assert inline.model is not MonitoringRecord, model_admin


def test_the_model_defines_no_permission_to_see_records():
    codenames = {codename for codename, _name in MonitoringRecord._meta.permissions}
    assert codenames == {"view_equality_insights"}
    assert MonitoringRecord._meta.default_permissions == ()


@pytest.mark.parametrize("who", ["member", "manager", "analyst", "superuser"])
def test_no_page_of_the_site_shows_another_persons_answers(client, owner, world, who, analyst):
    viewer = {
        "member": lambda: MemberFactory(),
        "manager": lambda: ManagerFactory(),
        "analyst": lambda: analyst,
        "superuser": lambda: MemberFactory(is_superuser=True, is_staff=True),
    }[who]()
    client.force_login(viewer)
    paths = sorted(set(_plain_paths()))
    assert "/insights/journey/" in paths and "/accounts/equality/" in paths
    skipped = {"/accounts/logout/"}
    for path in paths:
        if path in skipped:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.content.decode(errors="replace")
        if path == "/accounts/equality/answer/":
            # The form lists every answer as an option; none is checked (not the owner's).
            assert "checked" not in body
            continue
        for text in RARE_TEXTS:
            assert text not in body, (path, text)
    # The admin: every change list and the owner's own user and profile pages.
    for model in admin.site._registry:
        if viewer.is_superuser:
            meta = model._meta
            body = client.get(f"/admin/{meta.app_label}/{meta.model_name}/").content.decode()
            assert not any(text in body for text in RARE_TEXTS), meta.label
    if viewer.is_superuser:
        body = client.get(f"/admin/core/user/{owner.pk}/change/").content.decode()
        assert not any(text in body for text in RARE_TEXTS)


# Parameterised routes ----------------------------------------------------------------------

# Patterns that are not opened, and why. Every other pattern with parameters is opened.
UNFILLED = {
    "account_confirm_email": "allauth's signed one-off key, for a visitor confirming an "
    "address; the page shows that address only",
    "account_reset_password_from_key": "allauth's signed one-off key, for a signed-out "
    "visitor setting a password; it shows no record",
    "admin/(?P<url>.*)": "the admin's catch-all: any other admin path is a 404",
    "mfa_remove_webauthn": "allauth looks the passkey up among the signed-in person's own "
    "(its queryset is filtered by request.user); it shows the key's name only",
    "mfa_edit_webauthn": "as mfa_remove_webauthn",
    "unsubscribe": "a signed token for one person's kind of bulk email; the page names the "
    "kind of email only, never a record",
}
# Admin models of which the owner has no row of their own (reference data, or records
# about organisations, compacts or programmes rather than people): their change pages
# are not opened; their change lists are, in the test above.
NOT_THE_OWNERS = {
    "auth.group": "permission groups, not people's records",
    "sites.site": "the site's domain",
    "core.functionalarea": "reference data of the career resources",
    "programmes.subsidyscheme": "a funder's scheme; the owner's place is an allocation",
    "resources.pathwaylevel": "reference data of the career pathway",
    "resources.pathwaystep": "reference data of the career pathway",
    "resources.developmentopportunity": "reference data of the career pathway",
    "resources.competency": "reference data of a framework",
    "resources.wheelitem": "reference data of the career wheel",
    "cohorts.applicationquestion": "a programme's question; the owner's answers are "
    "on the application",
    "compact.prioritiesstatement": "a compact's priorities",
    "compact.surveyanswer": "the owner's invitation is opened, which holds their answers",
    "compact.bulletinsubscription": "a subscription of an email address to a compact",
    "resources.hubarticle": "published hub content (entry routes, journeys), not a record",
    "cohorts.reviewcriterion": "a version's scoring criterion; the owner's report's review "
    "is opened",
}


@pytest.fixture
def world(owner):
    """The owner's rows in every part of the portal, and one of each thing their pages
    are about, keyed as the URL kwargs and admin models name them."""
    from django.contrib.contenttypes.models import ContentType

    from alumni.models import AlumniProfile, CareerEntry
    from api.services import api_token_create
    from cohorts.models import Application
    from cohorts.services import line_manager_token
    from compact import services as compact_services
    from compact.models import CompactRole
    from tests.alumni import factories as alumni
    from tests.cohorts import factories as cohorts
    from tests.compact import factories as compact
    from tests.events import factories as events
    from tests.factories import (
        AuditLogFactory,
        FunctionalAreaFactory,
        OutboundEmailFactory,
    )
    from tests.programmes import factories as programmes
    from tests.resources import factories as resources

    application = Application.objects.select_related("cohort__version__programme").get(
        applicant=owner
    )
    application.line_manager_email = "line.manager@example.com"
    application.save()
    cohort = application.cohort
    participant = application.participant
    session = cohorts.SessionFactory(cohort=cohort)
    cohorts.AttendanceFactory(session=session, participant=participant)
    feedback = cohorts.FeedbackFactory(participant=participant)
    project = cohorts.ProjectWorkFactory(
        participant=participant, file=cohorts.upload("report.pdf", cohorts.pdf_bytes())
    )
    programme = cohort.version.programme
    alumni_profile = alumni.AlumniProfileFactory(user=owner)
    offer = alumni.MentoringOfferFactory(mentor=owner)
    mentoring = alumni.MentoringRequestFactory(offer=offer)
    story = alumni.PublishedStoryFactory(author=owner)
    pool = alumni.TalentPoolFactory()
    pool_member = alumni.TalentPoolMemberFactory(pool=pool, user=owner)
    completed = cohorts.CompletedParticipantFactory(user=owner, cohort=cohorts.EndedCohortFactory())
    vacancy = alumni.VacancyFactory()
    event = events.EventFactory()
    booking = events.BookingFactory(event=event, member=owner)
    feed = events.CalendarFeedFactory(user=owner)
    # The owner has been offered a colleague's place (issue 18, place transfers).
    transfer = events.PlaceTransferFactory(recipient=owner)
    framework = resources.FrameworkFactory()
    area = FunctionalAreaFactory()
    assessment = resources.SelfAssessmentFactory(member=owner, framework=framework)
    conversation = resources.CareerConversationFactory(member=owner)
    share = resources.ConversationShareFactory(conversation=conversation)
    the_compact = compact.CompactFactory()
    terms = compact.TermsFactory(compact=the_compact)
    group = compact.GroupFactory(compact=the_compact)
    membership = compact.MembershipFactory(group=group, person=owner)
    meeting = compact.MeetingFactory(group=group)
    compact.AttendanceFactory(meeting=meeting, person=owner)
    charter = compact.CharterFactory(compact=the_compact)
    signatory = compact.SignatoryFactory(charter=charter, senior_representative=owner)
    plan = compact.PlanFactory(compact=the_compact)
    action = compact.ActionFactory(plan=plan, lead_person=owner)
    document = compact.DocumentFactory(compact=the_compact)
    survey = compact.SurveyFactory(compact=the_compact, group=group)
    invitation = compact.InvitationFactory(survey=survey, person=owner)
    bulletin = compact.BulletinFactory(compact=the_compact)
    role = compact.RoleFactory(
        compact=the_compact, user=owner, role=CompactRole.Role.REPRESENTATIVE
    )
    franchise = programmes.FranchiseFactory(programme=programme)
    allocation = programmes.SubsidyAllocationFactory(programme=programme, recipient=owner)
    from cohorts.models import ProjectReview
    from tests.factories import MemberFactory

    review = ProjectReview.objects.create(
        project_work=project, reviewer=MemberFactory(), comment="A clear plan."
    )
    pledge = alumni.SubmittedPledgeFactory(submitted_by=owner)
    key_role = alumni.KeyRoleFactory(pool=pool)
    alumni.SuccessorFactory(key_role=key_role, pool_member=pool_member)
    indicator = compact.IndicatorFactory(action=action)
    statement = compact.StatementFactory(compact=the_compact, terms=terms)
    _feed, feed_token = compact_services.member_feed_create(user=owner, compact=the_compact)
    journey = resources.HubArticleFactory()
    api_token, _raw = api_token_create(user=owner, name="Owner's", scope="read", expires_in_days=1)
    programmes.ProgrammeAlertFactory(member=owner, programme=pool)
    programmes.ProviderUpdatesFactory(member=owner, provider=programme.owner)
    kwargs = {
        "resources:area_detail": {"slug": area.slug},
        "resources:framework_detail": {"slug": framework.slug},
        "resources:assessment_create": {"slug": framework.slug},
        "resources:assessment_detail": {"pk": assessment.pk},
        "resources:conversation_detail": {"pk": conversation.pk},
        "resources:conversation_update": {"pk": conversation.pk},
        "resources:conversation_share": {"pk": conversation.pk},
        "programmes:detail": {"slug": programme.slug},
        "programmes:alert_stop": {"slug": programme.slug},
        "programmes:provider_updates": {"pk": programme.owner_id},
        "programmes:provider_updates_stop": {"pk": programme.owner_id},
        "cohorts:programme_alert": {"slug": programme.slug},
        "alumni:pool_alert": {"slug": pool.slug},
        "events:calendar_feed": {"token": feed.token},
        "events:booking_cancel": {"pk": booking.pk},
        "events:booking_answers": {"pk": booking.pk},
        "events:offer_accept": {"pk": booking.pk},
        "events:offer_decline": {"pk": booking.pk},
        "events:transfer_offer": {"pk": booking.pk},
        "events:transfer_respond": {"pk": transfer.pk},
        "events:transfer_decline": {"pk": transfer.pk},
        "events:transfer_withdraw": {"pk": transfer.pk},
        "events:detail": {"slug": event.slug},
        "events:book": {"slug": event.slug},
        "events:ics": {"slug": event.slug},
        "cohorts:application_detail": {"pk": application.pk},
        "cohorts:offer_accept": {"pk": application.pk},
        "cohorts:offer_decline": {"pk": application.pk},
        "cohorts:application_withdraw": {"pk": application.pk},
        "cohorts:line_manager_resend": {"pk": application.pk},
        "cohorts:line_manager_support": {"token": line_manager_token(application)},
        "cohorts:project_work_download": {"pk": project.pk},
        "cohorts:attendance": {"pk": session.pk},
        "cohorts:version_feedback": {"pk": cohort.version.pk},
        "cohorts:cohort_feedback": {"slug": cohort.slug},
        "alumni:profile": {"pk": alumni_profile.pk},
        "alumni:photo": {"pk": alumni_profile.pk},
        "alumni:career_edit": {"pk": CareerEntry.objects.filter(user=owner).first().pk},
        "alumni:mentoring_action": {"pk": mentoring.pk},
        "alumni:pool": {"slug": pool.slug},
        "alumni:pool_import": {"slug": pool.slug},
        "certificate_verify": {"code": completed.certificate_code},
        "alumni:assessment": {"pk": pool_member.pk},
        "alumni:mobility": {"pk": pool_member.pk},
        "alumni:vacancy_close": {"pk": vacancy.pk},
        "alumni:story": {"pk": story.pk},
        "compact:terms_detail": {"slug": the_compact.slug, "version": terms.version},
        "compact:meeting_record": {"slug": the_compact.slug, "group_pk": group.pk},
        "compact:bulletin_detail": {"slug": the_compact.slug, "number": bulletin.number},
        "api_token_revoke": {"pk": api_token.pk},
        "resources:journey_detail": {"slug": journey.slug},
        **{
            f"events:{name}": {"slug": event.slug}
            for name in [
                "door_list",
                "booking_alert",
                "booking_alert_stop",
                "self_check_in",
                "checkin_code_reset",
            ]
        },
        "events:check_in": {"slug": event.slug, "pk": booking.pk},
        "cohorts:project_review": {"slug": cohort.slug, "pk": project.pk},
        "alumni:moderate_story": {"pk": story.pk},
        "alumni:moderate_pledge": {"pk": pledge.pk},
        "alumni:pool_members": {"slug": pool.slug},
        "alumni:pool_member_add": {"slug": pool.slug},
        "alumni:succession": {"slug": pool.slug},
        "alumni:key_role_create": {"slug": pool.slug},
        "alumni:pool_member": {"pk": pool_member.pk},
        "alumni:pool_member_remove": {"pk": pool_member.pk},
        "alumni:key_role": {"pk": key_role.pk},
        "alumni:vacancy_candidates": {"pk": vacancy.pk},
        "alumni:relationship": {"pk": mentoring.pk},
        **{
            f"compact:{name}": {"slug": the_compact.slug, "group_pk": group.pk}
            for name in ["group_meetings_ics", "group_members", "meeting_schedule"]
        },
        "compact:action_create": {"slug": the_compact.slug, "plan_pk": plan.pk},
        "compact:member_meetings_feed": {"slug": the_compact.slug, "token": feed_token},
        **{
            f"api:v1:{name}": {"slug": slug}
            for name, slug in [
                ("programme-detail", programme.slug),
                ("cohort-detail", cohort.slug),
                ("managed-cohort-detail", cohort.slug),
                ("event-detail", event.slug),
                ("framework-detail", framework.slug),
                ("compact-documents", the_compact.slug),
                ("compact-meetings", the_compact.slug),
                ("compact-priorities", the_compact.slug),
            ]
        },
        **{
            f"api:v1:{name}": {"pk": booking.pk}
            for name in [
                "my-booking-detail",
                "my-booking-cancel",
                "my-offer-accept",
                "my-offer-decline",
            ]
        },
        "api:v1:my-application-detail": {"pk": application.pk},
        "admin:auth_user_password_change": {"id": owner.pk},
        "admin:compact_charterversion_import_signatories": {"object_id": charter.pk},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(AlumniProfile).pk,
            "object_id": alumni_profile.pk,
        },
    }
    # The rest take a cohort's or a compact's slug, and a compact page's own object.
    by_kwargs = {
        "cohorts": {"slug": cohort.slug},
        "compact": {"slug": the_compact.slug},
    }
    compact_objects = {
        "action_detail": action, "meeting_detail": meeting, "meeting_hold": meeting,
        "meeting_document": meeting, "meeting_cancel": meeting, "meeting_move": meeting,
        "document_download": document, "survey_detail": survey, "survey_respond": survey,
        "charter_version": charter, "indicator_add": action, "indicator_record": indicator,
        "meeting_ics": meeting, "membership_end": membership, "subgroup_report": meeting,
        "survey_compose": survey, "survey_send": survey, "bulletin_compose": bulletin,
        "bulletin_send": bulletin, "action_edit": action, "action_complete": action,
        "indicator_edit": indicator, "signatory_add": charter, "signatory_withdraw": signatory,
        "terms_draft_edit": terms, "terms_adopt": terms, "statement_compose": statement,
        "statement_edit": statement, "statement_publish": statement,
    }  # fmt: skip
    totp_enrol(owner)  # the owner's authenticator app, whose admin page is opened too
    admin_objects = {
        "core.user": owner, "core.profile": owner.profile,
        "account.emailaddress": owner.emailaddress_set.get(),
        "core.organisation": owner.profile.organisation,
        "core.auditlog": AuditLogFactory(actor=owner, object_id=str(owner.pk)),
        "core.outboundemail": OutboundEmailFactory(to=owner.email),
        "programmes.programme": programme, "programmes.programmeversion": cohort.version,
        "programmes.franchise": franchise, "programmes.subsidyallocation": allocation,
        "resources.framework": framework, "resources.selfassessment": assessment,
        "resources.careerconversation": conversation, "resources.conversationshare": share,
        "events.event": event, "events.booking": booking, "events.calendarfeed": feed,
        "events.placetransfer": transfer,
        "cohorts.cohort": cohort, "cohorts.application": application,
        "cohorts.participant": participant, "cohorts.session": session,
        "cohorts.projectwork": project, "cohorts.feedback": feedback,
        "cohorts.projectreview": review,
        "alumni.alumniprofile": alumni_profile,
        "alumni.careerentry": CareerEntry.objects.filter(user=owner).first(),
        "alumni.mentoringoffer": offer, "alumni.mentoringrequest": mentoring,
        "alumni.careerstory": story, "alumni.pledge": alumni.PledgeFactory(),
        "alumni.talentpoolmember": pool_member, "alumni.vacancy": vacancy,
        "compact.compact": the_compact, "compact.compactrole": role,
        "compact.termsofreference": terms, "compact.group": group,
        "compact.groupmembership": membership, "compact.actionplan": plan,
        "compact.action": action, "compact.meeting": meeting,
        "compact.charterversion": charter, "compact.chartersignatory": signatory,
        "compact.document": document, "compact.survey": survey,
        "compact.surveyinvitation": invitation, "compact.bulletin": bulletin,
        "core.signinevent": SignInEvent.objects.create(
            kind=SignInEvent.Kind.SIGNED_IN, user=owner, email=owner.email
        ),
        "core.consentrecord": ConsentRecord.objects.create(
            user=owner, purpose="email_bulletins", given=True, wording="Bulletins", source="profile"
        ),
        "mfa.authenticator": Authenticator.objects.get(user=owner, type="totp"),
    }  # fmt: skip
    return {
        "kwargs": kwargs,
        "by_kwargs": by_kwargs,
        "compact_objects": compact_objects,
        "admin_objects": admin_objects,
    }


ADMIN_OBJECT_ROUTE = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/(\w+/)?$")


def _parameterised_paths(world) -> tuple[list[str], list[str]]:
    """The path of every pattern with parameters, filled with the owner's objects: the
    site's own pages, then the admin's. Fails on a pattern it cannot fill that is not
    listed in ``UNFILLED`` or ``NOT_THE_OWNERS``, so that a new route is looked at."""
    site, admin_paths, unknown = [], [], []
    for route, name, pattern in _patterns():
        if not _takes_parameters(route):
            continue
        if name in UNFILLED or route in UNFILLED:
            continue
        admin_object = ADMIN_OBJECT_ROUTE.match(route)
        if admin_object:
            label = f"{admin_object[1]}.{admin_object[2]}"
            if label in NOT_THE_OWNERS:
                continue
            if label not in world["admin_objects"]:
                unknown.append(route)
                continue
            pk = world["admin_objects"][label].pk
            admin_paths.append(f"/admin/{admin_object[1]}/{admin_object[2]}/{pk}/"
                               f"{admin_object[3] or ''}")  # fmt: skip
            continue
        if route.startswith("admin/(?P<app_label>"):
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route)[1].split("|")
            admin_paths += [f"/admin/{label}/" for label in labels]
            continue
        kwargs = world["kwargs"].get(name)
        if kwargs is None and name:
            namespace, _sep, short = name.partition(":")
            kwargs = dict(world["by_kwargs"].get(namespace, {}))
            if short in world["compact_objects"]:
                kwargs["pk"] = world["compact_objects"][short].pk
            if set(kwargs) != set(pattern.pattern.converters):
                kwargs = None
        if kwargs is None:
            unknown.append(f"{name} {route}")
            continue
        path = reverse(name, kwargs=kwargs)
        (admin_paths if path.startswith("/admin/") else site).append(path)
    assert not unknown, f"fill these in world() or list them in UNFILLED: {unknown}"
    return site, admin_paths


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def _assert_no_answer(response, path):
    assert response.status_code < 500, path
    body = _body(response)
    for text in RARE_TEXTS:
        assert text not in body, (path, text)


@pytest.mark.parametrize("who", ["superuser", "owner"])
def test_no_page_with_parameters_shows_the_owners_answers(client, owner, world, who):
    """Every route that takes parameters, filled with the owner's own objects (profile,
    directory entry, applications, participation, bookings, compact roles, and their
    admin pages), as a staff superuser and as the owner: none shows an answer."""
    viewer = owner if who == "owner" else MemberFactory(is_superuser=True, is_staff=True)
    client.force_login(viewer)
    site, admin_paths = _parameterised_paths(world)
    assert f"/alumni/{world['kwargs']['alumni:profile']['pk']}/" in site
    assert f"/admin/core/user/{owner.pk}/change/" in admin_paths
    for path in site:
        _assert_no_answer(client.get(path), path)
    # Not staff, the owner is only sent to the admin's sign-in page.
    for path in admin_paths if viewer.is_staff else []:
        _assert_no_answer(client.get(path), path)


def test_the_owner_sees_their_own_answers(client, owner):
    client.force_login(owner)
    assert "Gypsy or Irish Traveller" in client.get("/accounts/equality/").content.decode()


def test_exports_of_other_records_never_include_monitoring(client, owner, world):
    from cohorts.models import Cohort

    superuser = MemberFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    # The cohort the owner applied to (world() also gives them a completed place elsewhere).
    cohort = Cohort.objects.get(participants__application__applicant=owner)
    exports = []
    for action in ["export_participants_csv", "export_attendance_csv"]:
        response = client.post(
            "/admin/cohorts/cohort/",
            {"action": action, "_selected_action": [cohort.pk]},
        )
        if response.status_code == 200 and response["Content-Type"].startswith("text/csv"):
            exports.append(response.content.decode())
        response = client.post(
            "/admin/cohorts/cohort/",
            {"action": action.replace("_csv", "_xlsx"), "_selected_action": [cohort.pk]},
        )
        exports.append(str(xlsx_rows(response)))
    assert exports, "no cohort export ran: the test would prove nothing"
    from events.models import Booking

    booking = Booking.objects.get(member=owner)  # of the world fixture
    response = client.post(
        "/admin/events/event/",
        {"action": "export_attendees", "_selected_action": [booking.event_id]},
    )
    assert response["Content-Type"].startswith("text/csv")
    exports.append(_body(response))
    response = client.post(
        "/admin/events/event/",
        {"action": "export_attendees_xlsx", "_selected_action": [booking.event_id]},
    )
    exports.append(str(xlsx_rows(response)))
    assert any(owner.email in e or owner.full_name in e for e in exports)
    for export in exports:
        assert not any(text in export for text in RARE_TEXTS)
    personal = client.get("/accounts/data/").content.decode()  # the superuser's own download
    assert not any(text in personal for text in RARE_TEXTS)


def test_the_owners_download_has_their_answers_and_erasure_removes_them(client, owner):
    from talenthub.core.personal_data import erase_account, export_personal_data

    data = export_personal_data(owner)
    section = data["sections"]["equality_monitoring"]["monitoring_record"]
    assert section["answers"]["Ethnic group"] == "White: Gypsy or Irish Traveller"
    assert section["consent_version"]
    erase_account(owner)
    assert not MonitoringRecord.objects.filter(user=owner).exists()
    assert export_personal_data(owner)["sections"]["equality_monitoring"] == {
        "monitoring_record": None
    }


def test_answering_sends_no_email(client, member):
    client.force_login(member)
    before = OutboundEmail.objects.count()
    client.post(
        "/accounts/equality/answer/",
        {"consent": "on", "ethnicity": "white_gypsy_traveller", "sex": "male",
         "gender_identity": "yes", "sexual_orientation": "straight", "disability": "no",
         "religion": "buddhist", "age_band": "65_plus", "caring_responsibilities": "none"},
    )  # fmt: skip
    assert MonitoringRecord.objects.filter(user=member).exists()
    assert OutboundEmail.objects.count() == before


def test_analysts_get_counts_of_groups_never_of_categories_or_people(client, owner, analyst):
    client.force_login(analyst)
    for path in ["/insights/journey.csv", "/insights/representation.csv"]:
        body = client.get(path).content.decode()
        assert "White" in body
        assert not any(text in body for text in RARE_TEXTS)
        assert owner.email not in body and owner.full_name not in body
