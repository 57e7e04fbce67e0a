import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from alumni import services
from alumni.exceptions import AlumniError
from alumni.models import AlumniProfile, CareerEntry, CareerStory, MentoringRequest
from talenthub.core.models import AuditLog, OutboundEmail
from tests.alumni.factories import (
    AlumniProfileFactory,
    CareerEntryFactory,
    CareerStoryFactory,
    MentoringOfferFactory,
    MentoringRequestFactory,
    TalentPoolMemberFactory,
    make_alumnus,
)
from tests.alumni.test_visibility import png_upload
from tests.cohorts.factories import ParticipantFactory
from tests.factories import MemberFactory
from tests.helpers import raises_code

pytestmark = pytest.mark.django_db


# Profiles --------------------------------------------------------------------------------


def test_only_alumni_may_have_a_profile(member):
    with raises_code(AlumniError, "not_alumnus"):
        services.alumni_profile_save(user=member, headline="Not yet")
    enrolled = MemberFactory()
    ParticipantFactory(user=enrolled)  # enrolled, not completed
    with raises_code(AlumniError, "not_alumnus"):
        services.alumni_profile_save(user=enrolled, headline="Not yet")
    with pytest.raises(ValidationError):
        AlumniProfile(user=member, headline="typed in").full_clean()


def test_alumnus_saves_profile_with_functional_areas(alumnus):
    from tests.factories import FunctionalAreaFactory

    area = FunctionalAreaFactory()
    profile = services.alumni_profile_save(
        user=alumnus, headline="HR Director", career_level=4, functional_areas=[area]
    )
    assert profile.visibility == AlumniProfile.Visibility.HIDDEN  # private by default
    assert list(profile.functional_areas.all()) == [area]
    again = services.alumni_profile_save(user=alumnus, headline="Chief People Officer")
    assert again.pk == profile.pk and again.headline == "Chief People Officer"


def test_career_level_constraint_in_database(alumnus):
    profile = services.alumni_profile_save(user=alumnus, headline="x")
    with pytest.raises(IntegrityError):
        AlumniProfile.objects.filter(pk=profile.pk).update(career_level=7)


def test_photo_is_resized_to_a_jpeg(alumnus):
    from PIL import Image

    profile = services.alumni_profile_save(
        user=alumnus, headline="x", photo=png_upload((1600, 800))
    )
    with profile.photo.open("rb") as f:
        image = Image.open(f)
        assert image.format == "JPEG"
        assert max(image.size) == services.PHOTO_SIZE
    services.alumni_profile_save(user=alumnus, headline="x", remove_photo=True)
    profile.refresh_from_db()
    assert not profile.photo


@pytest.mark.parametrize(
    "content,name",
    [
        (b"MZ\x90\x00 not an image", "me.png"),
        (b"%PDF-1.4 pretending", "me.jpg"),
        (b"GIF89a....", "me.gif"),
    ],
)
def test_photo_that_is_not_an_allowed_image_is_refused(alumnus, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with raises_code(AlumniError, "photo_type"):
        services.alumni_profile_save(
            user=alumnus, headline="x", photo=SimpleUploadedFile(name, content)
        )
    assert not AlumniProfile.objects.filter(user=alumnus).exists()


# Career history --------------------------------------------------------------------------


def test_career_entry_added_and_announced_once(alumnus):
    AlumniProfileFactory(user=alumnus)  # announcing needs a visible profile
    entry = services.career_entry_save(
        user=alumnus,
        role="Head of HR",
        organisation_name="Sandwell Council",
        level=4,
        started_on=datetime.date(2020, 1, 6),
        announce=True,
    )
    first = entry.announced_at
    assert first is not None
    entry = services.career_entry_save(
        user=alumnus, entry=entry, role="Director of HR", announce=True
    )
    assert entry.announced_at == first


def test_announcing_with_a_hidden_profile_is_refused_and_saves_nothing(alumnus):
    fields = {"role": "Head of HR", "organisation_name": "Sandwell Council", "level": 4,
              "started_on": datetime.date(2020, 1, 6)}  # fmt: skip
    with raises_code(AlumniError, "profile_hidden"):
        services.career_entry_save(user=alumnus, announce=True, **fields)  # no profile
    AlumniProfileFactory(user=alumnus, visibility="hidden")
    with raises_code(AlumniError, "profile_hidden"):
        services.career_entry_save(user=alumnus, announce=True, **fields)
    assert not CareerEntry.objects.filter(user=alumnus).exists()
    # Not announcing is fine with a hidden profile: the history is the alumnus's own.
    entry = services.career_entry_save(user=alumnus, **fields)
    assert entry.announced_at is None


def test_career_entry_dates_validated(alumnus):
    with raises_code(AlumniError, "careerentry_dates_in_order"):
        services.career_entry_save(
            user=alumnus,
            role="x",
            organisation_name="y",
            level=3,
            started_on=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2019, 1, 1),
        )
    with pytest.raises(IntegrityError):
        CareerEntry.objects.create(
            user=alumnus, role="x", organisation_name="y", level=3,
            started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2019, 1, 1),
        )  # fmt: skip


def test_career_entry_of_someone_else_refused(alumnus):
    other = CareerEntryFactory()
    with raises_code(AlumniError, "not_yours"):
        services.career_entry_save(user=alumnus, entry=other, role="Mine now")
    with raises_code(AlumniError, "not_yours"):
        services.career_entry_delete(user=alumnus, entry=other)


def test_non_alumnus_cannot_keep_a_career_history(member):
    with raises_code(AlumniError, "not_alumnus"):
        services.career_entry_save(
            user=member,
            role="x",
            organisation_name="y",
            level=2,
            started_on=datetime.date(2020, 1, 1),
        )


