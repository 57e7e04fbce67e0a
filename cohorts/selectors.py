"""Reads scoped to what a user may see. What a user may not see is absent (a 404 in
views), never merely unlinked."""

from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core import waiting_list
from talenthub.core.models import OutboundEmail
from talenthub.core.permissions import provider_scoped, user_provider

from .models import (
    Application,
    Attendance,
    Cohort,
    CohortReviewer,
    Feedback,
    ModuleRating,
    Participant,
    ProjectReview,
    ProjectWork,
    ReviewCriterion,
    ReviewScore,
    Session,
)


def cohorts_managed_by(user):
    """The cohorts a user may manage: all for a superuser; for a programme manager, those
    their provider runs; none for anyone else."""
    return provider_scoped(Cohort.objects.with_related(), user, "provider")


def cohorts_visible_to(user):
    """The cohorts a manager may see (not change): their own provider's and, for the
    owner of a franchised programme, every cohort of that programme whoever runs it. A
    franchisee sees only its own."""
    return provider_scoped(
        Cohort.objects.with_related(), user, "provider", "version__programme__owner"
    )


def can_manage_cohort(user, cohort: Cohort) -> bool:
    return cohorts_managed_by(user).filter(pk=cohort.pk).exists()


def applications_managed_by(user):
    """Submitted applications to the cohorts a user manages (drafts stay private)."""
    return Application.objects.submitted().filter(cohort__in=cohorts_managed_by(user))


def participants_managed_by(user):
    return Participant.objects.filter(cohort__in=cohorts_managed_by(user))


def attendance_managed_by(user):
    """Session attendance in the cohorts a user manages (the admin's provider scoping)."""
    return Attendance.objects.filter(session__cohort__in=cohorts_managed_by(user))


def cohorts_open_for_applications():
    return (
        Cohort.objects.open_for_applications()
        .with_related()
        .order_by("applications_close_at", "name")
    )


def cohorts_upcoming(today=None):
    """Cohorts (any programme, any provider) that have not started and have a public page
    (not planned, not cancelled), soonest first."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.with_related()
        .filter(starts_on__gte=today)
        .exclude(status__in=[Cohort.Status.PLANNED, Cohort.Status.CANCELLED])
        .order_by("starts_on", "name", "pk")
    )


def cohorts_upcoming_for_programme(programme, limit: int = 10, today=None) -> list[Cohort]:
    """``cohorts_upcoming`` of ``programme`` (any version, any provider)."""
    return list(cohorts_upcoming(today).filter(version__programme=programme)[:limit])


def cohort_public_detail(slug: str) -> Cohort:
    """A cohort's public page: any cohort that is not merely planned or cancelled."""
    qs = (
        Cohort.objects.with_related()
        .exclude(status__in=[Cohort.Status.PLANNED, Cohort.Status.CANCELLED])
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("module")))
    )
    return get_object_or_404(qs, slug=slug)


def applications_of(user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__version__programme", "cohort__provider")
        .order_by("-created_at")
    )


def application_of(user, pk: int) -> Application:
    """One of the user's own applications, or 404."""
    return get_object_or_404(applications_of(user), pk=pk)


def place_funding(cohort: Cohort, person, participant: Participant | None = None) -> str | None:
    """What the person is told about the funding of their place on a subsidised cohort
    (None on a cohort with no scheme): funded, to be funded if they take the place up, or
    not funded and why (the scheme's eligibility rule)."""
    scheme = cohort.subsidy_scheme
    if scheme is None:
        return None
    if participant is not None and participant.subsidy_allocation_id:
        return _("Your place is funded by %(scheme)s.") % {"scheme": scheme.name}
    refusal = scheme.eligibility_refusal(person)
    if refusal:
        return _("Your place is not funded: %(why)s") % {"why": refusal}
    if participant is not None:
        return _("Your place is not funded by %(scheme)s.") % {"scheme": scheme.name}
    return _(
        "Places on this cohort are funded by %(scheme)s: when you accept a place, it is "
        "funded while the scheme's places last."
    ) % {"scheme": scheme.name}


def participations_of(user):
    return (
        Participant.objects.filter(user=user)
        .select_related("cohort__version__programme", "cohort__provider")
        .order_by("-cohort__starts_on")
    )


