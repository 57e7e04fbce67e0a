"""The steering group and task-and-finish groups, and who sits on them."""

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core.choices import Sector
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import CharterSignatory, CharterVersion, Compact, Group, GroupMembership
from .feeds import member_feed_revoke_if_seatless


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


def check_charter_signed(*, compact: Compact, organisation, on) -> None:
    """A steering-group seat is for a member organisation (seed 004: signing the members'
    charter is the prerequisite): once the compact has a charter in force on ``on``, the
    organisation must have signed it and be a member that day. Before the first charter
    (Derbyshire's first year) there was nothing to sign."""
    if not CharterVersion.objects.filter(compact=compact, starts_on__lte=on).exists():
        return
    # The organisation's signatures are locked (the caller's transaction) before they are
    # read, as ``charter_signatory_withdraw`` locks the one it ends: a seat given while
    # the organisation withdraws waits for the withdrawal and sees it, or the withdrawal
    # waits for the seat and ends it; never a seat for a non-member (test_concurrency).
    list(
        CharterSignatory.objects.select_for_update()
        .filter(charter__compact=compact, organisation=organisation)
        .values_list("pk", flat=True)
    )
    if (
        CharterSignatory.objects.current(on)
        .filter(charter__compact=compact, organisation=organisation)
        .exists()
    ):
        return
    message = _(
        "%(org)s is not a member of %(compact)s on %(d)s: an organisation signs the members' "
        "charter before it takes a steering group seat."
    ) % {"org": organisation, "compact": compact, "d": f"{on:%d %B %Y}"}
    raise CompactError(
        message,
        code="organisation_not_signatory",
        field_errors={"organisation": [message]},
        non_field_errors=[],
    )


def check_steering_seat(*, group: Group, organisation, starts_on) -> None:
    """The rules for a seat on the steering group (none for a task-and-finish group)."""
    if not group.is_steering:
        return
    check_vcs_allowed(compact=group.compact, organisation=organisation)
    check_charter_signed(compact=group.compact, organisation=organisation, on=starts_on)


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
    *,
    group: Group,
    person,
    organisation,
    role=GroupMembership.Role.MEMBER,
    starts_on,
    ends_on=None,
    actor=None,
) -> GroupMembership:
    """Add a person to a group for an organisation. A steering-group seat is for an
    organisation that has signed the charter (``check_charter_signed``); seats for
    voluntary and community sector bodies are limited to those the terms name."""
    check_steering_seat(group=group, organisation=organisation, starts_on=starts_on)
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
    audit_record(actor=actor, action="compact.membership_added", obj=membership)
    return membership


@transaction.atomic
def group_update(*, group: Group, actor, changed=()) -> Group:
    """Save an edited group (the admin's change form): the model's rules (its priority
    and the group it reports to are its compact's) and an audit entry naming the
    changed fields."""
    clean_or_raise(group, CompactError)
    group.save()
    audit_record(
        actor=actor, action="compact.group_updated", obj=group, data={"changed": list(changed)}
    )
    return group


@transaction.atomic
def group_membership_update(*, membership: GroupMembership, actor, changed=()) -> GroupMembership:
    """Save an edited (or new) membership with the seat rules of ``group_membership_add``
    when the group, organisation or start changed, and an audit entry."""
    adding = membership.pk is None
    if adding or {"group", "organisation", "starts_on"} & set(changed):
        check_steering_seat(
            group=membership.group,
            organisation=membership.organisation,
            starts_on=membership.starts_on,
        )
    clean_or_raise(membership, CompactError)
    membership.save()
    audit_record(
        actor=actor,
        action="compact.membership_added" if adding else "compact.membership_updated",
        obj=membership,
        data={"changed": list(changed)},
    )
    return membership


@transaction.atomic
def group_membership_end(*, membership: GroupMembership, ends_on, actor) -> GroupMembership:
    """End a person's seat on ``ends_on`` (not before it began)."""
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    membership.ends_on = ends_on
    clean_or_raise(membership, CompactError)
    membership.save(update_fields=["ends_on", "updated_at"])
    audit_record(actor=actor, action="compact.membership_ended", obj=membership)
    # Leaving their last group of the compact revokes their meeting feed.
    member_feed_revoke_if_seatless(
        person=membership.person, compact=membership.group.compact, after=ends_on, actor=actor
    )
    return membership
