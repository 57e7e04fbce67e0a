"""Surveys of a group's members: questions, invitations and answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel

from .compacts import Compact
from .groups import Group


class Survey(TimeStampedModel):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="surveys")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["compact", "-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "title"], name="survey_title"),
        ]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        YES_NO = "yes_no", _("Yes or no")
        SCALE = "scale", _("Scale of 1 to 5")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="surveyquestion_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"


class SurveyInvitation(TimeStampedModel):
    """One person the survey was sent to. ``responded_on`` is set when they reply, even
    when the reply is not usable (the seed: 10 replies, 3 declined to complete it)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    responded_on = models.DateField(null=True, blank=True)
    usable = models.BooleanField(
        default=True, help_text=_("False for replies that declined to complete the survey.")
    )

    class Meta:
        ordering = ["survey", "person"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="surveyinvitation_once"),
        ]

    def __str__(self):
        return f"{self.survey} → {self.person}"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    yes = models.BooleanField(null=True, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="surveyanswer_once"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="surveyanswer_scale_range",
            ),
        ]

    def __str__(self):
        return f"{self.question} – {self.invitation.person}"
