"""Every write in the career resource hub. Each function is one transaction and validates
before it writes (``clean_or_raise`` around ``full_clean()``), so a broken rule is a
``ResourcesError`` with a stable ``code`` and a message a member can act on, never a
``ValidationError`` or a 500."""

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import email_queue

from .exceptions import ResourcesError
from .models import (
    CareerConversation,
    Competency,
    CompetencyRating,
    ConversationShare,
    Framework,
    Rating,
    SelfAssessment,
    WheelItem,
    WheelItemRating,
    WheelRating,
)


def _check_ratings(
    *, asked: list, given: Mapping[int, int], scale, what: str, label
) -> dict[int, int]:
    """Every asked item rated once, on the scale; nothing else rated. Returns
    ``{item_id: rating}`` or raises ResourcesError naming what is missing or wrong."""
    asked_ids = {item.pk for item in asked}
    unknown = set(given) - asked_ids
    if unknown:
        raise ResourcesError(
            _("Some ratings are for %(what)s not in this assessment.") % {"what": what},
            code="unknown_items",
        )
    missing = [label(item) for item in asked if given.get(item.pk) in (None, "")]
    if missing:
        raise ResourcesError(
            _("Rate every %(what)s. Missing: %(names)s.")
            % {"what": what, "names": get_text_list(missing, _("and"))},
            code="ratings_missing",
        )
    cleaned = {}
    for item in asked:
        # Whole numbers only: int("2.5") fails, but int(2.5) would quietly round down.
        text = str(given[item.pk]).strip()
        value = int(text) if text.isdigit() else None
        if value not in scale.values:
            raise ResourcesError(
                _("The rating for %(name)s must be a whole number from %(low)s to %(high)s.")
                % {"name": label(item), "low": min(scale.values), "high": max(scale.values)},
                code="rating_out_of_range",
            )
        cleaned[item.pk] = value
    return cleaned


@transaction.atomic
def self_assessment_complete(
    *,
    member,
    framework: Framework,
    competency_ratings: Mapping[int, int],
    wheel_ratings: Mapping[int, int],
    reflection: str = "",
) -> SelfAssessment:
    """Record one completed self-assessment for ``member``.

    Guarantees: the framework is published; every competency of the framework and every
    active development-wheel item is rated exactly once on the 1–4 scale (otherwise
    ResourcesError names what is missing or out of range); earlier assessments are never
    changed, so the member's history is kept."""
    if not framework.is_published:
        raise ResourcesError(
            _("This framework is not open for self-assessment."), code="framework_not_open"
        )
    competencies = list(Competency.objects.filter(framework=framework).order_by("order", "name"))
    if not competencies:
        raise ResourcesError(
            _("This framework has no competencies to rate yet."), code="framework_empty"
        )
    wheel_items = list(WheelItem.objects.filter(is_active=True).order_by("order", "name"))
    comp = _check_ratings(
        asked=competencies,
        given=competency_ratings,
        scale=Rating,
        what=_("competency"),
        label=lambda c: c.name,
    )
    wheel = _check_ratings(
        asked=wheel_items,
        given=wheel_ratings,
        scale=WheelRating,
        what=_("part of the development wheel"),
        label=lambda w: w.name,
    )
    assessment = SelfAssessment(member=member, framework=framework, reflection=reflection.strip())
    clean_or_raise(assessment, ResourcesError)
    assessment.save()
    CompetencyRating.objects.bulk_create(
        CompetencyRating(assessment=assessment, competency_id=pk, rating=value)
        for pk, value in comp.items()
    )
    WheelItemRating.objects.bulk_create(
        WheelItemRating(assessment=assessment, wheel_item_id=pk, rating=value)
        for pk, value in wheel.items()
    )
    return assessment


CONVERSATION_FIELDS = (
    "title",
    "planned_for",
    "ambition",
    "aspirations",
    "target_level",
    "strengths",
    "development_needs",
    "support_wanted",
    "barriers",
    "questions",
)


@transaction.atomic
def career_conversation_save(
    *, member, conversation: CareerConversation | None = None, wheel_items=(), **fields
) -> CareerConversation:
    """Create the member's career conversation preparation, or update ``conversation``.

    Guarantees: only the owner can change a conversation (anyone else gets
    ResourcesError); every field is validated before anything is written."""
    unknown = set(fields) - set(CONVERSATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if conversation is None:
        conversation = CareerConversation(member=member)
    elif conversation.member_id != member.pk:
        raise ResourcesError(
            _("You can only change your own career conversation."), code="not_yours"
        )
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(conversation, name, value)
    clean_or_raise(conversation, ResourcesError)
    conversation.save()
    conversation.wheel_items.set(wheel_items)
    return conversation


@transaction.atomic
def career_conversation_share(
    *,
    member,
    conversation: CareerConversation,
    manager_email: str,
    manager_name: str = "",
    message: str = "",
) -> ConversationShare:
    """Email the member's preparation to their line manager and record the share.

    Guarantees: only the owner can share; the email carries the conversation as it is now
    and goes out once per share (the outbox key is the share's id); sharing the same
    version with the same address again (a double-clicked button) returns the existing
    share without a second email."""
    conversation = CareerConversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.member_id != member.pk:
        raise ResourcesError(
            _("You can only share your own career conversation."), code="not_yours"
        )
    manager_email = manager_email.strip().lower()
    if manager_email == member.email.lower():
        message = _("Enter your line manager's email address, not your own.")
        raise ResourcesError(
            message,
            code="own_email",
            field_errors={"manager_email": [message]},
            non_field_errors=[],
        )
    existing = ConversationShare.objects.filter(
        conversation=conversation,
        manager_email=manager_email,
        conversation_updated_at=conversation.updated_at,
    ).first()
    if existing:
        return existing
    share = ConversationShare(
        conversation=conversation,
        manager_email=manager_email,
        manager_name=manager_name.strip(),
        message=message.strip(),
        conversation_updated_at=conversation.updated_at,
    )
    clean_or_raise(share, ResourcesError)
    share.save()
    rendered = render_to_string(
        "emails/resources_conversation_shared.txt",
        {
            "share": share,
            "conversation": conversation,
            "wheel_items": list(conversation.wheel_items.all()),
            "member": member,
            "site_url": settings.SITE_URL,
        },
    ).lstrip()
    subject, _sep, body = rendered.partition("\n")
    email_queue(
        key=share.email_key,
        to=manager_email,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
        body_text=body.strip() + "\n",
    )
    return share
