"""Demo data for the alumni network: profiles and career histories for a share of the
Aspire completers (seed 000: "at least six or seven of the participants in that cohort are
now directors or heads of HR"), mentoring offers, the Midlands Regional Talent Board's
pool with readiness ratings (seed 002), a handful of vacancies, career stories and pledges.

Runs after the cohorts demo (it needs completers) and skips with a message without them.
Idempotent: profiles, offers and pool members are keyed by person (bulk inserts ignore
rows that exist); career entries are written only for people who have none; vacancies,
stories and pledges use update_or_create on natural keys.
"""

import datetime
from datetime import UTC

from django.utils import timezone

from cohorts.demo import ASPIRE_SLUG
from cohorts.models import Participant
from programmes.models import Programme
from talenthub.core.choices import CareerLevel, Region, Sector
from talenthub.core.demo import demo_programme_manager
from talenthub.core.models import FunctionalArea, Organisation, User
from talenthub.core.permissions import PROGRAMME_MANAGERS

from .models import (
    AlumniProfile,
    CareerEntry,
    CareerStory,
    KeyRole,
    MentoringOffer,
    MentoringRequest,
    MentoringSession,
    Pledge,
    Readiness,
    Successor,
    TalentAssessment,
    TalentPoolMember,
    Vacancy,
)

POOL_SLUG = "midlands-regional-talent-board-pool"
PROFILE_SHARE = 3  # two in every three completers keep a profile
# In the 2014 cohort, seven alumni reached director or head of HR (seed 000).
DIRECTORS_2014 = 7

LEVEL_3_ROLES = ["HR Business Partner", "Senior HR Business Partner", "OD Business Partner"]
LEVEL_4_ROLES = ["Head of HR", "Deputy Director of HR", "Director of People"]
VISIBILITY_CYCLE = ["members", "members", "alumni", "members", "hidden", "alumni"]
MENTORING_TOPICS = [
    "Business partnering with senior leaders",
    "Stepping up to head of HR",
    "Workforce strategy and planning",
    "Leading organisational development",
]

VACANCIES = [
    # organisation, role, level, region, kind, months ahead
    ("University Hospitals Birmingham NHS Foundation Trust", "Director of People", 4,
     Region.WEST_MIDLANDS, Vacancy.Kind.IMMEDIATE, 1),
    ("Derbyshire Hospitals NHS Foundation Trust", "Deputy Director of Workforce", 4,
     Region.EAST_MIDLANDS, Vacancy.Kind.PREDICTED, 6),
    ("East Midlands Ambulance Service", "Head of HR", 4, Region.EAST_MIDLANDS,
     Vacancy.Kind.IMMEDIATE, 2),
    ("Birmingham City Council", "Assistant Director, HR and OD", 4, Region.WEST_MIDLANDS,
     Vacancy.Kind.PREDICTED, 9),
    ("West Midlands Fire Service", "Senior HR Business Partner", 3, Region.WEST_MIDLANDS,
     Vacancy.Kind.IMMEDIATE, 1),
    ("Derby City Council", "OD Business Partner", 3, Region.EAST_MIDLANDS,
     Vacancy.Kind.PREDICTED, 4),
]  # fmt: skip
# Offered as a secondment: matched only with pool members open to one.
SECONDMENTS = {"Deputy Director of Workforce"}

PLEDGES = [
    # leader (illustrative), role, organisation, statement
    ("Jo Bennett", "Director of People", "Barts Health NHS Trust",
     "I will sponsor a reverse-mentoring scheme so that every member of my HR leadership "
     "team is mentored by a black, Asian or minority ethnic colleague."),
    ("Sam Okafor", "Deputy Director of Workforce", "Guy's and St Thomas' NHS Foundation Trust",
     "I pledge that every shortlist for a senior HR and OD role in my directorate will be "
     "diverse, and I will publish our progression data each year."),
    ("Helen Price", "Head of HR", "Birmingham City Council",
     "I will make sure that everyone in my team has a high-quality career conversation every "
     "year, linked to the HPMA career pathway."),
]  # fmt: skip


