"""The directory's holes found by trying each role (issue 19, item 3): the managers'
export holds only their own alumni (data minimisation), the cohort-year filter offers
only years with alumni, and a non-alumnus at /alumni/me/ is told where they stand."""

import datetime

import pytest
from django.urls import reverse

from alumni.models import AlumniProfile
from tests.alumni.factories import AlumniProfileFactory, make_alumnus
from tests.cohorts.factories import (
    CohortFactory,
    CompletedParticipantFactory,
    EndedCohortFactory,
    ParticipantFactory,
)
from tests.factories import ManagerFactory, ProviderFactory, UserFactory
from tests.programmes.factories import (
    FranchiseFactory,
    ProgrammeFactory,
    ProgrammeVersionFactory,
)
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """WME owns Aspire and franchises it to EMC; each runs a cohort. A third provider runs
    its own programme. Ada completed WME's Aspire cohort and the third's programme too."""
    wme, emc, third = (ProviderFactory(name=n) for n in ("WME", "EMC", "Third Provider"))
    aspire = ProgrammeFactory(owner=wme, title="Aspire")
    FranchiseFactory(programme=aspire, franchisee=emc)
    own = ProgrammeFactory(owner=third, title="Third Leadership")
    aspire_v, own_v = (
        ProgrammeVersionFactory(programme=aspire),
        ProgrammeVersionFactory(programme=own),
    )
    wme_cohort = EndedCohortFactory(version=aspire_v, provider=wme)
    emc_cohort = EndedCohortFactory(version=aspire_v, provider=emc)
    third_cohort = EndedCohortFactory(version=own_v, provider=third)
    ada = make_alumnus(cohort=wme_cohort, full_name="Ada WME")
    CompletedParticipantFactory(cohort=third_cohort, user=ada)
    eve = make_alumnus(cohort=emc_cohort, full_name="Eve EMC")
    tom = make_alumnus(cohort=third_cohort, full_name="Tom Third")
    for user in (ada, eve, tom):
        AlumniProfileFactory(user=user)
    return {
        "wme": ManagerFactory(profile__organisation=wme),
        "emc": ManagerFactory(profile__organisation=emc),
        "third": ManagerFactory(profile__organisation=third),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


def export(client, user):
    client.force_login(user)
    response = client.get(reverse("alumni:export"))
    assert response.status_code == 200
    return {row[0]: row[6] for row in csv_rows(response)[1:]}


def test_each_manager_exports_only_their_own_alumni_and_programmes(client, network):
    # The owner sees every cohort of its programme, the franchisee's included.
    assert export(client, network["wme"]) == {"Ada WME": "Aspire", "Eve EMC": "Aspire"}
    # A franchisee: its own cohort's alumni only.
    assert export(client, network["emc"]) == {"Eve EMC": "Aspire"}
    # Ada is in the third provider's export too, but her Aspire place is not theirs to
    # hand out: only their own programme is named.
    assert export(client, network["third"]) == {
        "Ada WME": "Third Leadership",
        "Tom Third": "Third Leadership",
    }
    assert export(client, network["superuser"]) == {
        "Ada WME": "Aspire; Third Leadership",
        "Eve EMC": "Aspire",
        "Tom Third": "Third Leadership",
    }


def test_the_export_still_keeps_hidden_profiles_out(client, network):
    AlumniProfile.objects.filter(user__full_name="Eve EMC").update(
        visibility=AlumniProfile.Visibility.HIDDEN
    )
    assert export(client, network["wme"]) == {"Ada WME": "Aspire"}
    assert export(client, network["emc"]) == {}


def test_the_export_query_count_does_not_grow(client, network, django_assert_max_num_queries):
    client.force_login(network["wme"])
    counts = []
    for _batch in range(2):
        for _ in range(10):
            AlumniProfileFactory(
                user=make_alumnus(
                    cohort=EndedCohortFactory(
                        version=ProgrammeVersionFactory(
                            programme=ProgrammeFactory(owner=network["wme"].profile.organisation)
                        ),
                        provider=network["wme"].profile.organisation,
                    )
                )
            )
        with django_assert_max_num_queries(12) as queries:
            client.get(reverse("alumni:export"))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_cohort_year_filter_offers_only_years_with_alumni_the_viewer_sees(client, member):
    def cohort(year):
        return EndedCohortFactory(
            starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 6, 1)
        )

    AlumniProfileFactory(user=make_alumnus(cohort=cohort(2014)))
    AlumniProfileFactory(
        user=make_alumnus(cohort=cohort(2016)), visibility=AlumniProfile.Visibility.ALUMNI
    )
    make_alumnus(cohort=cohort(2017))  # an alumnus with no profile
    CohortFactory(starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 6, 1))
    client.force_login(member)
    page = client.get(reverse("alumni:index"))
    choices = [value for value, _label in page.context["filter"].form.fields["cohort_year"].choices]
    assert choices == ["", 2014]  # 2016's alumni are seen by alumni only; 2017, 2019: none
    client.force_login(make_alumnus(cohort=cohort(2018)))
    page = client.get(reverse("alumni:index"))
    choices = [value for value, _label in page.context["filter"].form.fields["cohort_year"].choices]
    assert choices == ["", 2016, 2014]


def test_a_non_alumnus_at_their_alumni_profile_is_told_where_they_stand(client, member):
    client.force_login(member)
    response = client.get(reverse("alumni:my_profile"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Alumni profiles are for people who have completed a programme" in page
    assert reverse("programmes:index") in page and page.count("<h1") == 1
    running = CohortFactory(name="Aspire 2026 cohort")
    ParticipantFactory(cohort=running, user=member)
    page = client.get(reverse("alumni:career")).content.decode()
    assert "Your programmes in progress" in page and "Aspire 2026 cohort" in page
    assert reverse("cohorts:participant_home", kwargs={"slug": running.slug}) in page
