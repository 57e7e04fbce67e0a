"""Demo cohorts drawn from seed 000: Aspire cohorts run by West Midlands Employers since
2014 (over 200 completers), Aspire 2.0 cohorts with feedback, an open Aspire 2.0 cohort,
the Inspire OD pilot (24-25 September 2019, review day 5 November 2019), and a
franchisee's cohort (East Midlands Councils).

Every completed cohort has its selection history: a submitted, accepted application for
each participant (linked as ``Participant.application``; a few were offered their place
from the waiting list) and about three applicants for every four places who did not get
one (mostly not selected, a few who declined or let their offer lapse), so the journey
application → offer → enrolment → completion can be reported.

Idempotent: cohorts are keyed by slug, sessions by (cohort, kind, date), demo people by
email, applications by (cohort, applicant); bulk inserts ignore rows that exist. Runs
after the programmes demo and skips with a message if the programmes it needs are
missing.
"""

import datetime
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from programmes.models import Programme, ProgrammeVersion
from talenthub.core.choices import CareerLevel, Region
from talenthub.core.demo import demo_password, demo_programme_manager
from talenthub.core.models import Organisation, Profile, User

from .models import (
    Application,
    ApplicationQuestion,
    Attendance,
    Cohort,
    CohortReviewer,
    CompetencyScore,
    Feedback,
    ModuleRating,
    Participant,
    ProjectWork,
    ReviewCriterion,
    Session,
)
from .services import framework_competencies
from .services.places import cohort_start

UTC = datetime.UTC

FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Emma", "Farah", "George", "Hannah", "Imran", "Jess",
    "Kieran", "Laura", "Mohammed", "Niamh", "Owen", "Priti", "Rachel", "Sam", "Tariq", "Uzma",
    "Victoria", "Will", "Yasmin", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Bennett", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morris",
]  # fmt: skip

# text, kind, options, required, who may read the answers
ASPIRE_2_QUESTIONS = [
    (
        "Which module days could you not attend in person?",
        "text",
        "",
        False,
    ),
    (
        "Do you need any adjustments at the module days (access, hearing loop, diet)?",
        "text",
        "",
        False,
    ),
    (
        "Which route will your project work take?",
        "choice",
        "Workforce strategy\nDigital technologies in HR/OD\nOrganisational development",
        True,
    ),
    ("Has your director agreed to sponsor your project?", "yes_no", "", True),
]

QUESTIONS = {
    "aspire-strategic-hr-and-od-business-partner-programme": [
        "What big HR challenge in your organisation would you like to tackle through your "
        "project work?",
        "How do you work with your organisation's leaders today, and what would you like to do "
        "differently as a strategic business partner?",
        "What do you hope to be doing in three years' time?",
    ],
    "inspire-od": [
        "What change or transformation is your organisation going through?",
        "How are HR professionals part of the OD conversation where you work?",
    ],
}

MODULE_DAY_TITLES = [
    "Business context and organisational analysis",
    "Digital technologies in HR/OD",
    "Workforce strategies – doing it well",
    "Negotiating and influencing at senior level",
    "Collaborating across the public sector",
]

ASPIRE_YEARS = range(2014, 2023)  # the first version, one West Midlands cohort a year
ASPIRE_PER_COHORT = 24
ASPIRE_2_YEARS = range(2023, 2026)
ASPIRE_2_PER_COHORT = 20
# Applicants who did not get a place, per place of a completed cohort (about 1.75
# applicants per place in all), and how many of them declined or let an offer lapse.
UNSUCCESSFUL_PER_PLACE = 0.75
DECLINED_PER_COHORT = 2
EXPIRED_PER_COHORT = 1


def _say(stdout, message):
    if stdout:
        stdout.write(message)


