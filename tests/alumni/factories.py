"""Factories for the alumni records."""

import datetime

import factory
from factory.django import DjangoModelFactory

from alumni.models import (
    AlumniProfile,
    CareerEntry,
    CareerStory,
    KeyRole,
    MentoringOffer,
    MentoringRequest,
    MentoringSession,
    Pledge,
    Readiness,
    Successor,
    TalentAssessment,
    TalentPoolMember,
    Vacancy,
)
from programmes.models import Programme
from talenthub.core.choices import CareerLevel, Region
from tests.cohorts.factories import CompletedParticipantFactory, EndedCohortFactory
from tests.factories import MemberFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory


def make_alumnus(cohort=None, **user_fields):
    """A member who completed a cohort (an ended one unless given)."""
    user = MemberFactory(**user_fields)
    CompletedParticipantFactory(user=user, cohort=cohort or EndedCohortFactory())
    return user


class AlumniProfileFactory(DjangoModelFactory):
    """A profile of an alumnus (the user completes a cohort first)."""

    class Meta:
        model = AlumniProfile

    user = factory.LazyFunction(make_alumnus)
    headline = "Head of HR, West Midlands"
    current_role = "Head of HR"
    organisation = factory.SubFactory(OrganisationFactory)
    region = Region.WEST_MIDLANDS
    career_level = CareerLevel.LEVEL_4
    visibility = AlumniProfile.Visibility.MEMBERS
    email_career_updates = True  # opted in (a new profile is not)


class CareerEntryFactory(DjangoModelFactory):
    class Meta:
        model = CareerEntry

    user = factory.LazyFunction(make_alumnus)
    role = "HR Business Partner"
    organisation_name = "Birmingham City Council"
    level = CareerLevel.LEVEL_3
    started_on = datetime.date(2015, 1, 1)


class MentoringOfferFactory(DjangoModelFactory):
    class Meta:
        model = MentoringOffer

    mentor = factory.LazyFunction(make_alumnus)
    topics = "Business partnering, workforce strategy"
    capacity = 2


class MentoringRequestFactory(DjangoModelFactory):
    class Meta:
        model = MentoringRequest

    offer = factory.SubFactory(MentoringOfferFactory)
    mentee = factory.SubFactory(MemberFactory)
    message = "I would value help stepping up to business partner."


class CareerStoryFactory(DjangoModelFactory):
    class Meta:
        model = CareerStory

    author = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"My route into HR {n}")
    body = "I started in payroll and now lead a people team."


class PublishedStoryFactory(CareerStoryFactory):
    status = CareerStory.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))


class PledgeFactory(DjangoModelFactory):
    class Meta:
        model = Pledge

    leader_name = factory.Sequence(lambda n: f"Leader {n}")
    leader_role = "Director of People"
    organisation = factory.SubFactory(OrganisationFactory)
    statement = "I will make our HR and OD department more inclusive."
    made_on = datetime.date(2022, 3, 1)


class TalentPoolFactory(ProgrammeFactory):
    kind = Programme.Kind.TALENT_POOL
    title = factory.Sequence(lambda n: f"Talent pool {n}")


class TalentPoolMemberFactory(DjangoModelFactory):
    class Meta:
        model = TalentPoolMember

    pool = factory.SubFactory(TalentPoolFactory)
    user = factory.SubFactory(MemberFactory)
    target_level = CareerLevel.LEVEL_4
    readiness = Readiness.READY_NOW
    home_region = Region.WEST_MIDLANDS


class TalentAssessmentFactory(DjangoModelFactory):
    """The pool's assessment of a member, by one of the pool's managers (none by default:
    a manager is a user of the pool owner's staff, which tests set up themselves)."""

    class Meta:
        model = TalentAssessment

    pool_member = factory.SubFactory(TalentPoolMemberFactory)
    summary = "Strong system leader; ready for a director post with board exposure."
    assessed_by = None


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    organisation = factory.SubFactory(OrganisationFactory)
    role = "Director of People"
    level = CareerLevel.LEVEL_4
    region = Region.WEST_MIDLANDS
    kind = Vacancy.Kind.IMMEDIATE
    expected_on = datetime.date(2027, 1, 1)


def make_moderator(**user_fields):
    """A member given the permission to moderate stories and pledges, through a group
    (as the demo's "Content moderators")."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name="Content moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_contributions"))
    user = MemberFactory(**user_fields)
    user.groups.add(group)
    return user


class SubmittedPledgeFactory(PledgeFactory):
    """A member's pledge waiting for a moderator."""

    status = Pledge.Status.SUBMITTED
    submitted_by = factory.SubFactory(MemberFactory)


class KeyRoleFactory(DjangoModelFactory):
    class Meta:
        model = KeyRole

    pool = factory.SubFactory(TalentPoolFactory)
    title = factory.Sequence(lambda n: f"Director of People {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    level = CareerLevel.LEVEL_4
    region = Region.WEST_MIDLANDS
    incumbent = "Jo Incumbent"


class SuccessorFactory(DjangoModelFactory):
    class Meta:
        model = Successor

    key_role = factory.SubFactory(KeyRoleFactory)
    pool_member = factory.SubFactory(
        TalentPoolMemberFactory, pool=factory.SelfAttribute("..key_role.pool")
    )
    readiness = Readiness.READY_NOW


class MentoringSessionFactory(DjangoModelFactory):
    class Meta:
        model = MentoringSession

    relationship = factory.SubFactory(
        MentoringRequestFactory, status=MentoringRequest.Status.ACCEPTED
    )
    held_on = datetime.date(2026, 1, 15)
    notes = "Talked about business partnering."