def participation_of(user, cohort_slug: str) -> Participant:
    """The user's own place in a cohort (not withdrawn), or 404."""
    return get_object_or_404(participations_of(user).active(), cohort__slug=cohort_slug)


def certificate_by_code(code: str | None) -> Participant | None:
    """The completed place a certificate verification code belongs to, or None: an unknown
    code, and the code of a place that is not (or no longer) completed, look alike."""
    if not code:
        return None
    return (
        Participant.objects.completed()
        .select_related("user", "cohort__version__programme", "cohort__provider")
        .filter(certificate_code=code)
        .first()
    )


def fellow_participants(participant: Participant):
    """The other participants of the cohort who chose to be visible."""
    return (
        Participant.objects.active()
        .filter(cohort_id=participant.cohort_id, visible_to_cohort=True)
        .exclude(pk=participant.pk)
        .select_related("user__profile__organisation")
    )


def is_cohort_reviewer(user, cohort: Cohort) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CohortReviewer.objects.filter(cohort=cohort, user=user).exists()


def project_work_visible_to(user, pk: int) -> ProjectWork:
    """A project report, if the user is its participant, a manager of its cohort or a
    reviewer of the cohort's celebration event; otherwise 404 (also once its file has
    been erased with its author's account)."""
    work = get_object_or_404(
        ProjectWork.objects.select_related("participant__cohort", "participant__user").exclude(
            file=""
        ),
        pk=pk,
    )
    cohort = work.participant.cohort
    if not getattr(user, "is_authenticated", False):
        raise Http404
    allowed = (
        work.participant.user_id == user.pk
        or can_manage_cohort(user, cohort)
        or is_cohort_reviewer(user, cohort)
    )
    if not allowed:
        raise Http404
    return work


def cohort_for_reports(user, slug: str) -> Cohort:
    """A cohort whose project reports the user may read (manager or reviewer), or 404."""
    cohort = get_object_or_404(Cohort.objects.with_related(), slug=slug)
    if not (can_manage_cohort(user, cohort) or is_cohort_reviewer(user, cohort)):
        raise Http404
    return cohort


def project_works_of(cohort: Cohort):
    return (
        ProjectWork.objects.filter(participant__cohort=cohort)
        .select_related("participant__user")
        .order_by("participant__user__full_name")
    )


def project_works_with_reviews(cohort: Cohort, user):
    """The cohort's project reports with their reviews: every review for a manager of
    the cohort, only the user's own for a reviewer (reviewers do not see each other's
    scores). Reviews, reviewers and scores in three queries, however many reports."""
    reviews = ProjectReview.objects.select_related("reviewer").prefetch_related(
        Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
    )
    if not can_manage_cohort(user, cohort):
        reviews = reviews.filter(reviewer=user)
    return project_works_of(cohort).prefetch_related(
        Prefetch("reviews", queryset=reviews.order_by("reviewer__full_name"), to_attr="shown")
    )


def review_criteria_of(cohort: Cohort):
    return ReviewCriterion.objects.filter(version_id=cohort.version_id)


def project_work_for_review(user, cohort: Cohort, pk: int) -> ProjectWork:
    """A project report of ``cohort`` the user reviews (a named reviewer), or 404."""
    if not is_cohort_reviewer(user, cohort):
        raise Http404
    return get_object_or_404(
        ProjectWork.objects.select_related("participant__user").exclude(file=""),
        participant__cohort=cohort,
        pk=pk,
    )


def cohorts_reviewed_by(user):
    """The cohorts whose project reports the user is named to review."""
    if not getattr(user, "is_authenticated", False):
        return Cohort.objects.none()
    return (
        Cohort.objects.with_related()
        .filter(reviewers__user=user)
        .annotate(report_count=Count("participants__project_work", distinct=True))
        .order_by("-ends_on")
    )


def participants_for_completion(cohort: Cohort):
    """The cohort's participants (not withdrawn) with what the completion rule asks
    about: sessions attended (``present_count``), project work and feedback."""
    return (
        cohort.participants.active()
        .select_related("user", "project_work", "feedback", "cohort__version__programme")
        .annotate(present_count=Count("attendance", filter=Q(attendance__status="present")))
        .order_by("user__full_name", "user__email")
    )