def _demo_people(prefix: str, count: int, organisations) -> list[User]:
    """``count`` demo people with example.com addresses, created once (bulk)."""
    emails = [f"{prefix}.{n:03d}@example.com" for n in range(1, count + 1)]
    password = make_password(demo_password())
    users = [
        User(
            email=email,
            full_name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} "
            f"{LAST_NAMES[(n // len(FIRST_NAMES) + n) % len(LAST_NAMES)]}",
            password=password,
        )
        for n, email in enumerate(emails)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True)
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    people = [by_email[e] for e in emails]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people],
        ignore_conflicts=True,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                organisation=organisations[i % len(organisations)] if organisations else None,
                job_title="HR Business Partner" if i % 3 else "Head of HR",
                career_level=CareerLevel.LEVEL_3 if i % 3 else CareerLevel.LEVEL_4,
                region=Region.WEST_MIDLANDS,
                # The demo's members have opted in to announcements and bulletins.
                email_event_announcements=True,
                email_programme_announcements=True,
                email_bulletins=True,
            )
            for i, u in enumerate(people)
        ],
        ignore_conflicts=True,
    )
    return people


def _cohort(slug, **fields) -> Cohort:
    cohort, _ = Cohort.objects.update_or_create(slug=slug, defaults=fields)
    return cohort


def _sessions(cohort: Cohort, plan) -> list[Session]:
    """plan: (kind, date, title, module or None, venue, online_url)."""
    sessions = []
    for kind, day, title, module, venue, online_url in plan:
        session, _ = Session.objects.update_or_create(
            cohort=cohort,
            kind=kind,
            date=day,
            defaults={
                "title": title,
                "module": module,
                "starts_at": datetime.time(9, 30),
                "ends_at": datetime.time(16, 30),
                "venue": venue,
                "online_url": online_url,
            },
        )
        sessions.append(session)
    return sessions


def _aspire_plan(version: ProgrammeVersion, start: datetime.date, venue: str):
    modules = list(version.modules.order_by("order")[:5])
    plan = []
    for i in range(5):
        module = modules[i] if i < len(modules) else None
        title = "" if module else f"Module {i + 1}: {MODULE_DAY_TITLES[i]}"
        plan.append((Session.Kind.MODULE_DAY, start + timedelta(weeks=5 * i), title, module,
                     venue, ""))  # fmt: skip
    plan.append(
        (Session.Kind.CELEBRATION, start + timedelta(weeks=30),
         "Celebration event: project presentations", None, venue, "")
    )  # fmt: skip
    return plan


def _enrol(cohort: Cohort, people, completed: int, enrolled_at, completed_at=None):
    """Participants for ``people``: the first ``completed`` completed, the rest (if the
    cohort has ended) did not complete, with a reason."""
    rows = []
    for i, user in enumerate(people):
        if completed_at is None:
            status, done, reason = Participant.Status.ENROLLED, None, ""
        elif i < completed:
            status, done, reason = Participant.Status.COMPLETED, completed_at, ""
        else:
            status, done, reason = (
                Participant.Status.NOT_COMPLETED,
                None,
                "Left for a role outside the public sector before the celebration event.",
            )
        rows.append(
            Participant(
                cohort=cohort,
                user=user,
                status=status,
                enrolled_at=enrolled_at,
                completed_at=done,
                completion_reason=reason,
                visible_to_cohort=i % 2 == 0,
                feedback_invited_at=completed_at,
            )
        )
    Participant.objects.bulk_create(rows, ignore_conflicts=True)
    return list(cohort.participants.order_by("pk"))


def _feedback(cohort: Cohort, participants, modules, seed: int):
    Feedback.objects.bulk_create(
        [
            Feedback(
                participant=p,
                overall_rating=4 + (i + seed) % 2,
                comments=[
                    "Real networking with purpose: I still call on my cohort.",
                    "The workforce strategies module changed how I plan.",
                    "More time on digital technologies, please.",
                    "",
                ][(i + seed) % 4],
            )
            for i, p in enumerate(participants)
        ],
        ignore_conflicts=True,
    )
    feedback = list(Feedback.objects.filter(participant__cohort=cohort))
    ModuleRating.objects.bulk_create(
        [
            ModuleRating(feedback=f, module=m, rating=3 + (f.pk + m.order + seed) % 3)
            for f in feedback
            for m in modules
        ],
        ignore_conflicts=True,
    )


