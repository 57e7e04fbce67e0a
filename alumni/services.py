"""Every write to the alumni records. Each function is one transaction and validates with
``full_clean()`` (``clean_or_raise``), so that a broken rule is always an ``AlumniError``
with a stable ``code``, never a ``ValidationError``."""

import io
import logging
import warnings
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import fanout
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record, consent_record_changes, profile_role_set

from . import moderation, selectors
from .exceptions import AlumniError
from .models import (
    AlumniProfile,
    CareerEntry,
    CareerStory,
    MentoringOffer,
    MentoringRequest,
    TalentAssessment,
    TalentPoolMember,
    Vacancy,
    is_alumnus,
)

logger = logging.getLogger(__name__)

PHOTO_SIZE = 400
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# A photo's pixels are checked from its header before it is decoded: decoding takes about
# 4 bytes a pixel, so a 420 KB PNG of 12000×12000 took a worker's peak memory up by 1 GB.
# At most 40 megapixels and 8000 pixels on a side: a PNG or WebP at the limit still costs
# ~160 MB while it is decoded; a JPEG is decoded at 1/2 to 1/8 scale (draft) and costs little.
PHOTO_MAX_SIDE = 8000
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


def _too_large_error() -> ValidationError:
    return ValidationError(
        _("The photo must be smaller than %(side)s by %(side)s pixels.")
        % {"side": f"{PHOTO_MAX_SIDE:,}"},
        code="photo_too_large",
    )


def _open_photo(upload):
    """Open ``upload`` as a JPEG, PNG or WebP image, reading its header only, and refuse it
    if it has too many pixels. Pillow's own decompression-bomb check (a warning above
    89 megapixels, an error above 179) is made an error too; catch_warnings is not
    thread-safe, but the project's lower limit below is the guard that counts."""
    from PIL import Image

    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # formats=: no other decoder (EPS, which runs Ghostscript, SVG-like or TIFF
        # plugins) ever sees the bytes.
        image = Image.open(upload, formats=PHOTO_FORMATS)
    width, height = image.size
    if max(width, height) > PHOTO_MAX_SIDE or width * height > PHOTO_MAX_PIXELS:
        raise _too_large_error()
    return image


def _decode_small(upload):
    """The pixels of the (already checked) image, at most PHOTO_SIZE on a side, upright."""
    from PIL import Image, ImageOps

    image = _open_photo(upload)
    image.verify()  # the PNG's chunk checksums; nothing is decoded
    image = _open_photo(upload)
    # A JPEG can be decoded straight at 1/2, 1/4 or 1/8 scale: far less memory.
    image.draft("RGB", (PHOTO_SIZE, PHOTO_SIZE))
    image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # The stored photo has no EXIF, so its orientation tag is applied to the pixels.
    return ImageOps.exif_transpose(image)


def photo_process(upload) -> ContentFile:
    """Check that ``upload`` really is a JPEG, PNG or WebP image (by its content, never by
    its name) no larger than PHOTO_MAX_BYTES and PHOTO_MAX_SIDE/PHOTO_MAX_PIXELS (checked
    before decoding), and return it as a JPEG no larger than 400×400, re-encoded from its
    pixels alone: no EXIF (GPS, camera), comment, ICC profile or trailing bytes survive.
    Any file that is not such an image is a ValidationError, never another exception."""
    from PIL import Image, UnidentifiedImageError

    if upload.size == 0:
        raise ValidationError(_("The selected file is empty."), code="photo_empty")
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo must be smaller than 5 MB."), code="photo_too_big")
    try:
        small = _decode_small(upload)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large_error() from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("The selected file must be a JPEG, PNG or WebP image."), code="photo_type"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - hostile bytes reach a decoder: any failure
        logger.info("Photo refused: %s: %s", type(exc).__name__, exc)
        raise ValidationError(
            _("The selected file is not an image that can be read. Choose another photo."),
            code="photo_unreadable",
        ) from exc
    finally:
        upload.seek(0)
    # A new image from the pixels only: nothing of the upload's metadata is carried over.
    background = Image.new("RGB", small.size, (255, 255, 255))
    if small.mode in ("RGBA", "LA"):
        background.paste(small.convert("RGBA"), mask=small.convert("RGBA").getchannel("A"))
    else:
        background.paste(small.convert("RGB"))
    buffer = io.BytesIO()
    background.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