def cpd_sessions_of(user):
    """The cohort sessions ``user`` attended (marked present), oldest first: their CPD
    from cohorts."""
    return (
        Attendance.objects.filter(participant__user=user, status=Attendance.Status.PRESENT)
        .select_related("session__module", "session__cohort__provider")
        .order_by("session__date", "session__starts_at")
    )


def cpd_hours_of(participant: Participant):
    """The CPD hours a participant earned in their cohort: the sessions they attended."""
    attended = Attendance.objects.filter(
        participant=participant, status=Attendance.Status.PRESENT
    ).select_related("session")
    return sum((a.session.cpd_hours_awarded for a in attended), start=Decimal(0))


def feedback_summary(cohorts) -> dict:
    """Aggregated feedback over ``cohorts`` (a queryset): the number of responses, the
    mean overall rating and, per module, the mean rating and number of ratings. A fixed
    number of queries, however many cohorts or responses."""
    feedback = Feedback.objects.filter(participant__cohort__in=cohorts)
    overall = feedback.aggregate(responses=Count("pk"), overall=Avg("overall_rating"))
    modules = (
        ModuleRating.objects.filter(feedback__in=feedback)
        .values("module_id", "module__order", "module__title")
        .annotate(average=Avg("rating"), ratings=Count("pk"))
        .order_by("module__order")
    )
    invited = Participant.objects.filter(cohort__in=cohorts).filter(
        Q(feedback_invited_at__isnull=False) | Q(feedback__isnull=False)
    )
    return {
        "responses": overall["responses"],
        "invited": invited.count(),
        "overall": overall["overall"],
        "modules": list(modules),
        "comments": list(
            feedback.exclude(comments="")
            .select_related("participant__cohort")
            .values_list("participant__cohort__name", "comments")[:200]
        ),
    }


class CohortQueue(waiting_list.Queue):
    """A cohort's waiting list: its applications waiting, by waiting priority (desc),
    then the time they joined. The engine serves this order (``services.places``'
    ``CohortPlaces`` extends it) and positions are shown in it."""

    priority_field = "waiting_priority"
    joined_field = "waiting_since"

    def waiting(self, cohort: Cohort):
        return cohort.applications.filter(status=Application.Status.WAITING)


COHORT_QUEUE = CohortQueue()


def waiting_list_position(application: Application) -> int | None:
    """The application's place in its cohort's waiting list (1 is next), or None: the
    engine's queue order, so the position shown is the position served."""
    if application.status != Application.Status.WAITING:
        return None
    return waiting_list.queue_position(COHORT_QUEUE, application.cohort, application)


def subsidy_schemes_for(user):
    """Subsidy schemes a manager works with — those their visible cohorts use and those
    funding programmes their provider may run — with ``places_used_count`` annotated, in
    one query. Places left are national: they count every cohort and provider."""
    from programmes.models import SubsidyScheme
    from programmes.selectors import programmes_runnable_by

    schemes = SubsidyScheme.objects.with_places_used().order_by("name")
    if getattr(user, "is_superuser", False):
        return schemes
    used = cohorts_visible_to(user).exclude(subsidy_scheme=None).values("subsidy_scheme_id")
    provider = user_provider(user)
    if provider is None:
        return schemes.filter(pk__in=used)
    runnable = programmes_runnable_by(provider).values("pk")
    return schemes.filter(Q(pk__in=used) | Q(programmes__in=runnable)).distinct()


def cohort_announcement_progress(cohort: Cohort) -> dict[str, int]:
    """How the cohort's announcement emails stand, from the outbox rows under its key
    prefix, in one query: ``queued``, ``sending`` (one left there long is in doubt:
    ``manage.py check_outbox``), ``sent``, ``failed`` and ``total``."""
    Status = OutboundEmail.Status
    return OutboundEmail.objects.filter(key__startswith=f"cohort.announced:{cohort.pk}:").aggregate(
        queued=Count("pk", filter=Q(status=Status.PENDING)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        total=Count("pk"),
    )
