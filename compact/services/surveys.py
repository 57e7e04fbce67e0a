"""Surveys of a group's members: sending them and recording the replies."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.exceptions import clean_or_raise
from talenthub.core.notifications import notify
from talenthub.core.services import audit_record

from ..exceptions import CompactError
from ..models import (
    Compact,
    Group,
    GroupMembership,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)


@transaction.atomic
def survey_create(
    *, compact: Compact, group: Group, title: str, introduction: str = "", closes_on=None, actor
) -> Survey:
    """A survey of one of the compact's groups, not yet sent. Audited."""
    if group.compact_id != compact.pk:
        raise CompactError(
            _("The group belongs to another compact."), code="group_of_other_compact"
        )
    survey = Survey(
        compact=compact,
        group=group,
        title=title.strip(),
        introduction=introduction.strip(),
        closes_on=closes_on,
    )
    clean_or_raise(survey, CompactError)
    survey.save()
    audit_record(actor=actor, action="compact.survey_created", obj=survey)
    return survey


@transaction.atomic
def survey_question_add(*, survey: Survey, text: str, kind: str, actor) -> SurveyQuestion:
    """Add a question at the end of a survey not yet sent (its invitees answer the
    questions they were sent)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.sent_on is not None:
        raise CompactError(
            _("This survey has been sent: its questions can no longer change."),
            code="survey_already_sent",
        )
    last = survey.questions.order_by("-order").first()
    question = SurveyQuestion(
        survey=survey, order=(last.order + 1) if last else 1, text=text.strip(), kind=kind
    )
    clean_or_raise(question, CompactError)
    question.save()
    audit_record(actor=actor, action="compact.survey_question_added", obj=survey)
    return question


@transaction.atomic
def survey_send(*, survey: Survey, on: datetime.date | None = None, actor=None) -> int:
    """Invite the group's current members (each once) and email them; returns the number
    of new invitations. Audited."""
    on = on or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise CompactError(
            _("Add questions before sending the survey."), code="survey_without_questions"
        )
    invited = set(survey.invitations.values_list("person_id", flat=True))
    created = 0
    for membership in GroupMembership.objects.current(on).filter(group=survey.group):
        if membership.person_id in invited:
            continue
        invited.add(membership.person_id)
        SurveyInvitation.objects.create(survey=survey, person=membership.person)
        notify(
            key=f"compact.survey:{survey.pk}:{membership.person_id}",
            user=membership.person,
            template="compact_survey",
            context={"survey": survey},
        )
        created += 1
    if survey.sent_on is None:
        survey.sent_on = on
        survey.save(update_fields=["sent_on", "updated_at"])
    audit_record(actor=actor, action="compact.survey_sent", obj=survey, data={"invited": created})
    return created


@transaction.atomic
def survey_respond(
    *, invitation: SurveyInvitation, answers: dict, usable: bool = True, on=None
) -> SurveyInvitation:
    """Record one reply: ``answers`` maps SurveyQuestion → value (text, bool or 1–5).
    A person replies once."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.responded_on is not None:
        raise CompactError(
            _("You have already replied to this survey."), code="survey_already_answered"
        )
    for question, value in answers.items():
        if question.survey_id != invitation.survey_id:
            raise CompactError(
                _("That question is not in this survey."), code="question_not_in_survey"
            )
        answer = SurveyAnswer(invitation=invitation, question=question)
        if question.kind == SurveyQuestion.Kind.YES_NO:
            answer.yes = bool(value)
        elif question.kind == SurveyQuestion.Kind.SCALE:
            answer.scale = int(value)
        else:
            answer.text = str(value)
        clean_or_raise(answer, CompactError)
        answer.save()
    invitation.responded_on = on or timezone.localdate()
    invitation.usable = usable
    invitation.save(update_fields=["responded_on", "usable", "updated_at"])
    return invitation
