"""The resources section of a member's personal data (see
``talenthub.core.personal_data``). Registered by ``ResourcesConfig.ready()``.

Self-assessments and career conversation preparations are private to the member and
nothing aggregate is computed from them, so erasure deletes them (ratings and shares go
with them by cascade). The line managers' names and addresses are third parties' data:
exported to the member (they typed them) and erased with the shares. The outbox copies of
the share emails carry the member's preparation, so they are emptied too, and any not yet
sent is stopped.
"""

from talenthub.core import personal_data


def export_resources(user) -> dict:
    from .models import CareerConversation, SelfAssessment

    assessments = (
        SelfAssessment.objects.filter(member=user)
        .select_related("framework")
        .prefetch_related("competency_ratings__competency", "wheel_ratings__wheel_item")
        .order_by("created_at", "pk")
    )
    conversations = (
        CareerConversation.objects.filter(member=user)
        .prefetch_related("wheel_items", "shares")
        .order_by("created_at", "pk")
    )
    return {
        "self_assessments": [
            {
                "framework": a.framework.name,
                "taken_at": a.created_at,
                "reflection": a.reflection,
                "competency_ratings": [
                    {"competency": r.competency.name, "rating": r.rating}
                    for r in a.competency_ratings.all()
                ],
                "development_wheel_ratings": [
                    {"item": r.wheel_item.name, "rating": r.rating} for r in a.wheel_ratings.all()
                ],
            }
            for a in assessments
        ],
        "career_conversations": [
            {
                "title": c.title,
                "planned_for": c.planned_for,
                "ambition": c.ambition,
                "aspirations": c.aspirations,
                "target_level": c.target_level,
                "strengths": c.strengths,
                "development_needs": c.development_needs,
                "development_opportunities": [w.name for w in c.wheel_items.all()],
                "support_wanted": c.support_wanted,
                "barriers": c.barriers,
                "questions": c.questions,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
                "shared_with": [
                    {
                        "manager_name": s.manager_name,
                        "manager_email": s.manager_email,
                        "message": s.message,
                        "shared_at": s.created_at,
                    }
                    for s in c.shares.all()
                ],
            }
            for c in conversations
        ],
    }


def erase_resources(user) -> None:
    from talenthub.core.models import OutboundEmail

    from .models import CareerConversation, ConversationShare, SelfAssessment

    shares = ConversationShare.objects.filter(conversation__member=user)
    keys = [share.email_key for share in shares]
    emails = OutboundEmail.objects.filter(key__in=keys)
    emails.filter(status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.FAILED, last_error="Not sent: the account was deleted."
    )
    emails.update(to="erased@invalid.invalid", subject="(erased)", body_text="", body_html="")
    # Every foreign key into these rows cascades (ratings, shares, wheel choices); none
    # uses PROTECT, so plain deletes cannot be refused.
    shares.delete()
    CareerConversation.objects.filter(member=user).delete()
    SelfAssessment.objects.filter(member=user).delete()


def register() -> None:
    personal_data.register("resources", exporter=export_resources, eraser=erase_resources)
