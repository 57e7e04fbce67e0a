"""Demo programmes from the seeds (000: WME's Aspire and Inspire OD; 001: the HPMA London
Academy; 002: Aspire Together). Idempotent: rows are found by natural keys and updated."""

import datetime

from django.contrib.auth.models import Group, Permission

from talenthub.core.choices import CareerLevel, Sector
from talenthub.core.models import FunctionalArea, Organisation
from talenthub.core.permissions import PROGRAMME_MANAGERS

from .models import (
    Franchise,
    Module,
    Programme,
    ProgrammeAlert,
    ProgrammeVersion,
    ProviderUpdates,
    SubsidyScheme,
    SubsidySchemeSector,
)
from .services import programme_set_audience

WME = "West Midlands Employers"
HPMA = "HPMA London Academy"
RTB = "Midlands Regional Talent Board"
CIPD = "CIPD"
LGA = "Local Government Association"

LOCAL_PUBLIC_SERVICES = [
    Sector.LOCAL_GOVERNMENT,
    Sector.SOCIAL_CARE,
    Sector.CHILDRENS_SERVICES,
    Sector.FIRE_SERVICE,
    Sector.POLICE,
    Sector.HEALTH_AND_BLOOD,
]

PROGRAMMES = [
    {
        "slug": "aspire-strategic-hr-and-od-business-partner-programme",
        "title": "Aspire Strategic HR and OD Business Partner Programme",
        "kind": Programme.Kind.MULTI_MODULE,
        "owner": WME,
        "partners": [CIPD, LGA],
        "summary": (
            "Step up into strategic HR: business partnering, negotiation and influencing "
            "for HR and OD practitioners in the public sector, with WME, the CIPD and the LGA."
        ),
        "description": (
            "Launched in 2014 by West Midlands Employers, the CIPD and the Local Government "
            "Association to grow the region's talent pipeline for Head of HR roles. "
            "Participants develop a better understanding of the business context in which "
            "they operate and learn from collaborative situations and organisational "
            "analysis.\n\n"
            "Alongside five core modules, participants take on project work on a big HR "
            "challenge, often linked to the CIPD Profession Map, analysing CIPD research "
            "and proposing how its findings might apply in different sectors. Project "
            "reports are presented at a celebration event at the end of the programme, "
            "where experienced heads of HR challenge the conclusions.\n\n"
            "Over 200 people have completed Aspire since launch, and completers join the "
            "Aspire Alumni network."
        ),
        "how_to_apply": (
            "Apply for a place on a cohort when applications open: you will answer a few "
            "questions about your role and rate yourself against the programme's "
            "competencies, and your line manager will be asked to support your "
            "application. Cohorts are run by West Midlands Employers and, under franchise, "
            "by other regional employers' organisations."
        ),
        "delivery_mode": Programme.DeliveryMode.BLENDED,
        "levels": [CareerLevel.LEVEL_2, CareerLevel.LEVEL_3],
        "areas": ["HR Business Partnering", "Organisational Development"],
        "sectors": LOCAL_PUBLIC_SERVICES,
        "versions": [
            (
                "Aspire",
                datetime.date(2014, 9, 1),
                "The original programme: five core modules, project work and a celebration event.",
                [
                    (
                        "Understanding the business context",
                        "Strategic HR partnering in councils and the wider public sector: "
                        "finance, politics and the demands on services.",
                        "Explain the financial and political context of your organisation\n"
                        "Use organisational analysis to frame an HR challenge",
                    ),
                    (
                        "Digital technologies in HR/OD",
                        "How digital tools change HR services and the way people work.",
                        "Assess a digital HR opportunity\nPlan the people side of a digital change",
                    ),
                    (
                        "Workforce strategies – doing it well",
                        "Building workforce strategies and plans that leaders own.",
                        "Draft a workforce strategy linked to business plans\n"
                        "Use workforce data to test it",
                    ),
                    (
                        "Negotiation and influencing at senior level",
                        "The negotiation and influencing behaviour a strategic HR role needs.",
                        "Prepare and run a negotiation\nInfluence without authority",
                    ),
                    (
                        "Collaboration and organisational development",
                        "Learning from collaborative situations across organisations.",
                        "Design a collaborative intervention\nEvaluate its effect",
                    ),
                ],
            ),
            (
                "Aspire 2.0",
                datetime.date(2019, 4, 1),
                "Revised modules reflecting the constant evolution of the programme, and a "
                "refreshed, blended approach to delivery shaped by feedback after every cohort.",
                [
                    (
                        "Strategic partnering in a changing public sector",
                        "The business context today: integration, austerity and reform.",
                        "Diagnose the strategic priorities of your organisation\n"
                        "Position HR as a partner in meeting them",
                    ),
                    (
                        "Digital technologies in HR/OD",
                        "Data, automation and the employee experience; digital self-service.",
                        "Make the case for a digital HR investment\n"
                        "Lead the people side of digital change",
                    ),
                    (
                        "Workforce strategies – doing it well",
                        "Workforce planning across organisational boundaries.",
                        "Build a system-wide workforce plan\nUse supply and demand data",
                    ),
                    (
                        "Influencing, negotiation and political astuteness",
                        "Working with elected members, boards and trade unions.",
                        "Read the politics of a decision\nNegotiate outcomes that last",
                    ),
                    (
                        "Leading organisational development and change",
                        "OD tools for transformation, linked to the CIPD Profession Map.",
                        "Choose an OD approach for a change\nMeasure what it achieved",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "inspire-od",
        "title": "Inspire OD",
        "kind": Programme.Kind.WORKSHOP,
        "owner": WME,
        "partners": [CIPD],
        "summary": (
            "A two-day workshop and a review day giving HR business partners an OD toolkit "
            "for change and transformation in public sector organisations."
        ),
        "description": (
            "A sister workshop to Aspire, developed by WME and the CIPD in response to "
            "feedback that organisational development is not well understood. It gives HR "
            "business partners an enhanced toolkit for the challenges of change and "
            "transformation specific to public sector organisations, so that the people "
            "arc is never missing from the OD conversation.\n\n"
            "The first pilot cohort ran on 24 and 25 September 2019, with a review day on "
            "5 November 2019. The LGA subsidises 100 places nationally."
        ),
        "how_to_apply": (
            "Book a place on the next workshop. Places for local government HR staff may "
            "be funded by the LGA's subsidy while subsidised places remain."
        ),
        "delivery_mode": Programme.DeliveryMode.IN_PERSON,
        "levels": [CareerLevel.LEVEL_3],
        "areas": ["Organisational Development", "HR Business Partnering"],
        "sectors": LOCAL_PUBLIC_SERVICES,
        "versions": [
            (
                "Inspire OD pilot",
                datetime.date(2019, 9, 24),
                "Pilot: 24–25 September 2019, review day 5 November 2019.",
                [
                    (
                        "Workshop day 1: what OD means in the public sector",
                        "Why HR must be part of every OD conversation; diagnosing the system.",
                        "Describe the main OD approaches\nDiagnose an organisation's readiness",
                    ),
                    (
                        "Workshop day 2: the OD toolkit for change and transformation",
                        "Tools for culture, teams and transformation programmes.",
                        "Choose a tool for a live change\nPlan your intervention",
                    ),
                    (
                        "Review day",
                        "Six weeks later: what happened when participants used the toolkit.",
                        "Reflect on your intervention\nAgree next steps with peers",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "hpma-london-academy-core-programme-2021-22",
        "title": "HPMA London Academy core programme 2021/22",
        "kind": Programme.Kind.EVENT_SERIES,
        "owner": HPMA,
        "partners": [],
        "summary": "Supporting workforce professionals to turn the People Plan into reality.",
        "description": (
            "A comprehensive range of one-off development events for all HR and OD "
            "professionals in our member organisations, grouped around key themes of the "
            "NHS People Plan.\n\n"
            "Each development event is advertised up to four weeks before its date, and "
            "every member receives an individual email about each event. Some events "
            "book up quickly and run a waiting list; events with long waiting lists are "
            "re-run, resources permitting."
        ),
        "how_to_apply": (
            "Book each event on its own when it is advertised, up to four weeks before the "
            "date. If an event is full, join its waiting list: you are offered a place as "
            "soon as one frees up."
        ),
        "delivery_mode": Programme.DeliveryMode.BLENDED,
        "levels": [
            CareerLevel.LEVEL_1,
            CareerLevel.LEVEL_2,
            CareerLevel.LEVEL_3,
            CareerLevel.LEVEL_4,
        ],
        "areas": [],
        "sectors": [Sector.HEALTH_AND_BLOOD],
        "versions": [
            (
                "2021/22",
                datetime.date(2021, 4, 1),
                "Events grouped by People Plan theme.",
                [
                    (
                        "Looking after our people",
                        "People Plan theme: health and wellbeing, flexible working and "
                        "keeping staff safe.",
                        "",
                    ),
                    (
                        "Belonging in the NHS",
                        "People Plan theme: equality, diversity and inclusion, and "
                        "compassionate, inclusive leadership.",
                        "",
                    ),
                    (
                        "New ways of working and delivering care",
                        "People Plan theme: new roles, multi-professional teams and digital "
                        "ways of working.",
                        "",
                    ),
                    (
                        "Growing for the future",
                        "People Plan theme: recruitment, retention, apprenticeships and "
                        "careers in HR and OD.",
                        "",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "aspirant-deputy-director-talent-pool",
        "title": "Aspirant Deputy Director talent pool",
        "kind": Programme.Kind.TALENT_POOL,
        "owner": HPMA,
        "partners": [],
        "summary": (
            "A talent pool for HR and OD leaders preparing for Deputy Director of Workforce "
            "roles in London's NHS."
        ),
        "description": (
            "Members are selected against the aspirant Deputy Director competency "
            "framework, carry a readiness rating and receive development, mentoring and "
            "stretch opportunities agreed with the London Deputy Directors of HR network."
        ),
        "how_to_apply": (
            "Apply when selection opens, with your line manager's support; you will rate "
            "yourself against the aspirant Deputy Director competency framework."
        ),
        "delivery_mode": Programme.DeliveryMode.BLENDED,
        "levels": [CareerLevel.LEVEL_3, CareerLevel.LEVEL_4],
        "areas": [],
        "sectors": [Sector.HEALTH_AND_BLOOD],
        "versions": [],
    },
    {
        "slug": "aspirant-business-partner-talent-pool",
        "title": "Aspirant Business Partner talent pool",
        "kind": Programme.Kind.TALENT_POOL,
        "owner": HPMA,
        "partners": [],
        "summary": "A talent pool for HR and OD professionals ready to become business partners.",
        "description": (
            "Members are selected against the aspirant Business Partner competency "
            "framework and carry a readiness rating."
        ),
        "how_to_apply": (
            "Apply when selection opens; you will rate yourself against the aspirant "
            "Business Partner competency framework."
        ),
        "delivery_mode": Programme.DeliveryMode.BLENDED,
        "levels": [CareerLevel.LEVEL_2, CareerLevel.LEVEL_3],
        "areas": ["HR Business Partnering"],
        "sectors": [Sector.HEALTH_AND_BLOOD],
        "versions": [],
    },
    {
        "slug": "aspire-together-regional-talent-pool",
        "title": "Aspire Together: Midlands regional talent pool",
        "kind": Programme.Kind.TALENT_POOL,
        "owner": RTB,
        "partners": [],
        "summary": (
            "The Midlands Regional Talent Board's pool of senior leaders: a quality-assured "
            "pool of candidates for board and governing body posts."
        ),
        "description": (
            "The Regional Talent Board first met in March 2017 and divided into separate "
            "boards for the Midlands and the East of England in May 2020. Starting with "
            "senior leaders, selected individuals join a regional talent pool with rigour, "
            "consistency, transparency and diversity at its heart, so that organisations "
            "collaborate rather than compete for talent, and the board can balance demand "
            "(immediate and predicted vacancies) against supply."
        ),
        "how_to_apply": (
            "Register for updates from the Midlands Regional Talent Board (the button below) "
            "and ask to be told when the pool next opens; selection into the pool is by "
            "nomination and assessment during its intake."
        ),
        "delivery_mode": Programme.DeliveryMode.BLENDED,
        "levels": [CareerLevel.LEVEL_4],
        "areas": [],
        "sectors": [Sector.HEALTH_AND_BLOOD],
        "versions": [],
    },
    {
        "slug": "london-strategic-hr-and-od-network",
        "title": "London Strategic HR and OD network",
        "kind": Programme.Kind.NETWORK,
        "owner": HPMA,
        "partners": [],
        "summary": "A network for senior HR and OD professionals across London's NHS.",
        "description": (
            "Regular meetings to share thinking, practice and opportunities across "
            "organisational boundaries."
        ),
        "how_to_apply": "Members of the HPMA London Academy at levels 3 and 4 can join.",
        "delivery_mode": Programme.DeliveryMode.ONLINE,
        "levels": [CareerLevel.LEVEL_3, CareerLevel.LEVEL_4],
        "areas": [],
        "sectors": [Sector.HEALTH_AND_BLOOD],
        "versions": [],
    },
]

FRANCHISES = [
    # programme slug, franchisee, from
    (
        "aspire-strategic-hr-and-od-business-partner-programme",
        "East Midlands Councils",
        datetime.date(2016, 4, 1),
    ),
    (
        "aspire-strategic-hr-and-od-business-partner-programme",
        "North West Employers",
        datetime.date(2017, 9, 1),
    ),
]

SUBSIDY_SCHEMES = [
    (
        "LGA Inspire OD places",
        LGA,
        ["inspire-od"],
        100,
        "The LGA subsidises 100 places nationally on Inspire OD: HR practitioners should be "
        "a crucial part of any OD conversation.",
    ),
]
# Who each scheme funds: the LGA's places are for local government HR staff.
SUBSIDY_ELIGIBLE_SECTORS = {"LGA Inspire OD places": [Sector.LOCAL_GOVERNMENT]}

# Completion rules by programme: Aspire asks for attendance at most module days, the
# project report and feedback; Inspire OD for both workshop days and the review day.
COMPLETION_RULES = {
    "aspire-strategic-hr-and-od-business-partner-programme": {
        "completion_min_sessions": 5,
        "completion_requires_project_work": True,
        "completion_requires_feedback": True,
        "completion_requires_cohort_ended": True,
    },
    "inspire-od": {
        "completion_min_sessions": 2,
        "completion_requires_cohort_ended": True,
    },
}

MANAGER_PERMISSIONS = [
    # Programme managers edit their own provider's programmes in the admin (the admin
    # scopes the rows); subsidy schemes are the site administrators'.
    ("programme", ["view", "add", "change"]),
    ("programmeversion", ["view", "add", "change", "delete"]),
    ("module", ["view", "add", "change", "delete"]),
    ("franchise", ["view", "add", "change"]),
    ("subsidyscheme", ["view"]),
    ("subsidyallocation", ["view"]),
]


RTB_POOL_SLUG = "aspire-together-regional-talent-pool"


def _updates():
    """The regional talent pool's next intake (from three weeks on, for six weeks), and a
    demo member registered for the Regional Talent Board's updates who asked to hear
    when the pool opens (issue 18, item 5)."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    today = timezone.localdate()
    Programme.objects.filter(slug=RTB_POOL_SLUG).update(
        intake_opens_on=today + datetime.timedelta(days=21),
        intake_closes_on=today + datetime.timedelta(days=63),
    )
    priya = get_user_model().objects.filter(email="priya.member@example.com").first()
    pool = Programme.objects.filter(slug=RTB_POOL_SLUG).first()
    if priya is None or pool is None:
        return
    ProviderUpdates.objects.get_or_create(provider=pool.owner, member=priya)
    if not ProgrammeAlert.objects.filter(programme=pool, member=priya).exists():
        ProgrammeAlert.objects.create(programme=pool, member=priya)


def _organisation(name):
    return Organisation.objects.get(name=name)


def load(stdout=None):
    for data in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "kind": data["kind"],
                "owner": _organisation(data["owner"]),
                "summary": data["summary"],
                "description": data["description"],
                "how_to_apply": data["how_to_apply"],
                "delivery_mode": data["delivery_mode"],
                "status": Programme.Status.PUBLISHED,
            },
        )
        programme.partners.set([_organisation(name) for name in data["partners"]])
        programme_set_audience(
            programme=programme,
            career_levels=data["levels"],
            sectors=data["sectors"],
            functional_areas=FunctionalArea.objects.filter(name__in=data["areas"]),
        )
        for name, launched_on, summary, modules in data["versions"]:
            version, _ = ProgrammeVersion.objects.update_or_create(
                programme=programme,
                name=name,
                defaults={
                    "launched_on": launched_on,
                    "summary": summary,
                    **COMPLETION_RULES.get(data["slug"], {}),
                },
            )
            for order, (title, module_summary, outcomes) in enumerate(modules, start=1):
                Module.objects.update_or_create(
                    version=version,
                    order=order,
                    defaults={
                        "title": title,
                        "summary": module_summary,
                        "learning_outcomes": outcomes,
                    },
                )
    for slug, franchisee, starts_on in FRANCHISES:
        Franchise.objects.update_or_create(
            programme=Programme.objects.get(slug=slug),
            franchisee=_organisation(franchisee),
            starts_on=starts_on,
        )
    for name, funder, slugs, total_places, description in SUBSIDY_SCHEMES:
        scheme, _ = SubsidyScheme.objects.update_or_create(
            name=name,
            defaults={
                "funder": _organisation(funder),
                "total_places": total_places,
                "description": description,
            },
        )
        scheme.programmes.set(Programme.objects.filter(slug__in=slugs))
        for sector in SUBSIDY_ELIGIBLE_SECTORS.get(name, []):
            SubsidySchemeSector.objects.get_or_create(scheme=scheme, sector=sector)
    managers, _ = Group.objects.get_or_create(name=PROGRAMME_MANAGERS)
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programmes",
            codename__in=[
                f"{action}_{model}" for model, actions in MANAGER_PERMISSIONS for action in actions
            ],
        )
    )
    _updates()
    if stdout:
        stdout.write(
            f"programmes: {Programme.objects.count()} programmes, "
            f"{Franchise.objects.count()} franchises, "
            f"{SubsidyScheme.objects.count()} subsidy schemes"
        )
