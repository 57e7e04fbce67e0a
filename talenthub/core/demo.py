"""Demo data for the core records: organisations named in the seeds, the ten functional
areas, and the demo accounts listed in the README. Idempotent: rows are looked up by a
natural key and updated, never duplicated."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import models
from django.utils.text import slugify

from .choices import CareerLevel, CipdGrade, Region, Sector
from .models import FunctionalArea, Organisation, Profile, User
from .permissions import PROGRAMME_MANAGERS

DEMO_PASSWORD = "talenthub-demo"  # public (in the README): for local and review stacks only

# The password the demo accounts get; ``load_demo --allow-production`` replaces it with
# one the operator gives, so no account on a DEBUG=0 stack has the public password.
_password = DEMO_PASSWORD


def demo_password() -> str:
    return _password


def set_demo_password(password: str) -> None:
    global _password  # noqa: PLW0603 - one process-wide setting, used by one command run
    _password = password


def demo_account(
    email: str,
    *,
    full_name: str,
    is_staff: bool = False,
    is_superuser: bool = False,
    groups: tuple[str, ...] = (),
    profile: dict | None = None,
) -> tuple[User, bool]:
    """The demo account with ``email``, and whether this load created it: every app's demo
    people and staff are made here. Created once with the demo password (a reload never
    resets a password, nor the name and flags, someone changed on a review stack); its
    address verified, so it can sign in at once; added to the ``groups`` named; its
    profile brought up to date with ``profile`` (when given)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": is_superuser},
    )
    if created:
        user.set_password(demo_password())
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if groups:
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    if profile is not None:
        Profile.objects.update_or_create(user=user, defaults=profile)
    return user, created


def demo_programme_manager(
    email: str, *, full_name: str, organisation: Organisation, job_title: str
) -> User:
    """A demo programme manager (staff, in the "Programme managers" group, career level 4)
    of ``organisation``: an app's demo adds one to show what a manager sees."""
    user, _created = demo_account(
        email,
        full_name=full_name,
        is_staff=True,
        groups=(PROGRAMME_MANAGERS,),
        profile={
            "organisation": organisation,
            "job_title": job_title,
            "career_level": CareerLevel.LEVEL_4,
        },
    )
    return user


# The authenticator app of every demo staff account (README): published, so demo only.
DEMO_TOTP_SECRET = "TALENTHUBDEMOTOTPSECRETABCDEFGH2"

ORGANISATIONS = [
    # name, sector, region, is_provider
    ("West Midlands Employers", Sector.OTHER, Region.WEST_MIDLANDS, True),
    ("HPMA London Academy", Sector.HEALTH_AND_BLOOD, Region.LONDON, True),
    ("Midlands Regional Talent Board", Sector.HEALTH_AND_BLOOD, Region.WEST_MIDLANDS, True),
    ("East Midlands Councils", Sector.OTHER, Region.EAST_MIDLANDS, True),
    ("North West Employers", Sector.OTHER, Region.NORTH_WEST, True),
    ("South West Councils", Sector.OTHER, Region.SOUTH_WEST, True),
    ("CIPD", Sector.OTHER, Region.NATIONAL, False),
    ("Local Government Association", Sector.LOCAL_GOVERNMENT, Region.NATIONAL, False),
    ("Derby City Council", Sector.LOCAL_GOVERNMENT, Region.EAST_MIDLANDS, False),
    ("Derbyshire County Council", Sector.LOCAL_GOVERNMENT, Region.EAST_MIDLANDS, False),
    ("South Derbyshire District Council", Sector.LOCAL_GOVERNMENT, Region.EAST_MIDLANDS, False),
    ("East Midlands Ambulance Service", Sector.AMBULANCE_SERVICE, Region.EAST_MIDLANDS, False),
    (
        "Derbyshire Hospitals NHS Foundation Trust",
        Sector.HEALTH_AND_BLOOD,
        Region.EAST_MIDLANDS,
        False,
    ),
    ("University of Derby", Sector.UNIVERSITIES, Region.EAST_MIDLANDS, False),
    ("Derbyshire Constabulary", Sector.POLICE, Region.EAST_MIDLANDS, False),
    ("Derbyshire Fire and Rescue Service", Sector.FIRE_SERVICE, Region.EAST_MIDLANDS, False),
    ("Derby College", Sector.FURTHER_EDUCATION, Region.EAST_MIDLANDS, False),
    ("Connexions Derbyshire", Sector.CHILDRENS_SERVICES, Region.EAST_MIDLANDS, False),
    (
        "Derby and Derbyshire Economic Partnership (DDEP)",
        Sector.OTHER,
        Region.EAST_MIDLANDS,
        False,
    ),
    (
        "Learning and Skills Council (Derbyshire)",
        Sector.CENTRAL_GOVERNMENT,
        Region.EAST_MIDLANDS,
        False,
    ),
    (
        "Derbyshire Learning and Development Consortium (DLDC)",
        Sector.VOLUNTARY_AND_COMMUNITY,
        Region.EAST_MIDLANDS,
        False,
    ),
    ("Birmingham City Council", Sector.LOCAL_GOVERNMENT, Region.WEST_MIDLANDS, False),
    (
        "University Hospitals Birmingham NHS Foundation Trust",
        Sector.HEALTH_AND_BLOOD,
        Region.WEST_MIDLANDS,
        False,
    ),
    ("West Midlands Fire Service", Sector.FIRE_SERVICE, Region.WEST_MIDLANDS, False),
    ("Guy's and St Thomas' NHS Foundation Trust", Sector.HEALTH_AND_BLOOD, Region.LONDON, False),
    ("Barts Health NHS Trust", Sector.HEALTH_AND_BLOOD, Region.LONDON, False),
    ("NHS England London Region", Sector.HEALTH_AND_BLOOD, Region.LONDON, False),
]