REVIEW_CRITERIA = [
    ("Use of evidence", "How well the report analyses CIPD research and other evidence."),
    ("Fit to the sector", "How the findings are adapted to the participant's sector."),
    ("Link to the Profession Map", "How the challenge connects to the CIPD Profession Map."),
    ("Strength of the conclusions", "Whether the conclusions stand up to challenge."),
]

ASPIRE_SLUG = "aspire-strategic-hr-and-od-business-partner-programme"
INSPIRE_SLUG = "inspire-od"


def load(stdout=None):
    aspire = Programme.objects.filter(slug=ASPIRE_SLUG).first()
    inspire = Programme.objects.filter(slug=INSPIRE_SLUG).first()
    if aspire is None:
        _say(
            stdout, f"cohorts: skipped, the programme {ASPIRE_SLUG!r} is missing (programmes demo)"
        )
        return
    wme = Organisation.objects.get(name="West Midlands Employers")
    emc = Organisation.objects.get(name="East Midlands Councils")
    aspire_1 = aspire.versions.filter(name="Aspire").first()
    aspire_2 = aspire.versions.filter(name="Aspire 2.0").first()
    if aspire_1 is None or aspire_2 is None:
        _say(stdout, "cohorts: skipped, the Aspire versions 'Aspire' and 'Aspire 2.0' are missing")
        return

    for programme in (aspire, inspire):
        if programme is None:
            continue
        for order, text in enumerate(QUESTIONS[programme.slug], start=1):
            ApplicationQuestion.objects.update_or_create(
                programme=programme, order=order, defaults={"text": text}
            )
    # Aspire 2.0's own questions (issue 18): asked only of applicants to its cohorts.
    first = len(QUESTIONS[aspire.slug]) + 1
    for order, (text, kind, options, required) in enumerate(ASPIRE_2_QUESTIONS, start=first):
        ApplicationQuestion.objects.update_or_create(
            programme=aspire,
            order=order,
            defaults={
                "version": aspire_2,
                "text": text,
                "kind": kind,
                "options": options,
                "required": required,
            },
        )

    employers = list(
        Organisation.objects.filter(is_provider=False, region=Region.WEST_MIDLANDS)
    ) or list(Organisation.objects.filter(is_provider=False)[:5])
    aspire_people = _demo_people("aspire.alumnus", len(ASPIRE_YEARS) * ASPIRE_PER_COHORT, employers)
    aspire_2_people = _demo_people(
        "aspire2.alumnus", len(ASPIRE_2_YEARS) * ASPIRE_2_PER_COHORT, employers
    )
    completers = 0
    completed_cohorts = []  # in a fixed order: the applicants are shared out in it

    # Aspire, 2014 onwards: completed cohorts in the West Midlands.
    for index, year in enumerate(ASPIRE_YEARS):
        cohort = _cohort(
            f"aspire-west-midlands-{year}",
            version=aspire_1,
            provider=wme,
            name=f"Aspire — West Midlands, {year}",
            region=Region.WEST_MIDLANDS,
            capacity=ASPIRE_PER_COHORT,
            applications_open_at=datetime.datetime(year, 1, 10, 9, tzinfo=UTC),
            applications_close_at=datetime.datetime(year, 2, 28, 17, tzinfo=UTC),
            starts_on=datetime.date(year, 4, 2),
            ends_on=datetime.date(year, 11, 26),
            status=Cohort.Status.COMPLETED,
        )
        _sessions(cohort, _aspire_plan(aspire_1, datetime.date(year, 4, 2), "WME, Birmingham"))
        people = aspire_people[index * ASPIRE_PER_COHORT : (index + 1) * ASPIRE_PER_COHORT]
        _enrol(
            cohort,
            people,
            completed=ASPIRE_PER_COHORT - 1,
            enrolled_at=datetime.datetime(year, 3, 15, tzinfo=UTC),
            completed_at=datetime.datetime(year, 11, 26, 17, tzinfo=UTC),
        )
        completers += cohort.participants.completed().count()
        completed_cohorts.append(cohort)

    # Aspire 2.0: completed cohorts with feedback on every module.
    modules_2 = list(aspire_2.modules.all())
    for index, year in enumerate(ASPIRE_2_YEARS):
        cohort = _cohort(
            f"aspire-2-west-midlands-{year}",
            version=aspire_2,
            provider=wme,
            name=f"Aspire 2.0 — West Midlands, {year}",
            region=Region.WEST_MIDLANDS,
            capacity=ASPIRE_2_PER_COHORT,
            applications_open_at=datetime.datetime(year, 1, 10, 9, tzinfo=UTC),
            applications_close_at=datetime.datetime(year, 2, 28, 17, tzinfo=UTC),
            starts_on=datetime.date(year, 4, 2),
            ends_on=datetime.date(year, 11, 26),
            status=Cohort.Status.COMPLETED,
        )
        _sessions(cohort, _aspire_plan(aspire_2, datetime.date(year, 4, 2), "WME, Birmingham"))
        people = aspire_2_people[index * ASPIRE_2_PER_COHORT : (index + 1) * ASPIRE_2_PER_COHORT]
        participants = _enrol(
            cohort,
            people,
            completed=ASPIRE_2_PER_COHORT - 2,
            enrolled_at=datetime.datetime(year, 3, 15, tzinfo=UTC),
            completed_at=datetime.datetime(year, 11, 26, 17, tzinfo=UTC),
        )
        completers += cohort.participants.completed().count()
        completed_cohorts.append(cohort)
        _feedback(cohort, participants[:15], modules_2, seed=index)

    # The next Aspire 2.0 cohort, open for applications now.
    now = timezone.now()
    today = timezone.localdate()
    starts = today + timedelta(days=100)
    season = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
              6: "summer", 7: "summer", 8: "summer"}.get(starts.month, "autumn")  # fmt: skip
    open_cohort = _cohort(
        "aspire-2-west-midlands-next",
        version=aspire_2,
        provider=wme,
        name=f"Aspire 2.0 — West Midlands, {season} {starts.year}",
        region=Region.WEST_MIDLANDS,
        capacity=24,
        applications_open_at=now - timedelta(days=20),
        applications_close_at=now + timedelta(days=45),
        starts_on=starts,
        ends_on=starts + timedelta(weeks=30),
        status=Cohort.Status.OPEN,
    )
    _sessions(open_cohort, _aspire_plan(aspire_2, starts, "WME, Birmingham"))
    # Announced when applications opened (the admin's "Announce" action): its audience's
    # emails are in the outbox as sent. The Inspire OD workshop below is left for a
    # manager to announce.
    _announced(open_cohort, at=now - timedelta(days=20))
    tom = User.objects.filter(email="tom.member@example.com").first()
    if tom:
        tom_application, _ = Application.objects.get_or_create(
            cohort=open_cohort,
            applicant=tom,
            defaults={
                "status": Application.Status.SUBMITTED,
                "submitted_at": now - timedelta(days=3),
                "line_manager_name": "Sarah Okafor",
                "line_manager_email": "sarah.okafor@example.com",
            },
        )
        for i, competency in enumerate(framework_competencies(open_cohort)):
            CompetencyScore.objects.get_or_create(
                application=tom_application,
                competency=competency,
                defaults={"self_rating": 2 + i % 3},
            )

    # A franchisee's cohort: East Midlands Councils runs Aspire 2.0, running now.
    emc_start = today - timedelta(days=60)
    emc_cohort = _cohort(
        "aspire-2-east-midlands-current",
        version=aspire_2,
        provider=emc,
        name=f"Aspire 2.0 — East Midlands, {emc_start:%B %Y}",
        region=Region.EAST_MIDLANDS,
        capacity=16,
        applications_open_at=now - timedelta(days=180),
        applications_close_at=now - timedelta(days=100),
        starts_on=emc_start,
        ends_on=emc_start + timedelta(weeks=30),
        status=Cohort.Status.RUNNING,
    )
    emc_sessions = _sessions(
        emc_cohort, _aspire_plan(aspire_2, emc_start, "East Midlands Councils, Melton Mowbray")
    )
    emc_employers = list(Organisation.objects.filter(region=Region.EAST_MIDLANDS,
                                                     is_provider=False))  # fmt: skip
    emc_people = _demo_people("emc.participant", 14, emc_employers)
    priya = User.objects.filter(email="priya.member@example.com").first()
    emc_participants = _enrol(
        emc_cohort, [*([priya] if priya else []), *emc_people], completed=0, enrolled_at=now
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=s,
                participant=p,
                status=Attendance.Status.PRESENT
                if (p.pk + s.pk) % 7
                else Attendance.Status.APOLOGIES,
            )
            for s in emc_sessions
            if s.date < today
            for p in emc_participants
        ],
        ignore_conflicts=True,
    )
    emc_manager = _franchise_manager(emc)
    _project_work(emc_participants[1:4])
    reviewer = _demo_people("celebration.reviewer", 1, employers)[0]
    for cohort in (open_cohort, emc_cohort):
        CohortReviewer.objects.get_or_create(cohort=cohort, user=reviewer)
    # What the heads of HR challenge at the celebration event (seed 000): the use of
    # CIPD research, how it adapts to the sector, and the conclusions.
    for version in (v for v in (aspire_1, aspire_2) if v is not None):
        for order, (title, description) in enumerate(REVIEW_CRITERIA, start=1):
            ReviewCriterion.objects.update_or_create(
                version=version, order=order, defaults={"title": title, "description": description}
            )

    # The Inspire OD pilot: two workshop days and a review day (seed 000).
    if inspire is not None:
        pilot_version = inspire.versions.order_by("launched_on").first()
        if pilot_version is not None:
            pilot = _cohort(
                "inspire-od-pilot-2019",
                version=pilot_version,
                provider=wme,
                name="Inspire OD — pilot cohort, September 2019",
                region=Region.WEST_MIDLANDS,
                capacity=20,
                applications_open_at=datetime.datetime(2019, 6, 3, 9, tzinfo=UTC),
                applications_close_at=datetime.datetime(2019, 8, 30, 17, tzinfo=UTC),
                starts_on=datetime.date(2019, 9, 24),
                ends_on=datetime.date(2019, 11, 5),
                status=Cohort.Status.COMPLETED,
            )
            venue = "WME, Birmingham"
            _sessions(
                pilot,
                [
                    (Session.Kind.WORKSHOP_DAY, datetime.date(2019, 9, 24),
                     "Workshop day 1: the OD toolkit", None, venue, ""),
                    (Session.Kind.WORKSHOP_DAY, datetime.date(2019, 9, 25),
                     "Workshop day 2: change and transformation", None, venue, ""),
                    (Session.Kind.REVIEW_DAY, datetime.date(2019, 11, 5), "Review day", None,
                     venue, ""),
                ],
            )  # fmt: skip
            _enrol(
                pilot,
                aspire_people[:18],  # Aspire alumni made up most of the pilot
                completed=18,
                enrolled_at=datetime.datetime(2019, 9, 2, tzinfo=UTC),
                completed_at=datetime.datetime(2019, 11, 5, 17, tzinfo=UTC),
            )
            completed_cohorts.append(pilot)
            _inspire_next(inspire, pilot_version, wme, now)

    _selection_history(completed_cohorts, employers)

    _say(
        stdout,
        f"cohorts: {Cohort.objects.count()} cohorts, "
        f"{Participant.objects.completed().count()} completions "
        f"({completers} Aspire completers), franchise manager {emc_manager.email}",
    )
    sample = Participant.objects.completed().order_by("pk").first()
    if sample:
        _say(
            stdout,
            f"cohorts: every place has a certificate code; check {sample.user.full_name}'s at "
            f"/certificates/{sample.certificate_code}/",
        )