def _say(stdout, message):
    if stdout:
        stdout.write(message)


def _career(user_id, index, year, directors_quota):
    """A career history showing progression after completing Aspire in ``year``."""
    started = datetime.date(year - 3 + index % 3, 1 + index % 12, 1)
    level_3_role = LEVEL_3_ROLES[index % len(LEVEL_3_ROLES)]
    entries = [
        CareerEntry(user_id=user_id, role="HR Adviser", organisation_name="", level=2,
                    started_on=started.replace(year=started.year - 4), ended_on=started),
    ]  # fmt: skip
    promoted = index < directors_quota
    promoted_on = datetime.date(year + 2 + index % 4, 1 + (index * 5) % 12, 1)
    entries.append(
        CareerEntry(
            user_id=user_id,
            role=level_3_role,
            organisation_name="",
            level=3,
            started_on=started,
            ended_on=promoted_on if promoted else None,
        )
    )
    if promoted:
        entries.append(
            CareerEntry(
                user_id=user_id,
                role=LEVEL_4_ROLES[index % len(LEVEL_4_ROLES)],
                organisation_name="",
                level=4,
                started_on=promoted_on,
                announced_at=datetime.datetime(
                    promoted_on.year, promoted_on.month, promoted_on.day, 9, tzinfo=UTC
                ),
            )
        )
    return entries


