"""Questions an organiser asks: the booking questions of an event and the application
questions of a programme (version). One shape for both apps: the kinds (free text, one
choice from a list, yes/no), required or optional, and who may read the answers
(``Visibility``: organisers only, for access and dietary needs, or the programme team
too). Each app keeps its own question and answer tables; this module holds the abstract
fields, how a question becomes a GOV.UK form field, and how an answer is checked and
shown, so the booking form and the application form ask and validate in the same way.

Answers are stored as text: the typed text, the chosen option's text, or ``yes``/``no``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ANSWER_MAX_LENGTH = 5000
YES, NO = "yes", "no"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    CHOICE = "choice", _("One choice from a list")
    YES_NO = "yes_no", _("Yes or no")


class Question(models.Model):
    """The fields every question has (abstract). Subclasses add what the question
    belongs to, ``order`` and the constraint ``choice_question_has_options``
    (``choice_constraint``)."""

    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    options = models.TextField(
        blank=True, help_text=_("For a choice question: the options, one a line.")
    )
    required = models.BooleanField(default=False)
    # Answers are read by the managers of the provider running the event or cohort, and
    # by nobody else (no "programme team too": a franchise owner does not see another
    # provider's applicants; docs/cohorts.md, "Application questions").

    class Meta:
        abstract = True

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == QuestionKind.CHOICE and len(self.option_list) < 2:
            raise ValidationError(
                {"options": _("Give at least two options, one a line, for a choice question.")}
            )

    def answer_display(self, value: str) -> str:
        """How an answer reads in a list, an export or the organiser's page."""
        if self.kind == QuestionKind.YES_NO:
            return {YES: str(_("Yes")), NO: str(_("No"))}.get(value, "")
        return value

    def clean_answer(self, value) -> str:
        """The answer as stored, or ``ValidationError`` with a GOV.UK message naming the
        question. An empty answer to an optional question is ``""``."""
        value = (value or "").strip()
        name = self.text.rstrip("?. ")
        if not value:
            if self.required:
                if self.kind == QuestionKind.TEXT:
                    message = _("Enter your answer to “%(question)s”")
                else:
                    message = _("Select your answer to “%(question)s”")
                raise ValidationError(message % {"question": name}, code="answer_required")
            return ""
        if self.kind == QuestionKind.YES_NO and value not in (YES, NO):
            raise ValidationError(
                _("Select yes or no for “%(question)s”") % {"question": name},
                code="answer_not_an_option",
            )
        if self.kind == QuestionKind.CHOICE and value not in self.option_list:
            raise ValidationError(
                _("Select one of the options for “%(question)s”") % {"question": name},
                code="answer_not_an_option",
            )
        if len(value) > ANSWER_MAX_LENGTH:
            raise ValidationError(
                _("Your answer to “%(question)s” must be %(max)s characters or fewer")
                % {"question": name, "max": ANSWER_MAX_LENGTH},
                code="answer_too_long",
            )
        return value


def choice_constraint(name: str) -> models.CheckConstraint:
    """A choice question has options (the database's half of ``Question.clean``)."""
    return models.CheckConstraint(
        condition=~Q(kind=QuestionKind.CHOICE) | ~Q(options=""),
        name=name,
        violation_error_code=name,
        violation_error_message=_("A choice question needs its options, one a line."),
    )


def question_field_name(question) -> str:
    return f"question_{question.pk}"


def question_form_field(question, *, required: bool | None = None) -> forms.Field:
    """The GOV.UK form field that asks ``question``: a textarea, radios of its options,
    or yes/no radios. ``required`` overrides the question's own (a draft may be partial;
    the service checks again either way)."""
    required = question.required if required is None else required
    label = question.text if question.required else f"{question.text} (optional)"
    common = {"label": label, "help_text": question.help_text, "required": required}
    name = question.text.rstrip("?. ")
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            max_length=ANSWER_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "required": _("Enter your answer to “%(question)s”") % {"question": name},
                "max_length": _("Your answer to “%(question)s” must be %(max)s characters or fewer")
                % {"question": name, "max": ANSWER_MAX_LENGTH},
            },
            **common,
        )
    if question.kind == QuestionKind.YES_NO:
        choices = [(YES, _("Yes")), (NO, _("No"))]
    else:
        choices = [(option, option) for option in question.option_list]
    return forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your answer to “%(question)s”") % {"question": name},
            "invalid_choice": _("Select one of the options for “%(question)s”")
            % {"question": name},
        },
        **common,
    )


def clean_answers(questions, answers: dict[int, str]) -> tuple[dict[int, str], dict]:
    """Check ``answers`` (question id → raw value) against ``questions``: returns the
    answers to store (every question, ``""`` when left blank) and the field errors by
    form field name (``question_<id>``). Answers to other questions are ignored."""
    cleaned, errors = {}, {}
    for question in questions:
        try:
            cleaned[question.pk] = question.clean_answer(answers.get(question.pk, ""))
        except ValidationError as exc:
            errors[question_field_name(question)] = exc.messages
    return cleaned, errors


class QuestionsForm(forms.Form):
    """A form of ``questions`` only; ``answers()`` gives question id → value."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question_field_name(question)] = question_form_field(question)

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(question_field_name(q)) or "" for q in self.questions}
