"""The compact section of a member's personal data (see
``talenthub.core.personal_data``). Registered by ``CompactConfig.ready()``.

Erasure keeps the rows that reports count: meeting attendance (the attendance report
counts organisations, and the person is anonymised by the core eraser), survey
invitations and their yes/no and scale answers (response rates and results), group
membership history and progress updates. It removes what identifies the person or is
their own words: free-text survey answers, their name or address where it was written
into a text field, roles, bulletin subscriptions and meeting feeds. Actions they led keep their lead
organisation and lose the lead person; charter deputy/champion links and document
uploader links are cleared; open group memberships end today.
"""

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from talenthub.core import personal_data


def export_compact(user) -> dict:
    from .models import (
        Action,
        Attendance,
        BulletinSubscription,
        CharterSignatory,
        CompactRole,
        GroupMembership,
        MeetingFeed,
        ProgressUpdate,
        SurveyInvitation,
    )

    invitations = (
        SurveyInvitation.objects.filter(person=user)
        .select_related("survey")
        .prefetch_related("answers__question")
        .order_by("survey__sent_on", "pk")
    )
    signatures = (
        CharterSignatory.objects.filter(
            Q(senior_representative=user) | Q(deputy=user) | Q(champion=user)
        )
        .select_related("charter", "organisation")
        .order_by("joined_on", "pk")
    )
    return {
        "roles": [
            {"compact": r.compact.name, "role": r.role, "since": r.created_at}
            for r in CompactRole.objects.filter(user=user).select_related("compact")
        ],
        "group_memberships": [
            {
                "compact": m.group.compact.name,
                "group": m.group.name,
                "organisation": m.organisation.name,
                "role": m.role,
                "from": m.starts_on,
                "to": m.ends_on,
            }
            for m in GroupMembership.objects.filter(person=user)
            .select_related("group__compact", "organisation")
            .order_by("starts_on", "pk")
        ],
        "meeting_attendance": [
            {
                "group": a.meeting.group.name,
                "meeting": a.meeting.starts_at,
                "place": a.meeting.place,
                "organisation": a.organisation.name,
                "status": a.status,
            }
            for a in Attendance.objects.filter(person=user)
            .select_related("meeting__group", "organisation")
            .order_by("meeting__starts_at", "pk")
        ],
        "survey_invitations": [
            {
                "survey": i.survey.title,
                "sent_on": i.survey.sent_on,
                "responded_on": i.responded_on,
                "usable": i.usable,
                "answers": [
                    {"question": a.question.text, "text": a.text, "yes": a.yes, "scale": a.scale}
                    for a in i.answers.all()
                ],
            }
            for i in invitations
        ],
        # The feed's token is not stored: its first characters and dates are all there is.
        "meeting_feeds": [
            {
                "compact": f.compact.name,
                "starts": f.hint,
                "made": f.created_at,
                "revoked": f.revoked_at,
            }
            for f in MeetingFeed.objects.filter(user=user).select_related("compact")
        ],
        "bulletin_subscriptions": [
            {"compact": s.compact.name, "since": s.created_at}
            for s in BulletinSubscription.objects.filter(user=user).select_related("compact")
        ],
        "progress_updates": [
            {
                "action": f"{u.action.code} {u.action.theme}",
                "on": u.on,
                "status": u.status,
                "percent_complete": u.percent_complete,
                "note": u.note,
            }
            for u in ProgressUpdate.objects.filter(author=user)
            .select_related("action")
            .order_by("on", "pk")
        ],
        "actions_led": [
            {
                "plan": a.plan.title,
                "action": f"{a.code} {a.theme}",
                "lead_organisation": a.lead_organisation.name if a.lead_organisation else None,
                "status": a.status,
                "target_date": a.target_date,
            }
            for a in Action.objects.filter(lead_person=user)
            .select_related("plan", "lead_organisation")
            .order_by("plan", "order", "code")
        ],
        "charter_signatures": [
            {
                "charter": s.charter.title,
                "organisation": s.organisation.name,
                "signatory": s.signatory_name,
                "as": [
                    label
                    for label, pk in (
                        ("senior representative", s.senior_representative_id),
                        ("deputy", s.deputy_id),
                        ("champion", s.champion_id),
                    )
                    if pk == user.pk
                ],
                "joined_on": s.joined_on,
            }
            for s in signatures
        ],
    }


def _strip_identity(queryset, column: str, user) -> None:
    """Replace the person's name and address in ``column`` of ``queryset``'s rows."""
    for identifier in {user.full_name.strip(), user.email} - {""}:
        queryset.filter(**{f"{column}__contains": identifier}).update(
            **{column: Replace(F(column), Value(identifier), Value("(erased)"))}
        )


def erase_compact(user) -> None:
    from .models import (
        Action,
        BulletinSubscription,
        CharterSignatory,
        CompactRole,
        Document,
        GroupMembership,
        MeetingFeed,
        ProgressUpdate,
        SurveyAnswer,
    )

    today = timezone.localdate()
    # Rows that reports count stay; the person's identity written into text goes.
    _strip_identity(ProgressUpdate.objects.filter(author=user), "note", user)
    _strip_identity(Action.objects.filter(lead_person=user), "lead_note", user)
    signatures = CharterSignatory.objects.filter(
        Q(senior_representative=user) | Q(deputy=user) | Q(champion=user)
    )
    _strip_identity(signatures, "signatory_name", user)
    # Their own words in survey replies go; yes/no and scale answers (results) stay, as
    # do the invitations (response rates).
    SurveyAnswer.objects.filter(invitation__person=user).exclude(text="").update(text="")
    # Nullable links are cleared; the lead organisation of an action remains.
    Action.objects.filter(lead_person=user).update(lead_person=None)
    CharterSignatory.objects.filter(deputy=user).update(deputy=None)
    CharterSignatory.objects.filter(champion=user).update(champion=None)
    Document.objects.filter(uploaded_by=user).update(uploaded_by=None)
    # The person is no longer a member of any group; past membership stays as history.
    for membership in GroupMembership.objects.filter(person=user, ends_on__isnull=True):
        membership.ends_on = max(today, membership.starts_on)
        membership.save(update_fields=["ends_on", "updated_at"])
    CompactRole.objects.filter(user=user).delete()
    BulletinSubscription.objects.filter(user=user).delete()
    # Their meeting feeds go: no address of theirs opens anything any more.
    MeetingFeed.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("compact", exporter=export_compact, eraser=erase_compact)