# The alumni profile's current role, organisation and level are a copy of the person's
# profile, the one record of them (issue 15, item 6): nobody types them twice, and the
# directory still filters on its own columns. Kept true by alumni_profile_save and by
# copy_current_role_from_profile (the core ``current_role_changed`` signal).
ROLE_FIELDS = {
    "current_role": "job_title",
    "organisation": "organisation",
    "career_level": "career_level",
}


def _copy_current_role(alumni_profile: AlumniProfile, profile) -> None:
    for mine, theirs in ROLE_FIELDS.items():
        setattr(alumni_profile, mine, getattr(profile, theirs, None) if profile else None)
    alumni_profile.current_role = alumni_profile.current_role or ""


def copy_current_role_from_profile(sender, *, profile, **kwargs) -> None:
    """Receiver of ``current_role_changed``: the alumni profile follows the profile."""
    AlumniProfile.objects.filter(user_id=profile.user_id).update(
        current_role=profile.job_title,
        organisation=profile.organisation_id,
        career_level=profile.career_level,
        updated_at=timezone.now(),
    )


@transaction.atomic
def alumni_profile_save(*, user, functional_areas=(), photo=None, remove_photo=False, **fields):
    """Create or update the alumnus's own profile. Guarantees that only an alumnus has a
    profile (``AlumniError`` otherwise) and that a stored photo is a resized JPEG.

    ``photo`` is a newly uploaded file, or None to keep the photo as it is (it is not
    read or re-encoded); ``remove_photo`` removes it (a new photo wins over removal).
    A replaced or removed photo's file is deleted only once the transaction commits, so
    a failed save leaves the profile and its file as they were."""
    if not is_alumnus(user):
        raise AlumniError(_("Only alumni can have an alumni profile."), code="not_alumnus")
    profile = AlumniProfile.objects.filter(user=user).first() or AlumniProfile(user=user)
    before = {"email_career_updates": profile.email_career_updates if profile.pk else False}
    for name, value in fields.items():
        setattr(profile, name, value)
    _copy_current_role(profile, getattr(user, "profile", None))
    clean_or_raise(profile, AlumniError, exclude=["photo"])
    old_name = profile.photo.name or ""
    if photo is not None:
        try:
            processed = photo_process(photo)
        except ValidationError as exc:
            # The photo's own rule (photo_type, photo_too_big, …), shown next to the field.
            raise AlumniError.from_validation_error(
                ValidationError({"photo": exc.error_list})
            ) from exc
        # The storage gives the new file another name while the old one is still there.
        profile.photo.save("photo.jpg", processed, save=False)
    elif remove_photo:
        profile.photo = ""
    profile.save()
    profile.functional_areas.set(functional_areas)
    consent_record_changes(
        user=user,
        instance=profile,
        before=before,
        purposes=["email_career_updates"],
        source="alumni profile",
    )
    if old_name and profile.photo.name != old_name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return profile


@transaction.atomic
def career_entry_save(*, user, entry: CareerEntry | None = None, announce=False, **fields):
    """Add or change one entry of the user's own career history. ``announce`` shares it as
    a career update with the network, once: the first announcement time is kept, and
    after commit ``announce_career_update_task`` emails the network (see
    ``career_update_announce_batch``). Announcing needs a profile others can see: with a
    hidden profile (or none) it is refused with an ``AlumniError``, and nothing is saved."""
    if not is_alumnus(user):
        raise AlumniError(_("Only alumni keep a career history here."), code="not_alumnus")
    if entry is not None and entry.user_id != user.pk:
        raise AlumniError(_("You can only change your own career history."), code="not_yours")
    entry = entry or CareerEntry(user=user)
    for name, value in fields.items():
        setattr(entry, name, value)
    clean_or_raise(entry, AlumniError)
    newly_announced = announce and entry.announced_at is None
    if newly_announced:
        if selectors.announcing_profile(user.pk) is None:
            raise AlumniError(
                _(
                    "Your alumni profile is hidden, so nobody would see this career update. "
                    "Choose who can see your profile first, or untick “Announce”."
                ),
                code="profile_hidden",
            )
        entry.announced_at = timezone.now()
    entry.save()
    _current_entry_to_profile(user, entry)
    if newly_announced:
        from talenthub.core.queueing import enqueue_on_commit

        from .tasks import announce_career_update_task

        enqueue_on_commit(announce_career_update_task, entry.pk)
    return entry