def _unsuccessful_count(cohort: Cohort) -> int:
    return round(cohort.capacity * UNSUCCESSFUL_PER_PLACE)


def _selection_history(cohorts, employers) -> None:
    """Applications for completed cohorts, as selection would have left them (see the
    module docstring). Bulk: a handful of queries per cohort. A second run inserts
    nothing (one application per person per cohort) and links nothing again."""
    needed = sum(_unsuccessful_count(c) for c in cohorts)
    applicants = _demo_people("aspire.applicant", needed, employers)
    decided_by = User.objects.filter(email="rebecca.manager@wme.example").first()
    offset = 0
    for cohort in cohorts:
        count = _unsuccessful_count(cohort)
        _cohort_history(cohort, applicants[offset : offset + count], decided_by)
        offset += count


def _cohort_history(cohort: Cohort, others, decided_by) -> None:
    participants = list(cohort.participants.select_related("user").order_by("pk"))
    if not participants:
        return
    opens, closes = cohort.applications_open_at, cohort.applications_close_at
    enrolled_at = min(p.enrolled_at for p in participants)
    # Decisions go out after the window closes, a few days before enrolment.
    sent = max(closes + timedelta(hours=1), enrolled_at - timedelta(days=5))
    decided = sent - timedelta(hours=1)
    hold = timedelta(days=cohort.offer_acceptance_days)
    window = (closes - opens).total_seconds()
    people = len(participants) + len(others)

    def submitted(n: int):
        # Spread evenly through the window, never on its edges.
        return opens + timedelta(seconds=window * (n + 1) / (people + 1))

    # The places given up by those who declined or let an offer lapse went to the last
    # participants, offered from the waiting list.
    passed_on = min(DECLINED_PER_COHORT + EXPIRED_PER_COHORT, len(others), len(participants))
    rows = []
    for n, participant in enumerate(participants):
        from_waiting_list = n >= len(participants) - passed_on
        offered_at = sent + timedelta(days=1) if from_waiting_list else sent
        rows.append(
            Application(
                cohort=cohort,
                applicant=participant.user,
                status=Application.Status.ACCEPTED,
                submitted_at=submitted(n),
                score=6 + n % 4,
                decision=(
                    Application.Decision.WAITING_LIST
                    if from_waiting_list
                    else Application.Decision.OFFER
                ),
                decision_reason=(
                    "Strong evidence of strategic influence; clear project idea."
                    if not from_waiting_list
                    else "A good application; the places went to higher scores first."
                ),
                decided_by=decided_by,
                decided_at=decided,
                decision_sent_at=sent,
                waiting_since=sent if from_waiting_list else None,
                offer_count=1,
                offered_at=offered_at,
                offer_expires_at=min(offered_at + hold, cohort_start(cohort)),
                responded_at=participant.enrolled_at,
            )
        )
    for m, person in enumerate(others):
        n = len(participants) + m
        common = {
            "cohort": cohort,
            "applicant": person,
            "submitted_at": submitted(n),
            "decided_by": decided_by,
            "decided_at": decided,
            "decision_sent_at": sent,
        }
        if m < DECLINED_PER_COHORT + EXPIRED_PER_COHORT:
            declined = m < DECLINED_PER_COHORT
            rows.append(
                Application(
                    **common,
                    status=(
                        Application.Status.OFFER_DECLINED
                        if declined
                        else Application.Status.OFFER_EXPIRED
                    ),
                    score=7 + m % 3,
                    decision=Application.Decision.OFFER,
                    decision_reason="Strong evidence of strategic influence.",
                    offer_count=1,
                    offered_at=sent,
                    offer_expires_at=min(sent + hold, cohort_start(cohort)),
                    responded_at=sent + timedelta(hours=20) if declined else None,
                )
            )
        else:
            rows.append(
                Application(
                    **common,
                    status=Application.Status.UNSUCCESSFUL,
                    score=3 + m % 3,
                    decision=Application.Decision.DECLINE,
                    decision_reason="Not yet enough experience at a strategic level.",
                )
            )
    Application.objects.bulk_create(rows, ignore_conflicts=True)
    by_user = dict(
        cohort.applications.filter(applicant__in=[p.user for p in participants]).values_list(
            "applicant_id", "pk"
        )
    )
    unlinked = [p for p in participants if p.application_id is None and p.user_id in by_user]
    for participant in unlinked:
        participant.application_id = by_user[participant.user_id]
    Participant.objects.bulk_update(unlinked, ["application"], batch_size=500)


