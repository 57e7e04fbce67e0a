"""Factories for the compact records."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from compact.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    Bulletin,
    BulletinListing,
    BulletinSubscription,
    CharterSignatory,
    CharterVersion,
    Compact,
    CompactRole,
    Document,
    Group,
    GroupMembership,
    Indicator,
    Meeting,
    NewsItem,
    PrioritiesStatement,
    Priority,
    ProgressUpdate,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    TermsOfReference,
)
from talenthub.core.choices import Sector
from tests.factories import MemberFactory, OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CompactFactory(DjangoModelFactory):
    class Meta:
        model = Compact
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"County {n} Public Sector Compact")
    slug = factory.Sequence(lambda n: f"county-{n}")
    area = "Derby City and Derbyshire"
    purpose = "To improve the quality of the public services in the county."
    established_on = datetime.date(2007, 2, 1)


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = CompactRole

    compact = factory.SubFactory(CompactFactory)
    user = factory.SubFactory(MemberFactory)
    role = CompactRole.Role.SECRETARIAT


class TermsFactory(DjangoModelFactory):
    class Meta:
        model = TermsOfReference

    compact = factory.SubFactory(CompactFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = "Terms of reference"
    adopted_on = factory.Sequence(lambda n: datetime.date(2007, 2, 1) + datetime.timedelta(days=n))
    review_due_on = factory.LazyAttribute(lambda o: o.adopted_on + datetime.timedelta(days=365))
    purpose = "To improve the quality of the public services."
    mode_of_operation = "A steering group and task and finish groups."
    steering_group_role = "To agree an action plan."


class AimFactory(DjangoModelFactory):
    class Meta:
        model = Aim

    terms = factory.SubFactory(TermsFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = factory.Sequence(lambda n: f"Aim text {n}")


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = PrioritiesStatement

    compact = factory.SubFactory(CompactFactory)
    terms = factory.SubFactory(TermsFactory, compact=factory.SelfAttribute("..compact"))
    year = factory.Sequence(lambda n: f"{2008 + n}-{(9 + n) % 100:02d}")
    starts_on = datetime.date(2008, 4, 1)
    ends_on = datetime.date(2009, 3, 31)


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    statement = factory.SubFactory(StatementFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    compact = factory.SubFactory(CompactFactory)
    name = "Steering Group"
    kind = Group.Kind.STEERING
    starts_on = datetime.date(2007, 2, 1)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(MemberFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = datetime.date(2007, 2, 1)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    compact = factory.SubFactory(CompactFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    theme = "Recruitment Retention and Diversity"
    objective = "Identify the current situation."
    lead_person = factory.SubFactory(MemberFactory)
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    measure = factory.Sequence(lambda n: f"Apprentices employed {n}")
    unit = "people"
    baseline = 40
    target = 60
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class ProgressUpdateFactory(DjangoModelFactory):
    """A row only: ``services.progress_update_add`` also sets the action's status."""

    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(MemberFactory)
    on = factory.LazyFunction(timezone.localdate)
    status = Action.Status.ON_TRACK
    percent_complete = 25
    note = "Scoped report drafted."


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    place = "Council House, Derby"
    status = Meeting.Status.HELD


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Review of the action plan"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(MemberFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Attendance.Status.PRESENT


class CharterFactory(DjangoModelFactory):
    class Meta:
        model = CharterVersion

    compact = factory.SubFactory(CompactFactory)
    title = "Members' Charter"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=500))
    text = "A charter for change."


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = CharterSignatory

    charter = factory.SubFactory(CharterFactory)
    organisation = factory.SubFactory(OrganisationFactory, sector=Sector.LOCAL_GOVERNMENT)
    signatory_name = "Chief Executive"
    joined_on = factory.LazyAttribute(lambda o: o.charter.starts_on)
    renewal_due_on = factory.LazyAttribute(lambda o: o.charter.ends_on)
    senior_representative = factory.SubFactory(MemberFactory)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    compact = factory.SubFactory(CompactFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = Document.Kind.REPORT
    visibility = Document.Visibility.PUBLIC
    file = factory.django.FileField(filename="doc.pdf", data=PDF_BYTES)
    original_name = "doc.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    published_on = datetime.date(2008, 5, 1)


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    compact = factory.SubFactory(CompactFactory)
    group = factory.SubFactory(GroupFactory, compact=factory.SelfAttribute("..compact"))
    title = factory.Sequence(lambda n: f"Survey {n}")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "What has worked well?"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    survey = factory.SubFactory(SurveyFactory)
    person = factory.SubFactory(MemberFactory)


class AnswerFactory(DjangoModelFactory):
    """A free-text answer; pass ``yes`` or ``scale`` (and a question of that kind) for
    the others."""

    class Meta:
        model = SurveyAnswer

    invitation = factory.SubFactory(InvitationFactory, responded_on=datetime.date(2008, 3, 10))
    question = factory.SubFactory(
        QuestionFactory, survey=factory.SelfAttribute("..invitation.survey")
    )
    text = "Networking with HR colleagues"


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = BulletinSubscription

    compact = factory.SubFactory(CompactFactory)
    user = factory.SubFactory(MemberFactory)


class BulletinFactory(DjangoModelFactory):
    class Meta:
        model = Bulletin

    compact = factory.SubFactory(CompactFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "News from the compact"


class NewsItemFactory(DjangoModelFactory):
    class Meta:
        model = NewsItem

    bulletin = factory.SubFactory(BulletinFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Skills Pledge breakfast briefing"
    body = "Sign the Skills Pledge."


class ListingFactory(DjangoModelFactory):
    class Meta:
        model = BulletinListing

    bulletin = factory.SubFactory(BulletinFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = BulletinListing.Kind.MEETING
    title = "Steering Group"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    place = "Pride Park, Derby"
