"""One record of a person's current role, organisation and level (issue 15, item 6):
the profile. The alumni profile shows a copy nobody types; a current role added to the
career history becomes the profile's."""

import datetime

import pytest
from django.urls import reverse

from alumni.models import AlumniProfile
from alumni.services import alumni_profile_save, can_post_vacancy_for, career_entry_save
from talenthub.core.choices import CareerLevel
from talenthub.core.services import profile_update
from tests.alumni.factories import make_alumnus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _entry(user, **fields):
    data = {
        "role": "Director of People",
        "organisation_name": "Derby City Council",
        "level": CareerLevel.LEVEL_4,
        "started_on": datetime.date(2026, 4, 1),
        "ended_on": None,
        **fields,
    }
    return career_entry_save(user=user, **data)


def test_the_alumni_profile_form_does_not_ask_again(client):
    alumnus = make_alumnus()
    client.force_login(alumnus)
    html = client.get(reverse("alumni:my_profile")).content.decode()
    for name in ("current_role", "organisation", "career_level"):
        assert f'name="{name}"' not in html
    assert alumnus.profile.job_title in html  # shown from the profile
    assert reverse("profile") in html


def test_changing_the_profile_changes_the_alumni_profiles_copy():
    alumnus = make_alumnus()
    alumni_profile_save(user=alumnus, headline="Head of HR", visibility="members")
    council = OrganisationFactory(name="Derby City Council")
    profile = alumnus.profile
    profile_update(
        user=alumnus,
        full_name=alumnus.full_name,
        organisation=council,
        job_title="Deputy Director of HR",
        career_level=CareerLevel.LEVEL_4,
        region=profile.region,
        cipd_grade=profile.cipd_grade,
    )
    copy = AlumniProfile.objects.get(user=alumnus)
    assert (copy.current_role, copy.organisation, copy.career_level) == (
        "Deputy Director of HR",
        council,
        CareerLevel.LEVEL_4,
    )


def test_a_new_current_role_in_the_career_history_becomes_the_profiles():
    council = OrganisationFactory(name="Derby City Council")
    alumnus = make_alumnus()
    alumni_profile_save(user=alumnus, headline="Head of HR", visibility="members")
    # A past role changes nothing current.
    _entry(alumnus, role="Trainee HR Officer", level=1, ended_on=datetime.date(2026, 3, 31),
           started_on=datetime.date(2020, 1, 1))  # fmt: skip
    alumnus.profile.refresh_from_db()
    assert alumnus.profile.job_title != "Trainee HR Officer"

    _entry(alumnus, organisation_name="derby city council ")
    alumnus.profile.refresh_from_db()
    assert alumnus.profile.job_title == "Director of People"
    assert alumnus.profile.career_level == CareerLevel.LEVEL_4
    assert alumnus.profile.organisation == council
    assert AlumniProfile.objects.get(user=alumnus).current_role == "Director of People"
    # The Level 4 director the issue found refused may now post a vacancy for their own
    # organisation: the permission reads the same one record.
    assert can_post_vacancy_for(alumnus, council)

    # An older current role (a second job) does not replace the newest.
    _entry(alumnus, role="Trustee", level=3, started_on=datetime.date(2019, 1, 1))
    alumnus.profile.refresh_from_db()
    assert alumnus.profile.job_title == "Director of People"
