"""The alumni and cohorts sections of a member's personal data (see
``talenthub.core.personal_data``). Registered by ``AlumniConfig.ready()``.

Erasure keeps what aggregate figures are computed from: participations and attendance
(cohort sizes, attendance counts), feedback ratings (not comments), and career levels with
their dates (outcome figures), while removing everything that says who the person is or
what they wrote.
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
            }
            for r in MentoringRequest.objects.filter(Q(mentee=user) | Q(offer__mentor=user))
            .select_related("offer__mentor", "mentee")
            .order_by("created_at")
        ],
        "career_stories": [
            {"title": s.title, "body": s.body, "status": s.status, "created_at": s.created_at}
            for s in CareerStory.objects.filter(author=user)
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
            }
            for m in TalentPoolMember.objects.filter(user=user).select_related("pool")
        ],
    }


def erase_alumni(user) -> None:
    from .models import (
        AlumniProfile,
        CareerEntry,
        CareerStory,
        MentoringOffer,
        MentoringRequest,
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
    MentoringRequest.objects.filter(Q(mentee=user) | Q(offer__mentor=user)).delete()
    MentoringOffer.objects.filter(mentor=user).delete()
    CareerStory.objects.filter(author=user).delete()
    TalentPoolMember.objects.filter(user=user).delete()


def export_cohorts(user) -> dict:
    from cohorts.models import Application, Participant

    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cohort")
        .prefetch_related("answers__question")
        .order_by("created_at")
    )
    participations = (
        Participant.objects.filter(user=user)
        .select_related("cohort")
        .prefetch_related("attendance__session")
        .order_by("enrolled_at")
    )
    rows = []
    for p in participations:
        project = getattr(p, "project_work", None)
        feedback = getattr(p, "feedback", None)
        rows.append(
            {
                "cohort": p.cohort.name,
                "status": p.status,
                "enrolled_at": p.enrolled_at,
                "completed_at": p.completed_at,
                "completion_reason": p.completion_reason,
                "visible_to_cohort": p.visible_to_cohort,
                "attendance": [
                    {"session": str(a.session), "status": a.status} for a in p.attendance.all()
                ],
                "project_work": None
                if project is None
                else {
                    "title": project.title,
                    "summary": project.summary,
                    "file": project.original_filename,
                },
                "feedback": None
                if feedback is None
                else {"overall_rating": feedback.overall_rating, "comments": feedback.comments},
            }
        )
    return {
        "applications": [
            {
                "cohort": a.cohort.name,
                "status": a.status,
                "submitted_at": a.submitted_at,
                "line_manager_name": a.line_manager_name,
                "line_manager_email": a.line_manager_email,
                "line_manager_comment": a.line_manager_comment,
                "answers": [
                    {"question": x.question.text, "answer": x.text} for x in a.answers.all()
                ],
            }
            for a in applications
        ],
        "participations": rows,
    }


def erase_cohorts(user) -> None:
    from cohorts.models import Answer, Application, Feedback, Participant, ProjectWork

    Answer.objects.filter(application__applicant=user).update(text="")
    Application.objects.filter(applicant=user).update(
        line_manager_name="", line_manager_email="", line_manager_comment="", decision_reason=""
    )
    Participant.objects.filter(user=user).exclude(completion_reason="").update(
        completion_reason="(erased)"
    )
    Participant.objects.filter(user=user).update(visible_to_cohort=False)
    for work in ProjectWork.objects.filter(participant__user=user):
        work.file.delete(save=False)
        work.delete()
    # Ratings stay (feedback reports are aggregates); the words go.
    Feedback.objects.filter(participant__user=user).update(comments="")


def register() -> None:
    personal_data.register("alumni", exporter=export_alumni, eraser=erase_alumni)
    # The cohorts app (earlier in INSTALLED_APPS) may register its own section one day;
    # this one is only the stand-in until it does.
    if not personal_data.is_registered("cohorts"):
        personal_data.register("cohorts", exporter=export_cohorts, eraser=erase_cohorts)