def load(stdout=None):
    completers = list(
        Participant.objects.completed()
        .filter(cohort__version__programme__slug=ASPIRE_SLUG)
        .select_related("cohort", "user__profile__organisation")
        .order_by("cohort__starts_on", "user__email")
    )
    if not completers:
        _say(stdout, "alumni: skipped, no Aspire completers (cohorts demo)")
        return
    today = timezone.localdate()
    areas = list(FunctionalArea.objects.all())

    by_cohort: dict[int, list[Participant]] = {}
    for participant in completers:
        by_cohort.setdefault(participant.cohort_id, []).append(participant)

    profiles, entries, chosen = [], [], []
    have_history = set(
        CareerEntry.objects.filter(user__in=[p.user for p in completers]).values_list(
            "user_id", flat=True
        )
    )
    for participants in by_cohort.values():
        cohort = participants[0].cohort
        year = cohort.starts_on.year
        # The first cohort: seven of its alumni now directors or heads of HR; later ones a few.
        quota = DIRECTORS_2014 if year == 2014 else max(0, (today.year - year - 2) // 2)
        for index, participant in enumerate(participants):
            if cohort.ends_on >= today:
                continue
            user = participant.user
            promoted = index < quota
            if index % PROFILE_SHARE == PROFILE_SHARE - 1 and not promoted:
                continue  # a third keep no profile (their outcome counts as not reached)
            chosen.append(user)
            base = getattr(user, "profile", None)
            organisation = base.organisation if base else None
            current_level = CareerLevel.LEVEL_4 if promoted else CareerLevel.LEVEL_3
            career = _career(user.pk, index, year, quota)
            for entry in career:
                entry.organisation_name = organisation.name if organisation else "NHS trust"
            current_role = career[-1].role
            if user.pk not in have_history:
                entries.extend(career)
            profiles.append(
                AlumniProfile(
                    user=user,
                    headline=f"{current_role}, {organisation.name if organisation else 'NHS'}",
                    current_role=current_role,
                    organisation=organisation,
                    region=Region.WEST_MIDLANDS,
                    career_level=current_level,
                    skills="Business partnering, negotiation, workforce planning",
                    bio=f"Completed {cohort.name}. Happy to share what the programme taught me.",
                    visibility=VISIBILITY_CYCLE[len(profiles) % len(VISIBILITY_CYCLE)],
                    email_career_updates=True,  # the demo's alumni have opted in
                )
            )
    AlumniProfile.objects.bulk_create(profiles, ignore_conflicts=True)
    CareerEntry.objects.bulk_create(entries)
    if areas:
        Through = AlumniProfile.functional_areas.through
        profile_ids = AlumniProfile.objects.filter(user__in=chosen).values_list("pk", flat=True)
        Through.objects.bulk_create(
            [
                Through(alumniprofile_id=pk, functionalarea_id=areas[pk % len(areas)].pk)
                for pk in profile_ids
            ],
            ignore_conflicts=True,
        )

    # Mentoring: one in five profiled alumni offers it.
    mentors = [u for i, u in enumerate(chosen) if i % 5 == 0]
    MentoringOffer.objects.bulk_create(
        [
            MentoringOffer(mentor=u, topics=MENTORING_TOPICS[i % len(MENTORING_TOPICS)], capacity=2)
            for i, u in enumerate(mentors)
        ],
        ignore_conflicts=True,
    )
    tom = User.objects.filter(email="tom.member@example.com").first()
    first_offer = MentoringOffer.objects.filter(mentor__in=mentors).order_by("pk").first()
    if tom and first_offer and first_offer.mentor_id != tom.pk:
        relationship, _created = MentoringRequest.objects.get_or_create(
            offer=first_offer,
            mentee=tom,
            defaults={
                "message": "I am applying for Aspire 2.0 and would value advice on business "
                "partnering with a chief executive.",
                "status": MentoringRequest.Status.ACCEPTED,
                "responded_at": timezone.now(),
                "goals": "Prepare for a head of HR interview; build confidence in business "
                "partnering with a chief executive.",
                "frequency": MentoringRequest.Frequency.MONTHLY,
            },
        )
        if not relationship.sessions.exists():  # loaded again on another day: not twice
            MentoringSession.objects.bulk_create(
                MentoringSession(
                    relationship=relationship,
                    held_on=today - datetime.timedelta(weeks=weeks),
                    notes=notes,
                    logged_by=tom,
                )
                for weeks, notes in (
                    (8, "Agreed goals; mapped the chief executive's priorities."),
                    (4, "Practised a board paper on workforce risk."),
                )
            )

    _talent_pool(stdout, chosen, today)
    _stories_and_pledges(chosen, areas)
    _moderation(tom)
    _say(
        stdout,
        f"alumni: {AlumniProfile.objects.count()} alumni profiles, "
        f"{MentoringOffer.objects.count()} mentoring offers, {Vacancy.objects.count()} vacancies",
    )


def _talent_pool(stdout, alumni, today):
    board = Organisation.objects.filter(name="Midlands Regional Talent Board").first()
    pool = Programme.objects.filter(slug=POOL_SLUG).first()
    if pool is None and board is not None:
        pool = Programme.objects.filter(
            kind=Programme.Kind.TALENT_POOL, owner=board
        ).first() or Programme.objects.create(
            slug=POOL_SLUG,
            title="Aspire Together: Midlands senior leaders talent pool",
            kind=Programme.Kind.TALENT_POOL,
            owner=board,
            summary="A regional pool of senior leaders, ready to take up board and "
            "governing body level posts.",
            status=Programme.Status.PUBLISHED,
        )
    if pool is None:
        _say(stdout, "alumni: talent pool skipped (no Midlands Regional Talent Board)")
        return
    _pool_manager(pool.owner)
    readiness = [Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_PLUS_YEARS]
    members = alumni[:18]
    regions = [Region.WEST_MIDLANDS, Region.EAST_MIDLANDS]
    TalentPoolMember.objects.bulk_create(
        [
            TalentPoolMember(
                pool=pool,
                user=user,
                target_level=CareerLevel.LEVEL_4,
                readiness=readiness[i % 3],
                skills="Strategic workforce planning, system leadership",
                experience="Led people services through an integrated care system merger.",
                home_region=regions[i % 2],
                mobility_regions=[regions[(i + 1) % 2]] if i % 3 == 0 else [],
                open_to_secondment=i % 2 == 0,
                open_to_relocation=i % 7 == 0,
            )
            for i, user in enumerate(members)
        ],
        ignore_conflicts=True,
    )
    TalentAssessment.objects.bulk_create(
        [
            TalentAssessment(
                pool_member=m,
                summary="Strong on partnership working across organisations; needs board "
                "exposure before a director post.",
            )
            for m in pool.pool_members.filter(readiness=Readiness.ONE_TO_TWO_YEARS)
        ],
        ignore_conflicts=True,
    )
    _talent_management(pool, today)
    areas = list(FunctionalArea.objects.order_by("order", "name"))
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=[v[0] for v in VACANCIES])}
    for index, (name, role, level, region, kind, months) in enumerate(VACANCIES):
        if name not in by_name:
            continue
        Vacancy.objects.update_or_create(
            organisation=by_name[name],
            role=role,
            defaults={
                "level": level,
                "region": region,
                "kind": kind,
                "expected_on": today + datetime.timedelta(days=30 * months),
                "is_secondment": role in SECONDMENTS,
                "functional_area": areas[index % len(areas)] if areas else None,
            },
        )


