"""What members contribute to the hub and the network (career stories and pledges), and
its moderation: who the moderators are, telling them something is waiting, the queue they
work through, and the pledge's own submit and moderate services (the story's are in
``services``, which tells the moderators through ``moderators_notify``).

A moderator is a superuser or anyone given the permission
``alumni.moderate_contributions`` (directly or through a group, such as the demo's
"Content moderators"): moderation is not programme management, so it is a permission of
its own rather than the programme managers' group.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from .exceptions import AlumniError
from .models import CareerStory, Pledge

MODERATE_PERMISSION = "alumni.moderate_contributions"

# Email templates (templates/emails/<name>.txt; grep the name to find the sender).
MODERATION_WAITING = "alumni_moderation_waiting"
PLEDGE_MODERATED = "alumni_pledge_moderated"
STORY_MODERATED = "alumni_story_moderated"


def is_moderator(user) -> bool:
    """``user.has_perm(MODERATE_PERMISSION)`` in one query (has_perm reads all the user's
    and groups' permissions, two), remembered on the user object: the navigation asks on
    every alumni page (where ``models.viewer_is_alumnus`` has usually answered it already,
    in the same query as whether they are an alumnus)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_superuser:
        return True
    try:
        return user._talenthub_is_moderator
    except AttributeError:
        user._talenthub_is_moderator = moderation_permissions_of(user).exists()
        return user._talenthub_is_moderator


def moderation_permissions_of(user):
    """The moderation permission, if ``user`` (a user or their id) holds it directly or
    through a group."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)
    )


def moderators():
    """Active accounts that may moderate: superusers, and holders of the permission
    directly or through a group."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("pk")
    )


def moderators_notify(item: CareerStory | Pledge) -> int:
    """Email every moderator, once each (key ``alumni.moderation.<kind>:<id>:<user>``),
    that ``item`` was submitted and is waiting. Called inside the submitting service's
    transaction: the emails leave only if the submission commits."""
    kind = "story" if isinstance(item, CareerStory) else "pledge"
    sent = 0
    for moderator in moderators():
        sent += bool(
            notify(
                key=f"alumni.moderation.{kind}:{item.pk}:{moderator.pk}",
                user=moderator,
                template=MODERATION_WAITING,
                context={"item": item, "kind": kind},
            )
        )
    return sent


def moderation_queue():
    """What is waiting, oldest first: (stories, pledges)."""
    stories = (
        CareerStory.objects.filter(status=CareerStory.Status.SUBMITTED)
        .select_related("author", "functional_area")
        .order_by("created_at", "pk")
    )
    pledges = (
        Pledge.objects.filter(status=Pledge.Status.SUBMITTED)
        .select_related("organisation", "submitted_by")
        .order_by("created_at", "pk")
    )
    return stories, pledges


def stories_of(author):
    """Everything ``author`` submitted, whatever its state, newest first."""
    return (
        CareerStory.objects.filter(author=author)
        .select_related("functional_area")
        .order_by("-created_at", "-pk")
    )


def pledges_of(member):
    return (
        Pledge.objects.filter(submitted_by=member)
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def pledge_submit(*, member, leader_name, leader_role, organisation, statement) -> Pledge:
    """A member submits a pledge to drive equality. It is published only when a moderator
    approves it; the moderators are emailed that it is waiting (once each)."""
    if not getattr(member, "is_authenticated", False):
        raise AlumniError(_("Sign in to make a pledge."), code="sign_in_required")
    pledge = Pledge(
        leader_name=leader_name.strip(),
        leader_role=leader_role.strip(),
        organisation=organisation,
        statement=statement.strip(),
        made_on=timezone.localdate(),
        status=Pledge.Status.SUBMITTED,
        submitted_by=member,
    )
    clean_or_raise(pledge, AlumniError)
    pledge.save()
    moderators_notify(pledge)
    return pledge


@transaction.atomic
def pledge_moderate(*, pledge: Pledge, moderator, publish: bool, reason: str = "") -> Pledge:
    """Publish or reject a submitted pledge (moderators only), once: a second decision is
    refused. Audited; the member who submitted it is emailed the decision once."""
    if not is_moderator(moderator):
        raise AlumniError(_("Only moderators can publish pledges."), code="not_moderator")
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.SUBMITTED:
        raise AlumniError(_("This pledge has already been moderated."), code="already_moderated")
    pledge.status = Pledge.Status.PUBLISHED if publish else Pledge.Status.REJECTED
    pledge.moderated_by = moderator
    pledge.moderated_at = timezone.now()
    pledge.save(update_fields=["status", "moderated_by", "moderated_at", "updated_at"])
    audit_record(actor=moderator, action=f"pledge.{pledge.status}", obj=pledge, reason=reason)
    if pledge.submitted_by_id:
        notify(
            key=f"alumni.pledge.{pledge.status}:{pledge.pk}",
            user=pledge.submitted_by,
            template=PLEDGE_MODERATED,
            context={"pledge": pledge, "reason": reason},
        )
    return pledge
