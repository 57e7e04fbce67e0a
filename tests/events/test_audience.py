"""An event is announced to the members who asked for announcements and are in its
audience: the organiser's region or network and, for an event of a programme, the
programme's career levels, functional areas and sectors (docs/events.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.selectors import announcement_audience
from events.services.events import announcement_batches, announcement_recipients
from programmes.models import ProgrammeCareerLevel, ProgrammeSector
from talenthub.core.choices import CareerLevel, Region, Sector
from talenthub.core.models import OutboundEmail
from tests.cohorts.factories import CohortFactory, ParticipantFactory
from tests.factories import (
    FunctionalAreaFactory,
    MemberFactory,
    OrganisationFactory,
    ProviderFactory,
)
from tests.programmes.factories import ProgrammeFactory, ProgrammeVersionFactory

from .factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hpma():
    return ProviderFactory(name="HPMA London Academy", region=Region.LONDON)


def org(name, region=Region.LONDON, sector=Sector.HEALTH_AND_BLOOD):
    return OrganisationFactory(name=name, region=region, sector=sector)


def member(region=Region.LONDON, organisation="Barts Health NHS Trust", areas=(), **profile):
    """A member; ``organisation`` is a name (a London health trust by default), an
    Organisation, or None."""
    if isinstance(organisation, str):
        organisation = org(organisation)
    person = MemberFactory(profile__region=region, profile__organisation=organisation)
    for name, value in profile.items():
        setattr(person.profile, name, value)
    person.profile.save()
    person.profile.functional_areas.set(areas)
    return person


def reached(event):
    return set(announcement_recipients(event))


def test_an_event_outside_a_programme_reaches_its_organisers_region_and_network(hpma):
    event = EventFactory(organiser=hpma)
    londoner = member()
    wme_alumnus = member(Region.WEST_MIDLANDS, org("Dudley Council", Region.WEST_MIDLANDS))
    derbyshire = member(
        Region.EAST_MIDLANDS, org("Derbyshire County Council", Region.EAST_MIDLANDS)
    )
    works_in_london = member("", org("Guy's and St Thomas'"))  # region from the employer
    employer_elsewhere = member("", org("Sandwell Council", Region.WEST_MIDLANDS))
    untold = member("", None)  # told us neither: not left out
    national = member(Region.NATIONAL, org("NHS England", Region.NATIONAL))
    staff = member(Region.SOUTH_EAST, hpma)  # the provider's own people
    cohort = CohortFactory(version=ProgrammeVersionFactory(programme__owner=hpma))
    took_part = member(Region.NORTH_WEST, org("Bolton NHS FT", Region.NORTH_WEST))
    ParticipantFactory(cohort=cohort, user=took_part)
    opted_out = member(email_event_announcements=False)
    inactive = member()
    inactive.is_active = False
    inactive.save()
    booked = member()
    BookingFactory(event=event, member=booked)

    assert reached(event) == {londoner, works_in_london, untold, national, staff, took_part}
    assert not reached(event) & {wme_alumnus, derbyshire, employer_elsewhere, opted_out}
    assert not reached(event) & {inactive, booked}


def test_a_national_provider_reaches_every_region():
    event = EventFactory(organiser=ProviderFactory(region=Region.NATIONAL))
    everyone = {member(region) for region in (Region.LONDON, Region.WEST_MIDLANDS, "")}
    member(Region.WALES, email_event_announcements=False)
    assert reached(event) == everyone


def test_a_member_of_a_national_employer_with_no_region_of_their_own_is_reached(hpma):
    """Their region is their organisation's, and National reaches every region (it left
    them out: the organisation's region had to equal the provider's)."""
    event = EventFactory(organiser=hpma)
    civil_servant = member("", org("Cabinet Office", Region.NATIONAL))
    elsewhere = member("", org("Dudley Council", Region.WEST_MIDLANDS))
    assert civil_servant in reached(event) and elsewhere not in reached(event)


@pytest.fixture
def programme_event(hpma):
    """An event of a programme for senior (levels 3 and 4) OD people in health."""
    programme = ProgrammeFactory(owner=hpma)
    for level in (3, 4):
        ProgrammeCareerLevel.objects.create(programme=programme, level=level)
    ProgrammeSector.objects.create(programme=programme, sector=Sector.HEALTH_AND_BLOOD)
    programme.functional_areas.set([FunctionalAreaFactory(slug="od", name="OD")])
    return EventFactory(organiser=hpma, programme=programme)


def test_programme_event_career_levels(programme_event):
    od = programme_event.programme.functional_areas.all()
    senior = member(career_level=CareerLevel.LEVEL_3, areas=od)
    director = member(career_level=CareerLevel.LEVEL_4, areas=od)
    entry = member(career_level=CareerLevel.LEVEL_1, areas=od)
    untold = member(career_level=None, areas=od)
    assert reached(programme_event) == {senior, director, untold}
    assert entry not in reached(programme_event)


def test_programme_event_functional_areas(programme_event):
    od = programme_event.programme.functional_areas.get()
    er = FunctionalAreaFactory(slug="er", name="Employee Relations")
    level = {"career_level": CareerLevel.LEVEL_3}
    od_person = member(areas=[od], **level)
    both = member(areas=[er, od], **level)
    er_only = member(areas=[er], **level)
    untold = member(areas=[], **level)
    assert reached(programme_event) == {od_person, both, untold}
    assert er_only not in reached(programme_event)


def test_programme_event_sectors(programme_event):
    od = programme_event.programme.functional_areas.all()
    level = {"career_level": CareerLevel.LEVEL_4, "areas": od}
    nhs = member(organisation=org("Barts Health NHS Trust"), **level)
    council = member(organisation=org("Camden Council", sector=Sector.LOCAL_GOVERNMENT), **level)
    no_employer = member(organisation=None, **level)
    assert reached(programme_event) == {nhs, no_employer}
    assert council not in reached(programme_event)


def test_an_empty_audience_dimension_means_everyone_on_it(hpma):
    event = EventFactory(organiser=hpma, programme=ProgrammeFactory(owner=hpma))
    everyone = {
        member(career_level=CareerLevel.LEVEL_1),
        member(organisation=org("Camden Council", sector=Sector.LOCAL_GOVERNMENT)),
        member(areas=[FunctionalAreaFactory()]),
    }
    member(Region.WEST_MIDLANDS, org("Dudley Council", Region.WEST_MIDLANDS))  # not London
    assert reached(event) == everyone


def test_the_audience_in_words(programme_event, hpma):
    assert announcement_audience(programme_event) == [
        "Members in London, or in HPMA London Academy's network",
        "Career levels: 3, 4",
        "Functional areas: OD",
        "Sectors: Health and Blood Service",
    ]
    open_event = EventFactory(organiser=hpma, programme=ProgrammeFactory(owner=hpma))
    assert announcement_audience(open_event)[1:] == [
        "Career levels: all",
        "Functional areas: all",
        "Sectors: all",
    ]
    national = EventFactory(organiser=ProviderFactory(region=Region.NATIONAL))
    assert announcement_audience(national) == ["Every region (the organiser is national)"]


def test_batches_cover_only_the_audience_and_queue_each_once(programme_event):
    od = programme_event.programme.functional_areas.all()
    inside = [member(career_level=CareerLevel.LEVEL_3, areas=od) for _ in range(5)]
    member(career_level=CareerLevel.LEVEL_1, areas=od)  # outside, between the ids
    inside.append(member(career_level=CareerLevel.LEVEL_4, areas=od))
    ids = [m.pk for m in inside]
    assert list(announcement_batches(programme_event, batch_size=4)) == [
        (ids[0], ids[3]),
        (ids[4], ids[5]),
    ]
    for first, last in announcement_batches(programme_event, batch_size=4):
        services.event_announce_batch(event_id=programme_event.pk, first_id=first, last_id=last)
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert keys == {f"event.announced:{programme_event.pk}:{pk}" for pk in ids}


def test_a_batch_costs_the_same_queries_whatever_its_size(
    programme_event, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """One read of the event, one count of the places left (worked out when the batch is
    sent), one of the members (audience and all), one of the keys already queued, one
    insert, one read of the new ids: not one query per member."""
    od = programme_event.programme.functional_areas.all()

    def batch_of(size):
        people = [member(career_level=CareerLevel.LEVEL_3, areas=od) for _ in range(size)]
        return people[0].pk, people[-1].pk

    first, last = batch_of(2)
    with CaptureQueriesContext(connection) as small:
        assert (
            services.event_announce_batch(event_id=programme_event.pk, first_id=first, last_id=last)
            == 2
        )
    assert len(small.captured_queries) <= 10  # the six, and savepoints
    first, last = batch_of(25)
    with (
        django_assert_num_queries(len(small.captured_queries)),
        django_capture_on_commit_callbacks(execute=False) as sends,
    ):
        assert (
            services.event_announce_batch(event_id=programme_event.pk, first_id=first, last_id=last)
            == 25
        )
    assert len(sends) == 1  # one after-commit callback enqueues the 25 sends
    # Run again: nothing new to insert, and still no query per member.
    with django_assert_num_queries(len(small.captured_queries) - 4):  # no insert, no read of ids
        assert (
            services.event_announce_batch(event_id=programme_event.pk, first_id=first, last_id=last)
            == 0
        )