# The pool manager's admin pages (issue 19: the demo manager had a 403 on pool membership).
ALUMNI_MANAGER_PERMISSIONS = [
    ("talentpoolmember", ["view", "change"]),  # selecting: the pool's page, by email
    ("talentassessment", ["view", "add", "change", "delete"]),
]

KEY_ROLES = [
    # title, organisation, incumbent, months until vacant (None: not known)
    ("Chief People Officer", "University Hospitals Birmingham NHS Foundation Trust",
     "Margaret Ellis", 14),
    ("Director of HR and OD", "Derbyshire County Council", "Rajesh Patel", None),
    ("Director of People", "East Midlands Ambulance Service", "", 3),
]  # fmt: skip


def _talent_management(pool, today):
    """What the pool's managers keep on their own pages: functional areas, consent to be
    shown to employers, shared assessments, succession plans for key roles (seed 003
    action 29) and sideways and cross-sector moves since selection (action 30)."""
    from django.contrib.auth.models import Group, Permission

    managers, _ = Group.objects.get_or_create(name=PROGRAMME_MANAGERS)
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="alumni",
            codename__in=[f"{a}_{m}" for m, actions in ALUMNI_MANAGER_PERMISSIONS for a in actions],
        )
    )
    members = list(pool.pool_members.select_related("user").order_by("user__full_name"))
    if not members:
        return
    selected_on = timezone.now() - datetime.timedelta(days=730)
    pool.pool_members.update(created_at=selected_on)
    areas = list(FunctionalArea.objects.order_by("order", "name"))
    Through = TalentPoolMember.functional_areas.through
    if areas:
        Through.objects.bulk_create(
            [
                Through(talentpoolmember_id=m.pk, functionalarea_id=areas[i % len(areas)].pk)
                for i, m in enumerate(members)
            ],
            ignore_conflicts=True,
        )
    pool.pool_members.filter(pk__in=[m.pk for m in members[::2]]).update(share_with_employers=True)
    TalentAssessment.objects.filter(pool_member__in=members[1::4]).update(shared_with_member=True)
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[k[1] for k in KEY_ROLES])
    }
    for index, (title, name, incumbent, months) in enumerate(KEY_ROLES):
        if name not in organisations:
            continue
        role, _ = KeyRole.objects.update_or_create(
            pool=pool,
            organisation=organisations[name],
            title=title,
            defaults={
                "level": CareerLevel.LEVEL_4,
                "region": organisations[name].region or Region.WEST_MIDLANDS,
                "incumbent": incumbent,
                "expected_vacancy_on": today + datetime.timedelta(days=30 * months)
                if months
                else None,
            },
        )
        # The last role has nobody named: a gap the plan shows.
        for offset in range(2 - index if index < 2 else 0):
            member = members[(index * 3 + offset) % len(members)]
            Successor.objects.get_or_create(
                key_role=role,
                pool_member=member,
                defaults={"readiness": member.readiness, "development": "Board exposure"},
            )
    # Two members moved since selection: sideways into the ambulance service (another
    # sector, the same level), which promotion-only outcomes would not count.
    for member in members[:2]:
        current = (
            CareerEntry.objects.filter(user=member.user, ended_on__isnull=True)
            .order_by("-started_on")
            .first()
        )
        moved_on = today - datetime.timedelta(days=200)
        if current is None or current.started_on >= moved_on:
            continue
        CareerEntry.objects.filter(pk=current.pk).update(
            ended_on=moved_on, sector=current.sector or Sector.LOCAL_GOVERNMENT
        )
        CareerEntry.objects.get_or_create(
            user=member.user,
            role=f"{current.role} (ambulance service)",
            defaults={
                "organisation_name": "East Midlands Ambulance Service",
                "level": current.level,
                "sector": Sector.AMBULANCE_SERVICE,
                "started_on": moved_on,
            },
        )


