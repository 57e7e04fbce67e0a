"""Writes of talent pool management by the pool's managers (issue 19, item 1): membership,
readiness, mobility, succession plans. Each function is one transaction, validates with
``clean_or_raise`` and leaves an audit entry. The caller has checked that ``by``
manages the pool (``selectors.pools_managed_by``); each function checks it again, so a
page that forgot cannot write to another provider's pool."""

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from . import selectors
from .exceptions import AlumniError
from .models import KeyRole, Successor, TalentPoolMember

MEMBER_FIELDS = (
    "target_level",
    "readiness",
    "home_region",
    "skills",
    "experience",
    "mobility_regions",
    "open_to_secondment",
    "open_to_relocation",
)


def _check_manages(by, pool) -> None:
    if not selectors.pools_managed_by(by).filter(pk=pool.pk).exists():
        raise AlumniError(_("Only the pool's managers can do this."), code="not_pool_manager")


@transaction.atomic
def pool_member_update(*, member: TalentPoolMember, by, functional_areas=None, **fields):
    """A pool manager changes a member's target level, readiness, home region, skills,
    experience, functional areas and mobility (recorded for the member, who can change
    their mobility themselves too). Whether the member is shown to employers stays the
    member's own choice: it is not one of ``fields``. Audited with the changed names."""
    member = TalentPoolMember.objects.select_for_update().select_related("pool").get(pk=member.pk)
    _check_manages(by, member.pool)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise AlumniError(_("These details cannot be changed here."), code="not_allowed")
    changed = sorted(name for name, value in fields.items() if getattr(member, name) != value)
    if "mobility_regions" in fields:
        fields["mobility_regions"] = sorted(set(fields["mobility_regions"]))
    for name, value in fields.items():
        setattr(member, name, value)
    clean_or_raise(member, AlumniError)
    member.save()
    if functional_areas is not None:
        before = set(member.functional_areas.values_list("pk", flat=True))
        member.functional_areas.set(functional_areas)
        if before != {a.pk for a in functional_areas}:
            changed.append("functional_areas")
    if changed:
        audit_record(
            actor=by, action="talent.pool_member_changed", obj=member, reason=", ".join(changed)
        )
    return member


@transaction.atomic
def pool_member_remove(*, member: TalentPoolMember, by) -> None:
    """A pool manager takes a person out of the pool: their assessment and succession
    nominations in it go with the membership. Audited."""
    member = TalentPoolMember.objects.select_for_update().select_related("pool").get(pk=member.pk)
    _check_manages(by, member.pool)
    audit_record(actor=by, action="talent.pool_member_removed", obj=member)
    member.delete()


@transaction.atomic
def key_role_save(*, pool, by, key_role: KeyRole | None = None, **fields) -> KeyRole:
    """Create or change a key role whose succession ``pool`` plans. Guarantees: only the
    pool's managers; one plan per role title and organisation in a pool. Audited."""
    _check_manages(by, pool)
    if key_role is not None and key_role.pool_id != pool.pk:
        raise AlumniError(_("This role is planned by another pool."), code="not_allowed")
    key_role = key_role or KeyRole(pool=pool)
    for name, value in fields.items():
        setattr(key_role, name, value)
    clean_or_raise(key_role, AlumniError)
    created = key_role.pk is None
    key_role.save()
    audit_record(
        actor=by, action="talent.key_role_added" if created else "talent.key_role_changed",
        obj=key_role,
    )  # fmt: skip
    return key_role


@transaction.atomic
def successor_add(
    *, key_role: KeyRole, pool_member: TalentPoolMember, readiness: str, development: str = "", by
) -> Successor:
    """Name a member of the role's pool as a possible successor. Guarantees: the member is
    in the same pool; once per role; audited."""
    _check_manages(by, key_role.pool)
    if pool_member.pool_id != key_role.pool_id:
        raise AlumniError(_("Choose a member of this pool."), code="successor_not_in_pool")
    successor = Successor(
        key_role=key_role, pool_member=pool_member, readiness=readiness, development=development
    )
    clean_or_raise(successor, AlumniError)
    successor.save()
    audit_record(actor=by, action="talent.successor_added", obj=key_role, reason=str(pool_member))
    return successor


@transaction.atomic
def successor_remove(*, successor: Successor, by) -> None:
    key_role = successor.key_role
    _check_manages(by, key_role.pool)
    audit_record(
        actor=by, action="talent.successor_removed", obj=key_role, reason=str(successor.pool_member)
    )
    successor.delete()