# Mentoring ---------------------------------------------------------------------------------


def test_only_alumni_offer_mentoring(member):
    with raises_code(AlumniError, "not_alumnus"):
        services.mentoring_offer_save(mentor=member, topics="x", capacity=1, is_open=True)


def test_mentoring_flow_emails_each_party_once(capture, member):
    offer = MentoringOfferFactory(capacity=1)
    request = capture(
        services.mentoring_request_create, offer=offer, mentee=member, message="Help please"
    )
    assert [m.to for m in mail.outbox] == [[offer.mentor.email]]
    assert "asked you for mentoring" in mail.outbox[0].subject
    capture(services.mentoring_request_respond, request=request, mentor=offer.mentor, accept=True)
    assert [m.to for m in mail.outbox[1:]] == [[member.email], [offer.mentor.email]]
    assert "agreed to mentor you" in mail.outbox[1].subject
    assert member.email in mail.outbox[2].body
    # Answering twice is refused and does not email again.
    with raises_code(AlumniError, "already_answered"):
        capture(
            services.mentoring_request_respond, request=request, mentor=offer.mentor, accept=True
        )
    assert len(mail.outbox) == 3
    capture(services.mentoring_request_end, request=request, by=offer.mentor)
    request.refresh_from_db()
    assert request.status == MentoringRequest.Status.ENDED
    assert mail.outbox[-1].to == [member.email]
    with raises_code(AlumniError, "mentoring_not_active"):
        services.mentoring_request_end(request=request, by=member)
    assert OutboundEmail.objects.count() == 4


def test_declined_request_emails_the_mentee(capture, member):
    request = MentoringRequestFactory(mentee=member)
    capture(
        services.mentoring_request_respond,
        request=request,
        mentor=request.offer.mentor,
        accept=False,
    )
    request.refresh_from_db()
    assert request.status == MentoringRequest.Status.DECLINED
    assert mail.outbox[-1].to == [member.email]


def test_mentoring_rules(member):
    offer = MentoringOfferFactory(capacity=1)
    with raises_code(AlumniError, "mentor_self"):
        services.mentoring_request_create(offer=offer, mentee=offer.mentor, message="me")
    services.mentoring_request_create(offer=offer, mentee=member, message="one")
    with raises_code(AlumniError, "already_asked"):
        services.mentoring_request_create(offer=offer, mentee=member, message="two")
    with pytest.raises(IntegrityError):
        MentoringRequest.objects.create(offer=offer, mentee=member, message="db says no")


def test_capacity_is_never_exceeded():
    offer = MentoringOfferFactory(capacity=1)
    first, second = MentoringRequestFactory(offer=offer), MentoringRequestFactory(offer=offer)
    services.mentoring_request_respond(request=first, mentor=offer.mentor, accept=True)
    with raises_code(AlumniError, "mentor_full"):
        services.mentoring_request_respond(request=second, mentor=offer.mentor, accept=True)
    with raises_code(AlumniError, "capacity_below_accepted"):
        services.mentoring_offer_save(mentor=offer.mentor, topics="x", capacity=0, is_open=True)


def test_only_the_mentor_answers_and_parties_end(member):
    request = MentoringRequestFactory()
    with raises_code(AlumniError, "not_mentor"):
        services.mentoring_request_respond(request=request, mentor=member, accept=True)
    with raises_code(AlumniError, "not_party"):
        services.mentoring_request_end(request=request, by=member)
    services.mentoring_request_end(request=request, by=request.mentee)
    request.refresh_from_db()
    assert request.status == MentoringRequest.Status.WITHDRAWN


def test_closed_offer_takes_no_requests(member):
    offer = MentoringOfferFactory(is_open=False)
    with raises_code(AlumniError, "mentor_not_taking"):
        services.mentoring_request_create(offer=offer, mentee=member, message="x")


# Stories and talent ----------------------------------------------------------------------


def test_story_published_only_after_moderation(capture, admin_user, member):
    story = services.career_story_submit(
        author=member, title="From payroll to director", body="..."
    )
    assert story.status == CareerStory.Status.SUBMITTED
    assert not CareerStory.objects.published().exists()
    capture(services.career_story_moderate, story=story, moderator=admin_user, publish=True)
    story.refresh_from_db()
    assert story.status == CareerStory.Status.PUBLISHED and story.published_at
    assert mail.outbox[-1].to == [member.email]
    assert AuditLog.objects.filter(action="story.published").exists()
    with raises_code(AlumniError, "already_moderated"):
        services.career_story_moderate(story=story, moderator=admin_user, publish=False)


def test_rejected_story_stays_unpublished(admin_user):
    story = CareerStoryFactory()
    services.career_story_moderate(
        story=story, moderator=admin_user, publish=False, reason="Names a colleague"
    )
    assert not CareerStory.objects.published().exists()


def test_member_sets_their_own_mobility(member):
    pool_member = TalentPoolMemberFactory(user=member)
    services.pool_member_mobility_update(
        member=pool_member, user=member, mobility_regions=["london", "east_midlands", "london"],
        open_to_secondment=True, open_to_relocation=False,
    )  # fmt: skip
    pool_member.refresh_from_db()
    assert pool_member.mobility_regions == ["east_midlands", "london"]
    with raises_code(AlumniError, "not_yours"):
        services.pool_member_mobility_update(
            member=pool_member, user=make_alumnus(), mobility_regions=[],
            open_to_secondment=False, open_to_relocation=False,
        )  # fmt: skip
    with raises_code(AlumniError, "unknown_region"):
        services.pool_member_mobility_update(
            member=pool_member, user=member, mobility_regions=["atlantis"],
            open_to_secondment=False, open_to_relocation=False,
        )  # fmt: skip