def _pool_manager(board: Organisation) -> User:
    """A programme manager on the Talent Board's staff, who sees supply and demand."""
    return demo_programme_manager(
        "talent.manager@mrtb.example",
        full_name="Amrit Gill",
        organisation=board,
        job_title="Talent programme manager",
    )


def _stories_and_pledges(alumni, areas):
    stories = [
        ("From payroll clerk to Director of People", "I started in payroll, found business "
         "partnering through Aspire and now lead a people directorate of sixty."),
        ("Why Aspire changed how I partner with chief executives", "The project on workforce "
         "strategies made me test my assumptions against CIPD research."),
    ]  # fmt: skip
    for index, (title, body) in enumerate(stories):
        if index >= len(alumni):
            break
        CareerStory.objects.update_or_create(
            author=alumni[index],
            title=title,
            defaults={
                "body": body,
                "functional_area": areas[index % len(areas)] if areas else None,
                "career_level": CareerLevel.LEVEL_4,
                "status": CareerStory.Status.PUBLISHED,
                "published_at": datetime.datetime(2024, 3 + index, 1, 9, tzinfo=UTC),
            },
        )
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[p[2] for p in PLEDGES])
    }
    for leader, role, organisation, statement in PLEDGES:
        if organisation in organisations:
            Pledge.objects.update_or_create(
                leader_name=leader,
                organisation=organisations[organisation],
                defaults={
                    "leader_role": role,
                    "statement": statement,
                    "made_on": datetime.date(2022, 6, 1),
                },
            )


MODERATORS_GROUP = "Content moderators"
# The HPMA London Academy runs the hub (seed 001), so its demo manager moderates.
DEMO_MODERATOR = "rachael.manager@hpma.example"


def _moderation(member):
    """The moderators' group (with the permission to moderate stories and pledges), the
    academy's demo manager in it, and a story and a pledge by the demo member waiting for
    them, so that /alumni/moderation/ has work to show."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="alumni", codename="moderate_contributions"
        )
    )
    moderator = User.objects.filter(email=DEMO_MODERATOR).first()
    if moderator:
        moderator.groups.add(group)
    if member is None:
        return
    CareerStory.objects.get_or_create(
        author=member,
        title="From the payroll office to HR business partnering",
        defaults={
            "body": "I joined the NHS at band 3 in payroll. A secondment into an HR team showed "
            "me what business partnering could be, and the HPMA London Academy's events helped "
            "me prepare for my first HR adviser post.",
            "career_level": CareerLevel.LEVEL_2,
        },
    )
    organisation = Organisation.objects.filter(name="Barts Health NHS Trust").first()
    if organisation:
        Pledge.objects.get_or_create(
            submitted_by=member,
            leader_name="Tom Member",
            defaults={
                "leader_role": "HR Adviser",
                "organisation": organisation,
                "statement": "I will ask for a diverse interview panel for every HR post I "
                "recruit to, and share what I learn with my team.",
                "made_on": timezone.localdate(),
                "status": Pledge.Status.SUBMITTED,
            },
        )
