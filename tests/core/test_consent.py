"""Opt-ins off by default, with consent recorded (issue 15, item 5): a new profile is
sent no announcement or bulletin until the person ticks the box; each tick and untick
is a ConsentRecord (what, when, where), shown in their personal data export."""

import pytest
from django.urls import reverse

from alumni.services import alumni_profile_save
from talenthub.core import unsubscribe
from talenthub.core.models import ConsentRecord, Profile, User
from talenthub.core.personal_data import export_personal_data
from talenthub.core.services import profile_update
from tests.alumni.factories import make_alumnus
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _profile_data(user, **changes):
    profile = user.profile
    data = {
        "full_name": user.full_name or "Siobhán O'Brien",
        "organisation": profile.organisation,
        "job_title": profile.job_title,
        "career_level": profile.career_level,
        "region": profile.region,
        "cipd_grade": profile.cipd_grade,
        "functional_areas": [],
        **{name: getattr(profile, name) for name in (*Profile.CONSENTS, "email_reminders")},
    }
    return {**data, **changes}


def test_signing_up_opts_in_to_nothing_that_markets(client):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Siobhán O'Brien",
            "email": "siobhan@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    profile = User.objects.get(email="siobhan@example.com").profile
    assert not profile.email_event_announcements
    assert not profile.email_programme_announcements
    assert not profile.email_bulletins
    assert profile.email_reminders  # about what they booked: a service message
    assert not ConsentRecord.objects.exists()
    # The profile form shows the boxes unticked.
    client.force_login(profile.user)
    html = client.get(reverse("profile")).content.decode()
    assert 'name="email_bulletins"' in html
    assert 'name="email_bulletins" checked' not in html


def test_ticking_and_unticking_are_recorded_with_the_words_shown():
    user = UserFactory(full_name="Siobhán O'Brien")
    Profile.objects.create(user=user)
    profile_update(user=user, **_profile_data(user, email_bulletins=True))
    [given] = ConsentRecord.objects.all()
    assert (given.purpose, given.given, given.source) == ("email_bulletins", True, "profile")
    assert given.wording == "Email me newsletters and bulletins"

    user.profile.refresh_from_db()
    profile_update(user=user, **_profile_data(user))  # nothing changed: nothing recorded
    assert ConsentRecord.objects.count() == 1

    user.profile.refresh_from_db()
    profile_update(user=user, **_profile_data(user, email_bulletins=False))
    assert list(ConsentRecord.objects.values_list("given", flat=True)) == [True, False]

    export = export_personal_data(user)["sections"]["account"]["consents"]
    assert [(c["purpose"], c["given"], c["where"]) for c in export] == [
        ("email_bulletins", True, "profile"),
        ("email_bulletins", False, "profile"),
    ]
    assert export[0]["what"] == "Email me newsletters and bulletins" and export[0]["at"]


def test_an_unsubscribe_link_records_the_consent_withdrawn(client, member):
    token = unsubscribe.make_token(user_id=member.pk, kind="events")
    client.post(reverse("unsubscribe", kwargs={"token": token}))
    record = ConsentRecord.objects.get(user=member)
    assert not record.given and record.source == "unsubscribe link"
    assert "new events" in record.wording


def test_career_update_emails_are_an_opt_in_too():
    alumnus = make_alumnus()
    profile = alumni_profile_save(user=alumnus, headline="Head of HR", visibility="members")
    assert profile.email_career_updates is False
    alumni_profile_save(user=alumnus, email_career_updates=True)
    record = ConsentRecord.objects.get(user=alumnus)
    assert (record.purpose, record.given, record.source) == (
        "email_career_updates",
        True,
        "alumni profile",
    )


def test_erasing_the_account_erases_its_consent_history():
    from talenthub.core.personal_data import erase_account

    user = UserFactory()
    Profile.objects.create(user=user)
    profile_update(user=user, **_profile_data(user, email_bulletins=True))
    erase_account(user)
    assert not ConsentRecord.objects.filter(user=user).exists()
