"""The steering group and task-and-finish groups, and who sits on them."""

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.choices import Sector
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import Compact, Group, GroupMembership


def check_vcs_allowed(*, compact: Compact, organisation) -> None:
    """The terms limit the voluntary and community sector at steering-group level (and in
    the charter) to the compact's named VCS bodies."""
    if organisation.sector == Sector.VOLUNTARY_AND_COMMUNITY and not (
        compact.vcs_bodies.filter(pk=organisation.pk).exists()
    ):
        raise CompactError(
            _(
                "%(org)s is a voluntary and community sector body not named in the terms of "
                "reference for %(compact)s."
            )
            % {"org": organisation, "compact": compact},
            code="vcs_body_not_named",
        )


@transaction.atomic
def group_create(*, compact: Compact, actor=None, **fields) -> Group:
    """A group; a task-and-finish group must name a priority of this compact and reports to
    the compact's steering group."""
    group = Group(compact=compact, **fields)
    if group.kind == Group.Kind.TASK_AND_FINISH and group.reports_to is None:
        group.reports_to = Group.objects.filter(compact=compact, kind=Group.Kind.STEERING).first()
    clean_or_raise(
        group, CompactError
    )  # Group.clean: the priority and the steering group are this compact's
    group.save()
    audit_record(actor=actor, action="compact.group_created", obj=group)
    return group


@transaction.atomic
def group_membership_add(
    *, group: Group, person, organisation, role=GroupMembership.Role.MEMBER, starts_on, ends_on=None
) -> GroupMembership:
    """Add a person to a group for an organisation. Steering-group seats for voluntary and
    community sector bodies are limited to those the terms name."""
    if group.is_steering:
        check_vcs_allowed(compact=group.compact, organisation=organisation)
    membership = GroupMembership(
        group=group,
        person=person,
        organisation=organisation,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    clean_or_raise(membership, CompactError)
    membership.save()
    return membership