FUNCTIONAL_AREAS = [
    (
        "HR Business Partnering",
        "Working with leaders to shape the people strategy of a service or directorate.",
    ),
    (
        "Employee Relations",
        "Casework, partnership working with trade unions and a fair, just culture.",
    ),
    ("HR Policy", "Writing and keeping up to date the policies that govern employment."),
    (
        "Learning & Development",
        "Designing and delivering learning, apprenticeships and leadership development.",
    ),
    (
        "Medical Staffing",
        "Recruiting, rostering and supporting doctors in training and senior medical staff.",
    ),
    (
        "Recruitment & Resourcing",
        "Attracting, selecting and onboarding the workforce, including temporary staffing.",
    ),
    (
        "Organisational Development",
        "Culture, change, teams and leadership: helping organisations work better.",
    ),
    (
        "Equality Diversity and Inclusion",
        "Making the organisation fair and inclusive for staff and the people it serves.",
    ),
    ("Workforce Intelligence", "Workforce data, planning and analysis that inform decisions."),
    ("Occupational Health", "Keeping staff healthy and well at work."),
]

GROUPS = ["Programme managers", "Compact secretariat", "Insights analysts"]

ACCOUNTS = [
    # email, full name, organisation, job title, level, staff, superuser, groups
    (
        "admin@talenthub.example",
        "Site Administrator",
        None,
        "Site administrator",
        None,
        True,
        True,
        [],
    ),
    (
        "rebecca.manager@wme.example",
        "Rebecca Hughes",
        "West Midlands Employers",
        "Programme manager, Aspire",
        CareerLevel.LEVEL_4,
        True,
        False,
        ["Programme managers"],
    ),
    (
        "rachael.manager@hpma.example",
        "Rachael Tyler",
        "HPMA London Academy",
        "Development Director",
        CareerLevel.LEVEL_4,
        True,
        False,
        ["Programme managers"],
    ),
    (
        "elisabeth.secretariat@ddep.example",
        "Elisabeth Chandler",
        "Derby and Derbyshire Economic Partnership (DDEP)",
        "Compact secretariat",
        CareerLevel.LEVEL_3,
        False,
        False,
        ["Compact secretariat"],
    ),
    (
        "priya.member@example.com",
        "Priya Shah",
        "Derby City Council",
        "HR Business Partner",
        CareerLevel.LEVEL_3,
        False,
        False,
        [],
    ),
    (
        "tom.member@example.com",
        "Tom Evans",
        "Guy's and St Thomas' NHS Foundation Trust",
        "Recruitment Adviser",
        CareerLevel.LEVEL_2,
        False,
        False,
        [],
    ),
]


def load(stdout=None):
    for name, sector, region, is_provider in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={"name": name, "sector": sector, "region": region, "is_provider": is_provider},
        )
    for order, (name, summary) in enumerate(FUNCTIONAL_AREAS, start=1):
        FunctionalArea.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "summary": summary, "order": order}
        )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for email, full_name, org_name, job_title, level, staff, superuser, group_names in ACCOUNTS:
        demo_account(
            email,
            full_name=full_name,
            is_staff=staff,
            is_superuser=superuser,
            groups=tuple(group_names),
            profile={
                "organisation": Organisation.objects.filter(name=org_name).first(),
                "job_title": job_title,
                "career_level": level,
                "cipd_grade": CipdGrade.CHARTERED_MEMBER
                if level and level >= 3
                else CipdGrade.ASSOCIATE,
                # Demo accounts have opted in, so the demo shows every kind of email.
                "email_event_announcements": True,
                "email_programme_announcements": True,
                "email_bulletins": True,
            },
        )
    if stdout:
        stdout.write(
            f"core: {Organisation.objects.count()} organisations, "
            f"{FunctionalArea.objects.count()} functional areas, {len(ACCOUNTS)} demo accounts"
        )


def is_demo_address(email: str) -> bool:
    """Demo people live at example.com or a .example domain (RFC 2606): no real person
    can have such an address, so the published demo secrets never reach a real account."""
    domain = email.rpartition("@")[2].lower()
    return domain == "example.com" or domain.endswith(".example")


def enrol_demo_staff(stdout=None):
    """Give every demo staff and superuser account (made by any app's demo) the demo
    authenticator app, so they can pass the second factor the admin requires. Runs after
    every app's demo, as some (the compact's steering group) make staff of their own."""
    from allauth.mfa.models import Authenticator  # noqa: PLC0415
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # noqa: PLC0415
    from allauth.mfa.totp.internal.auth import TOTP  # noqa: PLC0415

    enrolled = 0
    staff = User.objects.filter(is_active=True).filter(
        models.Q(is_staff=True) | models.Q(is_superuser=True)
    )
    totp_users = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    for user in staff.exclude(pk__in=totp_users):
        if not is_demo_address(user.email):
            continue
        TOTP.activate(user, DEMO_TOTP_SECRET)
        if not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.RECOVERY_CODES
        ).exists():
            RecoveryCodes.activate(user)
        enrolled += 1
    if stdout:
        stdout.write(
            f"core: {enrolled} demo staff accounts given the demo authenticator app "
            "(code: manage.py demo_totp_code)"
        )
