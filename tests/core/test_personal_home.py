"""The personal home (issue 15, item 4): a signed-in person's bookings, offers to
answer, applications, cohorts, alumni profile and mentoring, what is due first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from tests.alumni.factories import MentoringOfferFactory, MentoringRequestFactory, make_alumnus
from tests.cohorts.factories import (
    ApplicationFactory,
    EndedCohortFactory,
    OfferedApplicationFactory,
    ParticipantFactory,
)
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _actions(response) -> list[str]:
    return [a.link_text for a in response.context["home"].actions]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("personal_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_lands_on_the_home(client, member):
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("personal_home")


def test_offers_and_deadlines_come_first_soonest_first(client):
    now = timezone.now()
    person = MemberFactory(full_name="Siobhán O'Brien")
    event = EventFactory(title="Workforce planning masterclass")
    BookingFactory(
        event=event,
        member=person,
        status=Booking.Status.OFFERED,
        offer_expires_at=now + datetime.timedelta(hours=20),
    )
    booked = BookingFactory(member=person, event=EventFactory(title="Inclusive recruitment"))
    offered = OfferedApplicationFactory(
        applicant=person, offer_expires_at=now + datetime.timedelta(days=5)
    )
    ApplicationFactory(applicant=person)  # submitted: listed, nothing to do
    ParticipantFactory(user=person, cohort=EndedCohortFactory(name="Aspire 2024"))
    MentoringRequestFactory(offer=MentoringOfferFactory(mentor=person), mentee=MemberFactory())
    # Someone else's offer is nowhere on the page.
    BookingFactory(status=Booking.Status.OFFERED, event=EventFactory(title="Not yours"))

    client.force_login(person)
    response = client.get(reverse("personal_home"))
    assert response.status_code == 200
    html = response.content.decode()
    texts = [a.text for a in response.context["home"].actions]
    assert _actions(response)[:2] == ["Accept or decline the place"] * 2
    assert "Workforce planning masterclass" in texts[0]  # due in 20 hours
    assert offered.cohort.name in texts[1]  # due in 5 days
    assert "Give your feedback" in _actions(response)
    assert "Answer the request" in _actions(response)
    assert "Not yours" not in html
    assert "Inclusive recruitment" in html and booked.event.title in html
    assert html.count(reverse("events:offer_accept", args=[booked.pk])) == 0
    assert "Do this by" in html
    assert "O&#x27;Brien" not in html.split("<main")[1].split("Hello")[0]


def test_an_alumnus_without_a_profile_is_asked_to_make_one(client):
    alumnus = make_alumnus()
    client.force_login(alumnus)
    response = client.get(reverse("personal_home"))
    assert "Create your alumni profile" in _actions(response)


def test_the_header_links_to_the_home(client, member):
    client.force_login(member)
    html = client.get(reverse("events:index")).content.decode()
    assert f'href="{reverse("personal_home")}"' in html


def test_queries_do_not_grow_with_records(client, django_assert_max_num_queries):
    person = MemberFactory()
    offer = MentoringOfferFactory(mentor=person)
    for _ in range(6):
        BookingFactory(member=person)
        ApplicationFactory(applicant=person)
        ParticipantFactory(user=person, cohort=EndedCohortFactory())
        MentoringRequestFactory(offer=offer)
    client.force_login(person)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("personal_home"))
    assert response.status_code == 200
    assert len(response.context["home"].bookings) == 6