CAREER_UPDATE_BATCH_SIZE = fanout.BATCH_SIZE


def _current_entry_to_profile(user, entry: CareerEntry) -> None:
    """A current role (no end date) that is the newest of the person's current roles is
    them telling us what they do now: it becomes their profile's role and level, and the
    organisation too when one of that name is known. The profile stays the one record;
    the career history keeps the dates."""
    if entry.ended_on is not None:
        return
    newer = (
        CareerEntry.objects.filter(user=user, ended_on__isnull=True)
        .filter(started_on__gt=entry.started_on)
        .exclude(pk=entry.pk)
        .exists()
    )
    if newer:
        return
    from talenthub.core.models import Organisation  # noqa: PLC0415

    organisation = Organisation.objects.filter(name__iexact=entry.organisation_name.strip()).first()
    profile_role_set(
        user=user, job_title=entry.role, career_level=entry.level, organisation=organisation
    )


def career_update_batches(entry: CareerEntry, batch_size: int | None = None):
    """Yield ``(first_id, last_id)`` ranges of ``batch_size`` (by default
    ``CAREER_UPDATE_BATCH_SIZE``) recipients of ``entry``'s announcement, streaming the
    ids so memory stays flat for a network of any size."""
    return fanout.id_ranges(
        selectors.career_update_recipients(entry), batch_size or CAREER_UPDATE_BATCH_SIZE
    )


def career_update_key_prefix(entry: CareerEntry) -> str:
    """Every email announcing ``entry`` has a key starting with this (then the user's id)."""
    return f"alumni.career_update:{entry.pk}:"


@transaction.atomic
def career_update_announce_batch(*, entry_id: int, first_id: int, last_id: int) -> int:
    """Email one batch of the announcer's network (``selectors.career_update_recipients``
    with ids in ``first_id..last_id``) about an announced career entry. Guarantees: one
    outbox row per entry and recipient (key ``alumni.career_update:<entry>:<user>``), so a
    repeated batch sends nothing twice; nothing at all if the entry is gone or no longer
    announced (erased) or the announcer's profile is now hidden or inactive, because the
    check is made here, when the emails are queued, not when the task was enqueued. One
    transaction, one mail merge and one bulk insert per batch (``notify_many``).
    Returns the number of emails newly queued."""
    entry = CareerEntry.objects.filter(pk=entry_id, announced_at__isnull=False).first()
    if entry is None:
        return 0
    profile = selectors.announcing_profile(entry.user_id)
    if profile is None:
        return 0
    return fanout.queue_batch(
        recipients=selectors.career_update_recipients(entry),
        first_id=first_id,
        last_id=last_id,
        key_prefix=career_update_key_prefix(entry),
        template="alumni_career_update",
        context={"entry": entry, "profile": profile, "announcer": profile.user},
        unsubscribe_kind="career_updates",
    )


# How long after announcing a cut-short fan-out is still made good, and how long it is
# left to the batch tasks first.
CAREER_UPDATE_SWEEP_DAYS = 7
CAREER_UPDATE_SWEEP_GRACE = timedelta(minutes=5)


def career_updates_unfinished(now=None):
    """Career entries announced in the last week (and at least five minutes ago) whose
    announcer may still announce, with someone in the network who should have been
    emailed and has no email queued: the fan-out was cut short (a worker killed
    mid-batch, a task lost with Redis). A query for due rows, one per entry."""
    now = now or timezone.now()
    candidates = CareerEntry.objects.filter(
        announced_at__gte=now - timedelta(days=CAREER_UPDATE_SWEEP_DAYS),
        announced_at__lte=now - CAREER_UPDATE_SWEEP_GRACE,
    ).order_by("pk")
    for entry in candidates:
        if selectors.announcing_profile(entry.user_id) is None:
            continue
        recipients = selectors.career_update_recipients(entry)
        if fanout.unsent_exists(recipients, career_update_key_prefix(entry)):
            yield entry


def career_updates_turn_off(*, user, scope=None) -> None:
    """Stop career-update emails to ``user`` (the one-click unsubscribe link, kind
    "career_updates"). Someone with no alumni profile gets none anyway."""
    AlumniProfile.objects.filter(user=user).update(
        email_career_updates=False, updated_at=timezone.now()
    )


