import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.utils import timezone

from compact import services
from compact.models import CompactRole
from tests.compact.factories import (
    CharterFactory,
    CompactFactory,
    GroupFactory,
    MembershipFactory,
    PlanFactory,
    RoleFactory,
    SignatoryFactory,
)
from tests.factories import MemberFactory, OrganisationFactory

AIMS = [
    ("1", "bring together public service sector employers"),
    ("2", "strengthen the skills of the public sector workforce through:"),
    ("2.1", "the identification of current and emerging major training needs"),
    ("2.2", "the identification of common skills areas"),
    ("2.3", "responding to unsatisfied skills demands"),
    ("2.4", "promoting access to recognised and relevant courses"),
    ("3", "create opportunities for partnership working"),
    ("4", "raise the profile and perceived value of the Public Service Sector"),
    ("5", "develop, publicise, promote and celebrate the common aims"),
]


@pytest.fixture
def world(db):
    """A compact with its terms (two versions), priorities, steering group, charter, an
    action plan, and one person per role; plus another compact and its secretariat."""
    compact = CompactFactory(name="Derbyshire Public Sector Compact", slug="derbyshire")
    today = timezone.localdate()
    common = {
        "title": "Terms of reference",
        "mode_of_operation": "A representative steering group.",
        "steering_group_role": "Agree an action plan.",
    }
    services.terms_create(
        compact=compact,
        aims=AIMS,
        adopted_on=today - datetime.timedelta(days=700),
        review_due_on=today - datetime.timedelta(days=335),
        purpose="To improve public services.",
        **common,
    )
    terms = services.terms_create(
        compact=compact,
        aims=AIMS[:-1] + [("5", "develop, publicise, promote and celebrate the aims, priorities")],
        adopted_on=today - datetime.timedelta(days=100),
        review_due_on=today + datetime.timedelta(days=265),
        purpose="To improve the quality of public services in the county.",
        **common,
    )
    statement = services.statement_create(
        compact=compact,
        year="2026-27",
        starts_on=today - datetime.timedelta(days=50),
        ends_on=today + datetime.timedelta(days=300),
    )
    services.priority_create(
        statement=statement,
        title="To increase the number of apprentices employed within the public sector",
        aim_numbers=["2.1", "2.3", "2.4", "4"],
    )
    steering = GroupFactory(compact=compact)
    charter = CharterFactory(compact=compact)
    council = OrganisationFactory(name="Derby City Council")
    SignatoryFactory(charter=charter, organisation=council)
    secretariat = RoleFactory(compact=compact, role=CompactRole.Role.SECRETARIAT).user
    steering_member = RoleFactory(compact=compact, role=CompactRole.Role.STEERING).user
    representative = RoleFactory(compact=compact, role=CompactRole.Role.REPRESENTATIVE).user
    org_member = MemberFactory(profile__organisation=council)
    MembershipFactory(group=steering, person=steering_member, organisation=council)
    other = CompactFactory(name="Leicestershire Public Sector Compact", slug="leicestershire")
    other_secretariat = RoleFactory(compact=other, role=CompactRole.Role.SECRETARIAT).user
    outsider = MemberFactory()
    return SimpleNamespace(
        compact=compact,
        terms=terms,
        statement=statement,
        steering=steering,
        charter=charter,
        council=council,
        plan=PlanFactory(compact=compact, title="Derbyshire action plan"),
        secretariat=secretariat,
        steering_member=steering_member,
        representative=representative,
        org_member=org_member,
        other=other,
        other_secretariat=other_secretariat,
        outsider=outsider,
    )


@pytest.fixture
def secretariat_staff(world):
    """The secretariat user as admin staff in the Compact secretariat group."""
    user = world.secretariat
    user.is_staff = True
    user.save()
    group, _ = AuthGroup.objects.get_or_create(name="Compact secretariat")
    group.permissions.set(Permission.objects.filter(content_type__app_label="compact"))
    user.groups.add(group)
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests create many users; hashing each password with PBKDF2 dominates their
    run time and tests nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