PROJECTS = [
    ("Closing the gap at head of HR level", "talent_management",
     "A talent pipeline for senior HR roles across three district councils."),
    ("Digital self-service for managers", "digital_working",
     "Adapting CIPD research on HR technology to a county council's HR service."),
    ("Workforce strategies – doing it well", "change",
     "How a merged service built a workforce plan its staff believed in."),
]  # fmt: skip


def _project_work(participants):
    """A few project reports (small PDFs) so reviewers have something to read."""
    from django.core.files.base import ContentFile

    for participant, (title, area, summary) in zip(participants, PROJECTS, strict=False):
        if ProjectWork.objects.filter(participant=participant).exists():
            continue
        # A minimal one-line PDF in Helvetica: enough for a demo report's title (cp1252
        # has the en dash; no title has a backslash or parenthesis to escape).
        text = title.encode("cp1252", errors="replace").decode("latin-1")
        stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
        pdf = (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
            b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"
            b"/Contents 4 0 R>>endobj\n4 0 obj<</Length " + str(len(stream)).encode()
            + b">>stream\n" + stream + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )  # fmt: skip
        work = ProjectWork(
            participant=participant,
            title=title,
            summary=summary,
            profession_map_area=area,
            file_type=ProjectWork.FileType.PDF,
            original_filename="project-report.pdf",
            size=len(pdf),
        )
        work.file.save("report.pdf", ContentFile(pdf), save=False)
        work.save()