@transaction.atomic
def career_entry_delete(*, user, entry: CareerEntry) -> None:
    if entry.user_id != user.pk:
        raise AlumniError(_("You can only change your own career history."), code="not_yours")
    entry.delete()


@transaction.atomic
def mentoring_offer_save(*, mentor, topics: str, capacity: int, is_open: bool) -> MentoringOffer:
    """Create or update the alumnus's mentoring offer. Lowering the capacity below the
    mentees already accepted is refused."""
    if not is_alumnus(mentor):
        raise AlumniError(_("Only alumni can offer mentoring."), code="not_alumnus")
    offer = MentoringOffer.objects.select_for_update().filter(mentor=mentor).first()
    offer = offer or MentoringOffer(mentor=mentor)
    if offer.pk:
        accepted = offer.requests.filter(status=MentoringRequest.Status.ACCEPTED).count()
        if capacity < accepted:
            raise AlumniError(
                _("You already mentor %(n)s people: the capacity cannot be lower.")
                % {"n": accepted},
                code="capacity_below_accepted",
            )
    offer.topics, offer.capacity, offer.is_open = topics, capacity, is_open
    clean_or_raise(offer, AlumniError)
    offer.save()
    return offer


@transaction.atomic
def mentoring_request_create(*, offer: MentoringOffer, mentee, message: str) -> MentoringRequest:
    """A member asks an alumnus for mentoring. Guarantees: not oneself, the offer is open
    and below its capacity (accepted mentees), at most one live request per pair; the
    mentor is emailed once."""
    offer = MentoringOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.mentor_id == mentee.pk:
        raise AlumniError(_("You cannot ask yourself for mentoring."), code="mentor_self")
    if not offer.is_open:
        raise AlumniError(
            _("This alumnus is not taking new mentees at the moment."), code="mentor_not_taking"
        )
    if offer.requests.live().filter(mentee=mentee).exists():
        raise AlumniError(
            _("You have already asked this alumnus for mentoring."), code="already_asked"
        )
    if offer.requests.filter(status=MentoringRequest.Status.ACCEPTED).count() >= offer.capacity:
        # Under the offer's lock, as acceptance is: a mentor at capacity is not listed
        # as open to mentoring, and a request sent from an old page is refused here.
        raise AlumniError(
            _("This alumnus is mentoring as many people as they can at the moment."),
            code="mentor_full",
        )
    request = MentoringRequest(offer=offer, mentee=mentee, message=message.strip())
    clean_or_raise(request, AlumniError)
    request.save()
    notify(
        key=f"alumni.mentoring.requested:{request.pk}",
        user=offer.mentor,
        template="alumni_mentoring_requested",
        context={"request": request, "mentee": mentee},
    )
    return request


def _locked_request(request: MentoringRequest) -> MentoringRequest:
    # Lock order: the offer, then the request (the same order as mentoring_request_create).
    MentoringOffer.objects.select_for_update().get(pk=request.offer_id)
    return (
        MentoringRequest.objects.select_for_update()
        .select_related("offer__mentor", "mentee")
        .get(pk=request.pk)
    )


@transaction.atomic
def mentoring_request_respond(*, request: MentoringRequest, mentor, accept: bool):
    """The mentor accepts or declines a request. Accepting never exceeds the offer's
    capacity. The mentee is emailed once about the decision; on acceptance the mentor is
    also emailed once, with the mentee's contact details."""
    request = _locked_request(request)
    if request.offer.mentor_id != mentor.pk:
        raise AlumniError(_("Only the mentor can answer this request."), code="not_mentor")
    if request.status != MentoringRequest.Status.REQUESTED:
        raise AlumniError(_("This request has already been answered."), code="already_answered")
    if accept:
        accepted = request.offer.requests.filter(status=MentoringRequest.Status.ACCEPTED).count()
        if accepted >= request.offer.capacity:
            raise AlumniError(
                _("You are already mentoring as many people as you offered."), code="mentor_full"
            )
        request.status = MentoringRequest.Status.ACCEPTED
    else:
        request.status = MentoringRequest.Status.DECLINED
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at", "updated_at"])
    notify(
        key=f"alumni.mentoring.{request.status}:{request.pk}",
        user=request.mentee,
        template=(
            "alumni_mentoring_accepted"
            if request.status == MentoringRequest.Status.ACCEPTED
            else "alumni_mentoring_declined"
        ),
        context={"request": request, "mentor": request.offer.mentor},
    )
    if accept:
        # Both sides of a new relationship hear of it, each once.
        notify(
            key=f"alumni.mentoring.confirmed:{request.pk}",
            user=request.offer.mentor,
            template="alumni_mentoring_confirmed",
            context={"request": request, "mentee": request.mentee},
        )
    return request


