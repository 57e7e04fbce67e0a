"""A person's home after sign-in (issue 15, item 4): what needs doing first, then their
bookings, applications, cohorts, alumni profile and mentoring.

It reads every app's records through their selectors, so it lives in the project package
(with the URLconf), above every app: no app depends on it (docs/architecture.md). The
imports stay inside ``personal_home`` so loading the URLconf does not load them all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView


@dataclass(frozen=True)
class Action:
    """Something the person should do, with a deadline when there is one."""

    text: str
    url: str
    link_text: str
    due: datetime.datetime | None = None


@dataclass
class PersonalHome:
    actions: list[Action] = field(default_factory=list)
    bookings: list = field(default_factory=list)  # upcoming, active
    applications: list = field(default_factory=list)  # not yet decided or answered
    participations: list = field(default_factory=list)
    alumni_profile: object | None = None
    is_alumnus: bool = False
    mentoring_received: list = field(default_factory=list)  # live requests to me
    mentoring_sent: list = field(default_factory=list)  # my live requests
    opening_alerts: list = field(default_factory=list)  # "tell me when it opens", unsent
    provider_updates: list = field(default_factory=list)  # providers' updates registered


# Applications still in play: the person may yet need to act or to wait for a decision.
_OPEN_APPLICATIONS = ("draft", "submitted", "offered", "waiting")


def personal_home(user, now: datetime.datetime | None = None) -> PersonalHome:  # noqa: PLR0914 - one page's reads
    """Everything on the person's home page, their own records only. Actions come
    first, soonest deadline first (those without a deadline after them)."""
    from alumni import selectors as alumni_selectors  # noqa: PLC0415 - loaded with the page, not the URLconf
    from alumni.models import AlumniProfile, MentoringRequest, is_alumnus  # noqa: PLC0415
    from cohorts import selectors as cohort_selectors  # noqa: PLC0415
    from cohorts.models import Application, Participant  # noqa: PLC0415
    from cohorts.services import feedback_is_open  # noqa: PLC0415
    from events import selectors as event_selectors  # noqa: PLC0415
    from events.models import Booking  # noqa: PLC0415
    from programmes.selectors import member_updates  # noqa: PLC0415

    now = now or timezone.now()
    home = PersonalHome()
    actions: list[Action] = []

    profile = getattr(user, "profile", None)
    if profile is None or not (profile.organisation_id and profile.job_title):
        actions.append(
            Action(
                text="Tell us your organisation, job title and career level, so we can show "
                "you the programmes and events that fit.",
                url=reverse("profile"),
                link_text="Complete your profile",
            )
        )

    upcoming, _past = event_selectors.member_upcoming_and_past(user, now=now)
    home.bookings = upcoming
    for booking in upcoming:
        if booking.status == Booking.Status.OFFERED:
            actions.append(
                Action(
                    text=f"You have been offered a place at {booking.event.title}.",
                    url=reverse("events:offer_accept", args=[booking.pk]),
                    link_text="Accept or decline the place",
                    due=booking.offer_expires_at,
                )
            )

    home.applications = [
        a for a in cohort_selectors.applications_of(user) if a.status in _OPEN_APPLICATIONS
    ]
    for application in home.applications:
        if application.status == Application.Status.OFFERED:
            actions.append(
                Action(
                    text=f"You have been offered a place on {application.cohort.name}.",
                    url=reverse("cohorts:application_detail", args=[application.pk]),
                    link_text="Accept or decline the place",
                    due=application.offer_expires_at,
                )
            )
        elif application.status == Application.Status.DRAFT:
            closes = application.cohort.applications_close_at
            actions.append(
                Action(
                    text=f"Your application to {application.cohort.name} is not sent yet.",
                    url=reverse("cohorts:apply", args=[application.cohort.slug]),
                    link_text="Finish your application",
                    due=closes,
                )
            )

    participations = list(
        cohort_selectors.participations_of(user).exclude(status=Participant.Status.WITHDRAWN)
    )
    home.participations = participations
    given = set(
        Participant.objects.filter(
            pk__in=[p.pk for p in participations], feedback__isnull=False
        ).values_list("pk", flat=True)
    )
    for participant in participations:
        if participant.pk not in given and feedback_is_open(participant, today=now.date()):
            actions.append(
                Action(
                    text=f"Tell us how {participant.cohort.name} went.",
                    url=reverse("cohorts:feedback", args=[participant.cohort.slug]),
                    link_text="Give your feedback",
                )
            )

    home.is_alumnus = is_alumnus(user)
    home.alumni_profile = AlumniProfile.objects.filter(user=user).first()
    if home.is_alumnus and home.alumni_profile is None:
        actions.append(
            Action(
                text="You are an alumnus: other alumni cannot find you yet.",
                url=reverse("alumni:my_profile"),
                link_text="Create your alumni profile",
            )
        )

    live = MentoringRequest.LIVE_STATUSES
    home.mentoring_received = [
        r for r in alumni_selectors.mentoring_requests_received(user) if r.status in live
    ]
    home.mentoring_sent = [
        r for r in alumni_selectors.mentoring_requests_sent(user) if r.status in live
    ]
    for request in home.mentoring_received:
        if request.status == MentoringRequest.Status.REQUESTED:
            actions.append(
                Action(
                    text=f"{request.mentee.get_full_name()} has asked you for mentoring.",
                    url=reverse("alumni:mentoring"),
                    link_text="Answer the request",
                )
            )

    home.opening_alerts, home.provider_updates = member_updates(user)

    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    home.actions = sorted(actions, key=lambda a: a.due or far)
    return home


class PersonalHomeView(LoginRequiredMixin, TemplateView):
    """A signed-in person's home: what needs doing first, then their own records. It
    lives in the project package, above every app, because it reads them all."""

    template_name = "core/personal_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(home=personal_home(self.request.user), **kwargs)