def _announced(cohort: Cohort, at) -> None:
    """Mark ``cohort`` announced at ``at`` and its announcement emails sent (once: a
    second load finds them there)."""
    from talenthub.core.models import OutboundEmail

    from .services import cohort_announce_batch, cohort_announcement_batches

    Cohort.objects.filter(pk=cohort.pk, announced_at__isnull=True).update(announced_at=at)
    cohort.refresh_from_db()
    for first_id, last_id in cohort_announcement_batches(cohort):
        cohort_announce_batch(cohort_id=cohort.pk, first_id=first_id, last_id=last_id)
    OutboundEmail.objects.filter(
        key__startswith=f"cohort.announced:{cohort.pk}:", status=OutboundEmail.Status.PENDING
    ).update(status=OutboundEmail.Status.SENT, sent_at=at, attempts=1)


def _inspire_next(inspire, version, provider, now):
    """The next Inspire OD workshop, open for applications, on the LGA's subsidised
    places (seed 000: 100 places nationally). Nobody is enrolled yet, so the scheme's
    places are all still free."""
    from programmes.models import SubsidyScheme

    starts = timezone.localdate() + timedelta(days=70)
    cohort = _cohort(
        "inspire-od-west-midlands-next",
        version=version,
        provider=provider,
        name=f"Inspire OD — West Midlands, {starts:%B %Y}",
        region=Region.WEST_MIDLANDS,
        capacity=20,
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now + timedelta(days=40),
        starts_on=starts,
        ends_on=starts + timedelta(days=42),
        status=Cohort.Status.OPEN,
        subsidy_scheme=SubsidyScheme.objects.filter(programmes=inspire).first(),
    )
    venue = "WME, Birmingham"
    _sessions(
        cohort,
        [
            (Session.Kind.WORKSHOP_DAY, starts, "Workshop day 1: the OD toolkit", None, venue, ""),
            (Session.Kind.WORKSHOP_DAY, starts + timedelta(days=1),
             "Workshop day 2: change and transformation", None, venue, ""),
            (Session.Kind.REVIEW_DAY, starts + timedelta(days=42), "Review day", None, "",
             "https://meet.example.org/inspire-od-review"),
        ],
    )  # fmt: skip


def _franchise_manager(provider: Organisation) -> User:
    """A programme manager at the franchisee, to show the boundary."""
    return demo_programme_manager(
        "dev.manager@emc.example",
        full_name="Dev Sharma",
        organisation=provider,
        job_title="Programme manager, Aspire (East Midlands)",
    )