@transaction.atomic
def mentoring_request_end(*, request: MentoringRequest, by):
    """Either party ends a live relationship (a pending request ended by the mentee is
    withdrawn). The other party is emailed once."""
    request = _locked_request(request)
    mentor, mentee = request.offer.mentor, request.mentee
    if by.pk not in (mentor.pk, mentee.pk):
        raise AlumniError(_("Only the mentor or the mentee can end this."), code="not_party")
    if request.status == MentoringRequest.Status.REQUESTED and by.pk == mentee.pk:
        request.status = MentoringRequest.Status.WITHDRAWN
    elif request.status == MentoringRequest.Status.ACCEPTED:
        request.status = MentoringRequest.Status.ENDED
    else:
        raise AlumniError(_("This mentoring cannot be ended."), code="mentoring_not_active")
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at", "updated_at"])
    other = mentee if by.pk == mentor.pk else mentor
    notify(
        key=f"alumni.mentoring.ended:{request.pk}",
        user=other,
        template="alumni_mentoring_ended",
        context={"request": request, "ended_by": by},
    )
    return request


@transaction.atomic
def career_story_submit(*, author, **fields) -> CareerStory:
    """A member submits a career story; it is published only after moderation. The
    moderators are emailed that it is waiting (once each); the author sees it, marked
    as awaiting moderation, among their own stories."""
    story = CareerStory(author=author, status=CareerStory.Status.SUBMITTED, **fields)
    clean_or_raise(story, AlumniError)
    story.save()
    moderation.moderators_notify(story)
    return story


@transaction.atomic
def career_story_moderate(*, story: CareerStory, moderator, publish: bool, reason: str = ""):
    """Publish or reject a submitted story (moderators only), once; recorded in the audit
    trail, and the author is emailed the decision once."""
    if not moderation.is_moderator(moderator):
        raise AlumniError(_("Only moderators can publish stories."), code="not_moderator")
    story = CareerStory.objects.select_for_update().get(pk=story.pk)
    if story.status != CareerStory.Status.SUBMITTED:
        raise AlumniError(_("This story has already been moderated."), code="already_moderated")
    story.status = CareerStory.Status.PUBLISHED if publish else CareerStory.Status.REJECTED
    story.published_at = timezone.now() if publish else None
    story.moderated_by = moderator
    story.save(update_fields=["status", "published_at", "moderated_by", "updated_at"])
    audit_record(actor=moderator, action=f"story.{story.status}", obj=story, reason=reason)
    notify(
        key=f"alumni.story.{story.status}:{story.pk}",
        user=story.author,
        template=moderation.STORY_MODERATED,
        context={"story": story, "reason": reason},
    )
    return story


@transaction.atomic
def pool_member_add(
    *,
    pool,
    user,
    target_level: int,
    readiness: str,
    home_region: str,
    skills: str = "",
    experience: str = "",
    selected_by,
) -> TalentPoolMember:
    """Select ``user`` into a talent pool (the caller checked the pool is one
    ``selected_by`` manages, through ``selectors.pools_managed_by``). Guarantees: once per
    person per pool; the level, readiness and region are valid choices; the member's own
    mobility preferences start empty (they set them)."""
    if TalentPoolMember.objects.filter(pool=pool, user=user).exists():
        raise AlumniError(
            _("%(name)s is already in %(pool)s.") % {"name": user.get_full_name(), "pool": pool},
            code="already_in_pool",
        )
    member = TalentPoolMember(
        pool=pool,
        user=user,
        target_level=target_level,
        readiness=readiness,
        home_region=home_region,
        skills=skills,
        experience=experience,
        selected_by=selected_by,
    )
    try:
        member.full_clean()
    except ValidationError as exc:
        raise AlumniError("; ".join(exc.messages)) from None
    member.save()
    audit_record(actor=selected_by, action="talent.pool_member_added", obj=member)
    return member


