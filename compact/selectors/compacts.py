"""Compacts, and what one user may do in one: the access every page starts from."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from ..models import CharterSignatory, Compact, CompactRole, Document


@dataclass(frozen=True)
class Access:
    """What one user may do in one compact."""

    is_member: bool = False
    is_editor: bool = False
    roles: frozenset = field(default_factory=frozenset)

    @property
    def document_levels(self) -> list[str]:
        levels = [Document.Visibility.PUBLIC]
        if self.is_member:
            levels.append(Document.Visibility.MEMBERS)
        if self.is_editor:
            levels.append(Document.Visibility.STEERING)
        return levels


def compact_access(*, user, compact: Compact, on: datetime.date | None = None) -> Access:
    """The user's access to ``compact`` (two queries at most)."""
    if not getattr(user, "is_authenticated", False):
        return Access()
    if user.is_superuser:
        return Access(is_member=True, is_editor=True, roles=frozenset(CompactRole.Role.values))
    roles = frozenset(
        CompactRole.objects.filter(compact=compact, user=user).values_list("role", flat=True)
    )
    is_editor = bool(roles & set(CompactRole.EDITING_ROLES))
    is_member = bool(roles)
    if not is_member:
        on = on or timezone.localdate()
        is_member = (
            CharterSignatory.objects.current(on)
            .filter(charter__compact=compact, organisation__profiles__user=user)
            .exists()
        )
    return Access(is_member=is_member, is_editor=is_editor, roles=roles)


def compacts_edited_by(user):
    """Compacts the user may edit (used to scope the admin)."""
    if user.is_superuser:
        return Compact.objects.all()
    return Compact.objects.filter(
        roles__user=user, roles__role__in=CompactRole.EDITING_ROLES
    ).distinct()


def compact_get(*, slug: str) -> Compact:
    compact = Compact.objects.select_related("facilitating_agency").filter(slug=slug).first()
    if compact is None:
        raise Http404("No such compact.")
    return compact


def compact_list():
    return Compact.objects.select_related("facilitating_agency").order_by("name")
