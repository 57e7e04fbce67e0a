"""Groups and their members on a day."""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from ..models import Compact, Group, GroupMembership


def group_list(*, compact: Compact, on: datetime.date | None = None):
    on = on or timezone.localdate()
    members = (
        GroupMembership.objects.current(on)
        .select_related("person", "organisation")
        .order_by("role", "person__full_name")
    )
    return (
        Group.objects.filter(compact=compact)
        .select_related("priority", "reports_to")
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="current_members"))
        .order_by("kind", "name")
    )


def group_get(*, compact: Compact, pk: int) -> Group:
    group = Group.objects.filter(compact=compact, pk=pk).first()
    if group is None:
        raise Http404("No such group.")
    return group


def group_members_on(*, group: Group, on: datetime.date):
    """The group's members on ``on`` (whose attendance a meeting that day records)."""
    return (
        GroupMembership.objects.current(on)
        .filter(group=group)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__full_name")
    )