@transaction.atomic
def pool_member_mobility_update(
    *,
    member: TalentPoolMember,
    user,
    mobility_regions,
    open_to_secondment,
    open_to_relocation,
    share_with_employers=None,
):
    """The pool member sets their own mobility preferences, and whether organisations
    whose vacancies they match may see them (``share_with_employers``: only the member
    sets it; None keeps it; each change is a ConsentRecord). A pool's managers may also
    record mobility, through ``services_talent.pool_member_update``."""
    if member.user_id != user.pk:
        raise AlumniError(_("Only the member sets their mobility preferences."), code="not_yours")
    before = {"share_with_employers": member.share_with_employers}
    member.mobility_regions = sorted(set(mobility_regions))
    member.open_to_secondment = open_to_secondment
    member.open_to_relocation = open_to_relocation
    if share_with_employers is not None:
        member.share_with_employers = share_with_employers
    clean_or_raise(member, AlumniError)
    member.save()
    consent_record_changes(
        user=user,
        instance=member,
        before=before,
        purposes=["share_with_employers"],
        source=f"talent pool {member.pool_id}",
    )
    return member


@transaction.atomic
def talent_assessment_save(
    *, member: TalentPoolMember, manager, summary: str, shared_with_member: bool | None = None
):
    """Record the pool's assessment of a member (pool managers only: checked by the
    caller through ``selectors.pools_managed_by`` or the admin's scoping), with who made
    it, and an audit entry. ``shared_with_member`` shows it to the member on their
    talent pools page (None keeps the current choice; a new assessment is not shared).
    The page and the admin both call this."""
    assessment = TalentAssessment.objects.filter(pool_member=member).first() or (
        TalentAssessment(pool_member=member)
    )
    assessment.summary = summary
    assessment.assessed_by = manager
    if shared_with_member is not None:
        assessment.shared_with_member = shared_with_member
    clean_or_raise(assessment, AlumniError)
    assessment.save()
    audit_record(
        actor=manager,
        action="talent.assessed",
        obj=member,
        reason="shared with the member" if assessment.shared_with_member else "not shared",
    )
    return assessment


@transaction.atomic
def talent_assessment_delete(*, member: TalentPoolMember, manager) -> None:
    """Remove the pool's assessment of a member (if any), with an audit entry."""
    deleted, _rows = TalentAssessment.objects.filter(pool_member=member).delete()
    if deleted:
        audit_record(actor=manager, action="talent.assessment_deleted", obj=member)


def can_post_vacancy_for(user, organisation) -> bool:
    """Talent pools' managers post for any organisation; a senior member (career level
    4: head of HR, deputy director or director) posts for their own organisation."""
    from .selectors import pools_managed_by

    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    if pools_managed_by(user).exists():
        return True
    profile = getattr(user, "profile", None)
    return bool(
        profile and profile.organisation_id == organisation.pk and profile.career_level == 4
    )


@transaction.atomic
def vacancy_post(*, by, organisation, **fields) -> Vacancy:
    """Post an immediate or predicted senior vacancy for an organisation."""
    if not can_post_vacancy_for(by, organisation):
        raise AlumniError(_("You cannot post vacancies for this organisation."), code="not_allowed")
    vacancy = Vacancy(organisation=organisation, posted_by=by, **fields)
    clean_or_raise(vacancy, AlumniError)
    vacancy.save()
    audit_record(actor=by, action="vacancy.posted", obj=vacancy)
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by, status: str) -> Vacancy:
    """Mark an open vacancy filled or withdrawn (by whoever may post for its organisation)."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if not can_post_vacancy_for(by, vacancy.organisation):
        raise AlumniError(
            _("You cannot change vacancies for this organisation."), code="not_allowed"
        )
    if status not in (Vacancy.Status.FILLED, Vacancy.Status.WITHDRAWN):
        raise AlumniError(_("Choose filled or withdrawn."), code="outcome_required")
    if vacancy.status != Vacancy.Status.OPEN:
        raise AlumniError(_("This vacancy is already closed."), code="vacancy_closed")
    vacancy.status = status
    vacancy.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action=f"vacancy.{status}", obj=vacancy)
    return vacancy
