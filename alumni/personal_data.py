"""The alumni section of a member's personal data (see ``talenthub.core.personal_data``).
Registered by ``AlumniConfig.ready()``. Participations, attendance, project work and
feedback are the cohorts app's section (``cohorts.personal_data``).

Erasure keeps what aggregate figures are computed from: career levels with their dates
(outcome figures), while removing everything that says who the person is or what they
wrote.
"""

from django.db.models import Q

from talenthub.core import personal_data


def export_alumni(user) -> dict:
    from .models import (
        AlumniProfile,
        CareerEntry,
        CareerStory,
        MentoringOffer,
        MentoringRequest,
        Pledge,
        TalentPoolMember,
    )

    profile = AlumniProfile.objects.filter(user=user).prefetch_related("functional_areas").first()
    offer = MentoringOffer.objects.filter(mentor=user).first()
    return {
        "alumni_profile": None
        if profile is None
        else {
            "headline": profile.headline,
            "current_role": profile.current_role,
            "organisation": str(profile.organisation) if profile.organisation else None,
            "region": profile.region,
            "career_level": profile.career_level,
            "functional_areas": [a.name for a in profile.functional_areas.all()],
            "skills": profile.skills,
            "bio": profile.bio,
            "has_photo": bool(profile.photo),
            "website": profile.website,
            "linkedin": profile.linkedin,
            "visibility": profile.visibility,
            "email_career_updates": profile.email_career_updates,
        },
        "career_history": [
            {
                "role": e.role,
                "organisation": e.organisation_name,
                "level": e.level,
                "from": e.started_on,
                "to": e.ended_on,
                "announced_at": e.announced_at,
            }
            for e in CareerEntry.objects.filter(user=user).order_by("started_on")
        ],
        "mentoring_offer": None
        if offer is None
        else {"topics": offer.topics, "capacity": offer.capacity, "is_open": offer.is_open},
        "mentoring": [
            {
                "mentor": str(r.offer.mentor),
                "mentee": str(r.mentee),
                "message": r.message if r.mentee_id == user.pk else None,
                "status": r.status,
                "created_at": r.created_at,
                "goals": r.goals,
                "frequency": r.frequency,
                "my_closing_review": r.mentee_review if r.mentee_id == user.pk else r.mentor_review,
                "sessions": [{"held_on": x.held_on, "notes": x.notes} for x in r.sessions.all()],
            }
            for r in MentoringRequest.objects.filter(Q(mentee=user) | Q(offer__mentor=user))
            .select_related("offer__mentor", "mentee")
            .prefetch_related("sessions")
            .order_by("created_at")
        ],
        "career_stories": [
            {"title": s.title, "body": s.body, "status": s.status, "created_at": s.created_at}
            for s in CareerStory.objects.filter(author=user)
        ],
        "pledges": [
            {
                "leader_name": p.leader_name,
                "leader_role": p.leader_role,
                "organisation": str(p.organisation),
                "statement": p.statement,
                "status": p.status,
                "made_on": p.made_on,
            }
            for p in Pledge.objects.filter(submitted_by=user).select_related("organisation")
        ],
        "talent_pools": [
            {
                "pool": str(m.pool),
                "target_level": m.target_level,
                "readiness": m.readiness,
                "skills": m.skills,
                "experience": m.experience,
                "home_region": m.home_region,
                "mobility_regions": m.mobility_regions,
                "open_to_secondment": m.open_to_secondment,
                "open_to_relocation": m.open_to_relocation,
                "share_with_employers": m.share_with_employers,
                "shared_assessment": m.assessment.summary
                if getattr(m, "assessment", None) and m.assessment.shared_with_member
                else None,
            }
            for m in TalentPoolMember.objects.filter(user=user).select_related("pool", "assessment")
        ],
    }


def erase_alumni(user) -> None:
    from .models import (
        AlumniProfile,
        CareerEntry,
        CareerStory,
        MentoringOffer,
        MentoringRequest,
        Pledge,
        TalentPoolMember,
    )

    for profile in AlumniProfile.objects.filter(user=user):
        if profile.photo:
            profile.photo.delete(save=False)
        profile.delete()
    # Outcome figures count levels and dates: keep those, drop what identifies the role.
    CareerEntry.objects.filter(user=user).update(
        role="(erased)", organisation_name="(erased)", announced_at=None
    )
    # Mentees are told first, while the requests (and the mentor's name) still exist.
    from .services_mentoring import mentor_leaving_notify

    mentor_leaving_notify(mentor=user)
    MentoringRequest.objects.filter(Q(mentee=user) | Q(offer__mentor=user)).delete()
    MentoringOffer.objects.filter(mentor=user).delete()
    CareerStory.objects.filter(author=user).delete()
    Pledge.objects.filter(submitted_by=user).delete()
    TalentPoolMember.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("alumni", exporter=export_alumni, eraser=erase_alumni)
