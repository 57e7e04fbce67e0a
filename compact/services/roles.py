"""Who does what in a compact: granting and revoking roles, with the admin access an
editing role brings."""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.permissions import COMPACT_SECRETARIAT
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import Compact, CompactRole


def editors_group() -> AuthGroup:
    """The "Compact secretariat" admin group. It carries the compact app's model
    permissions; what its members see is scoped to the compacts they edit by
    ``compact.admin.CompactScopedAdmin``. A group nobody has given any permission (e.g.
    one created bare by another app's demo) gets them here, once."""
    group, _created = AuthGroup.objects.get_or_create(name=COMPACT_SECRETARIAT)
    if not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label="compact"))
    return group


def _is_editor_anywhere(user) -> bool:
    return CompactRole.objects.filter(user=user, role__in=CompactRole.EDITING_ROLES).exists()


@transaction.atomic
def role_grant(*, compact: Compact, user, role: str, actor=None) -> CompactRole:
    """Give ``user`` ``role`` in ``compact`` (idempotent). An editing role (secretariat,
    steering group member) also gives what editing in the admin needs: staff status and
    the "Compact secretariat" group (its pages scoped to the compacts they edit)."""
    if role not in CompactRole.Role.values:
        raise CompactError(_("There is no such role."), code="role_unknown")
    obj, created = CompactRole.objects.get_or_create(compact=compact, user=user, role=role)
    if created:
        audit_record(actor=actor, action="compact.role_granted", obj=obj)
    if role in CompactRole.EDITING_ROLES:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(editors_group())
    return obj


@transaction.atomic
def role_revoke(*, compact: Compact, user, role: str, actor=None) -> bool:
    """Take ``role`` in ``compact`` away from ``user`` (idempotent; True if they had it).
    When they edit no compact any more they leave the "Compact secretariat" group, and
    lose staff status unless something else needs it: a superuser, or a member of
    another admin group (e.g. a programme manager), or someone given permissions one by
    one, stays staff."""
    role_obj = CompactRole.objects.filter(compact=compact, user=user, role=role).first()
    if role_obj is None:
        return False
    audit_record(actor=actor, action="compact.role_revoked", obj=role_obj)
    role_obj.delete()
    if role in CompactRole.EDITING_ROLES and not _is_editor_anywhere(user):
        user.groups.remove(*AuthGroup.objects.filter(name=COMPACT_SECRETARIAT))
        keeps_staff = user.is_superuser or user.groups.exists() or user.user_permissions.exists()
        if user.is_staff and not keeps_staff:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    return True
