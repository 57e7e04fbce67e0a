"""Reads for mentoring (issue 19, item 2): suggested mentors for a member, a
relationship page for its two parties, and programme figures for managers."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from cohorts.models import Participant

from .models import MentoringOffer, MentoringRequest, MentoringSession
from .selectors import directory_profiles, outcome_cohorts

SUGGESTIONS = 5
WORD = re.compile(r"[a-z]{4,}")


def offers_taking_mentees():
    """Open offers whose mentor has fewer accepted mentees than their capacity."""
    return MentoringOffer.objects.taking_mentees()


@dataclass
class Suggestion:
    profile: object
    offer: MentoringOffer
    score: int = 0
    reasons: list = field(default_factory=list)


def _words(text: str) -> set[str]:
    return set(WORD.findall((text or "").lower()))


def suggested_mentors(user, looking_for: str = "", limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Mentors ``user`` could ask, best first, with the reasons: functional areas in
    common with the member's profile, a career level above theirs, the same region, and
    words of what they are looking for found in the mentor's topics. Only profiles the
    member may see in the directory, with an offer that is taking mentees; not the member
    themself, nor a mentor they already asked. Four queries."""
    own = getattr(user, "profile", None)
    my_areas = set(own.functional_areas.values_list("pk", flat=True)) if own else set()
    my_level = own.career_level if own else None
    my_region = own.region if own else ""
    wanted = _words(looking_for)
    asked = MentoringRequest.objects.live().filter(mentee=user).values("offer__mentor")
    profiles = (
        directory_profiles(user)
        .filter(user__mentoring_offer__in=offers_taking_mentees())
        .exclude(user=user)
        .exclude(user__in=asked)
    )
    suggestions = []
    for profile in profiles:
        offer = profile.user.mentoring_offer
        suggestion = Suggestion(profile=profile, offer=offer)
        common = [a for a in profile.functional_areas.all() if a.pk in my_areas]
        if common:
            suggestion.score += 3 * len(common)
            suggestion.reasons.append("Works in " + ", ".join(a.name for a in common))
        if my_level and profile.career_level and profile.career_level > my_level:
            suggestion.score += 2
            suggestion.reasons.append(f"At level {profile.career_level}, above yours")
        if my_region and profile.region == my_region:
            suggestion.score += 1
            suggestion.reasons.append(f"In your region, {profile.get_region_display()}")
        topics = wanted & _words(offer.topics)
        if topics:
            suggestion.score += 3 * len(topics)
            suggestion.reasons.append("Offers help with " + ", ".join(sorted(topics)))
        if suggestion.score:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.profile.user.full_name))
    return suggestions[:limit]


def relationship_for_party(user, pk: int) -> MentoringRequest:
    """A mentoring request or relationship ``user`` is the mentor or mentee of, with its
    session log; a 404 for anyone else."""
    relationship = (
        MentoringRequest.objects.filter(pk=pk)
        .filter(Q(offer__mentor=user) | Q(mentee=user))
        .select_related("offer__mentor", "mentee")
        .prefetch_related(
            Prefetch("sessions", queryset=MentoringSession.objects.select_related("logged_by"))
        )
        .first()
    )
    if relationship is None:
        raise Http404("No such mentoring relationship")
    return relationship


@dataclass
class MentoringFigures:
    mentors: int
    open_offers: int
    at_capacity: int
    requests: int
    answered: int
    accepted: int
    active_pairs: int
    sessions: int

    @property
    def acceptance_rate(self) -> int | None:
        """Of the requests the mentors answered, the percentage accepted."""
        return round(100 * self.accepted / self.answered) if self.answered else None


def mentoring_figures(user) -> MentoringFigures:
    """Programme figures over the mentors who are alumni of cohorts ``user`` may see the
    outcomes of (their provider's cohorts and their programmes'; all for a superuser):
    offers, requests, acceptance rate, active pairs, sessions logged. Counts only, no
    names. Three queries."""
    alumni = Participant.objects.completed().filter(cohort__in=outcome_cohorts(user))
    mentors = MentoringOffer.objects.filter(mentor__in=alumni.values("user")).values("pk")
    offers = MentoringOffer.objects.filter(pk__in=mentors).aggregate(
        mentors=Count("pk"),
        open_offers=Count("pk", filter=Q(is_open=True)),
    )
    at_capacity = MentoringOffer.objects.filter(pk__in=mentors, is_open=True).count() - (
        MentoringOffer.objects.taking_mentees().filter(pk__in=mentors).count()
    )
    Status = MentoringRequest.Status
    requests = MentoringRequest.objects.filter(offer__in=mentors).aggregate(
        requests=Count("pk"),
        answered=Count("pk", filter=Q(responded_at__isnull=False)),
        accepted=Count(
            "pk", filter=Q(responded_at__isnull=False, status__in=[Status.ACCEPTED, Status.ENDED])
        ),
        active_pairs=Count("pk", filter=Q(status=Status.ACCEPTED)),
    )
    sessions = MentoringSession.objects.filter(relationship__offer__in=mentors).count()
    return MentoringFigures(at_capacity=at_capacity, sessions=sessions, **offers, **requests)
