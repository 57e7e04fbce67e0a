"""Download everything about a member; delete the account while aggregates stay right."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from alumni import selectors, services
from alumni.models import AlumniProfile, CareerEntry, MentoringRequest
from cohorts.models import Attendance, Feedback, Participant
from talenthub.core import personal_data
from talenthub.core.models import OutboundEmail, Profile, User
from tests.alumni.factories import (
    AlumniProfileFactory,
    CareerEntryFactory,
    MentoringOfferFactory,
    MentoringRequestFactory,
    TalentPoolMemberFactory,
)
from tests.alumni.test_visibility import png_upload
from tests.cohorts.factories import AttendanceFactory, FeedbackFactory
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(manager):
    """An alumnus with a profile, photo, career history, mentoring, feedback, attendance,
    a pool membership and an email sent to them."""
    profile = AlumniProfileFactory(headline="Director of People, Dudley")
    user = profile.user
    services.alumni_profile_save(
        user=user, headline=profile.headline, visibility="members", photo=png_upload()
    )
    participant = user.cohort_participations.get()
    AttendanceFactory(participant=participant, session__cohort=participant.cohort)
    FeedbackFactory(participant=participant, overall_rating=5, comments="Loved module 3")
    # A director since after their cohort started (200 days ago): an outcome of it.
    CareerEntryFactory(user=user, role="Director of People", organisation_name="Dudley", level=4,
                       started_on=timezone.localdate() - datetime.timedelta(days=30))  # fmt: skip
    MentoringRequestFactory(offer=MentoringOfferFactory(mentor=user))
    MentoringRequestFactory(mentee=user)
    TalentPoolMemberFactory(user=user)
    OutboundEmail.objects.create(
        key="x:1", to=user.email, recipient=user, subject="Hi", body_text="Hello"
    )
    return user


def test_registry_has_core_and_app_sections():
    names = [s.name for s in personal_data.sections()]
    assert names[0] == "account"
    assert {"alumni", "cohorts"} <= set(names)


def test_export_contains_everything_about_the_member(person):
    data = json.loads(json.dumps(personal_data.export_personal_data(person)))
    sections = data["sections"]
    assert sections["account"]["email"] == person.email
    assert sections["account"]["emails_sent_to_you"][0]["subject"] == "Hi"
    assert sections["alumni"]["alumni_profile"]["headline"] == "Director of People, Dudley"
    assert sections["alumni"]["alumni_profile"]["email_career_updates"] is True
    assert sections["alumni"]["career_history"][0]["role"] == "Director of People"
    assert len(sections["alumni"]["mentoring"]) == 2
    assert sections["alumni"]["talent_pools"][0]["readiness"] == "ready_now"
    assert sections["cohorts"]["participations"][0]["feedback"]["comments"] == "Loved module 3"
    assert len(sections["cohorts"]["participations"][0]["attendance"]) == 1


def test_erasure_anonymises_and_keeps_aggregates(person, manager):
    cohort = person.cohort_participations.get().cohort
    completers_before = cohort.participants.completed().count()
    attendance_before = Attendance.objects.filter(participant__cohort=cohort).count()
    profile_pk = AlumniProfile.objects.get(user=person).pk
    photo_name = AlumniProfile.objects.get(user=person).photo.name
    storage = AlumniProfile._meta.get_field("photo").storage
    assert storage.exists(photo_name)

    personal_data.erase_account(person)

    person.refresh_from_db()
    assert person.full_name == "" and person.email.endswith("@invalid.invalid")
    assert not person.is_active and not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Profile.objects.filter(user=person).exists()
    assert not AlumniProfile.objects.filter(pk=profile_pk).exists()
    assert not storage.exists(photo_name)
    assert not MentoringRequest.objects.filter(mentee=person).exists()
    assert not person.talent_pools.exists()
    assert OutboundEmail.objects.get(key="x:1").to == "erased@invalid.invalid"
    # Aggregates: cohort size, attendance, ratings, outcome levels.
    assert cohort.participants.completed().count() == completers_before
    assert Attendance.objects.filter(participant__cohort=cohort).count() == attendance_before
    feedback = Feedback.objects.get(participant__user=person)
    assert feedback.overall_rating == 5 and feedback.comments == ""
    entry = CareerEntry.objects.get(user=person)
    assert (entry.role, entry.level) == ("(erased)", 4)
    assert Participant.objects.filter(user=person).count() == 1


def test_erasure_removes_the_name_from_the_audit_trail(person, admin_user):
    from talenthub.core.models import AuditLog
    from talenthub.core.services import audit_record

    participant = person.cohort_participations.get()
    audit_record(actor=admin_user, action="completed", obj=participant, reason=f"{person} passed")
    name = person.full_name
    personal_data.erase_account(person)
    entry = AuditLog.objects.get(action="completed")
    assert name not in entry.object_repr and name not in entry.reason
    assert entry.object_repr.startswith("(erased) in ")


def test_erased_person_still_counts_in_outcomes(person, admin_user):
    cohort = person.cohort_participations.get().cohort

    def figures():
        return {
            r.label: (r.completers, r.with_history, r.already, r.reached)
            for r in selectors.outcomes(user=admin_user, level=4, years=10).cohorts
        }

    before = figures()
    personal_data.erase_account(person)
    after = figures()
    assert after == before and after[cohort.name] == (1, 1, 0, 1)


def test_download_view(client, person):
    url = reverse("personal_data_download")
    assert client.get(url).status_code == 302
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["sections"]["account"]["email"] == person.email


def test_other_people_are_not_in_my_download(client):
    me, other = MemberFactory(), MemberFactory(full_name="Someone Else")
    client.force_login(me)
    assert "Someone Else" not in client.get(reverse("personal_data_download")).content.decode()
    assert other.email not in client.get(reverse("personal_data_download")).content.decode()


def test_delete_view_needs_the_password(client, person):
    url = reverse("account_delete")
    client.force_login(person)
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"password": "not it"})
    assert wrong.status_code == 200 and "The password is not correct" in wrong.content.decode()
    assert User.objects.get(pk=person.pk).is_active
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.get(pk=person.pk).is_active
    assert "_auth_user_id" not in client.session
    assert not client.login(email=person.email, password=PASSWORD)
