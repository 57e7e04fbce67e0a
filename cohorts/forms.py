"""Forms validate and shape input only; views pass the cleaned data to one service."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from resources.models import Rating

from .models import RATING_CHOICES, REVIEW_SCORE_CHOICES, ProfessionMapArea, ProjectWork
from .uploads import detect_report_type, max_upload_bytes


def question_field_name(question) -> str:
    return f"question_{question.pk}"


class ApplicationForm(forms.Form):
    """The programme's questions, then the line manager's details. Drafts may be partial;
    submitting requires every required question."""

    line_manager_name = forms.CharField(
        label=_("Your line manager's name"), max_length=150, required=False
    )
    line_manager_email = forms.EmailField(
        label=_("Your line manager's email address"),
        required=False,
        help_text=_(
            "When you submit, we email your line manager a link to confirm they support "
            "your application. They do not need an account."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, questions, competencies=(), submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.competencies = list(competencies)
        self.submitting = submitting
        question_fields = {}
        for question in self.questions:
            label = question.text if question.required else f"{question.text} (optional)"
            question_fields[question_field_name(question)] = forms.CharField(
                label=label,
                help_text=question.help_text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        rating_fields = {}
        for competency in self.competencies:
            rating_fields[f"competency_{competency.pk}"] = forms.TypedChoiceField(
                label=_("Rate yourself: %(competency)s") % {"competency": competency.name},
                help_text=competency.description,
                choices=Rating.choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        # Questions first, then the self-ratings, then the line manager.
        self.fields = {**question_fields, **rating_fields, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for question in self.questions:
                name = question_field_name(question)
                if question.required and not (cleaned.get(name) or "").strip():
                    # The summary lists every error: each says which question.
                    self.add_error(
                        name,
                        _("Answer “%(question)s” before you submit")
                        % {"question": question.text.rstrip("?. ")},
                    )
            for competency in self.competencies:
                name = f"competency_{competency.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        _("Rate yourself on %(competency)s before you submit")
                        % {"competency": competency.name},
                    )
        return cleaned

    def self_ratings(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"competency_{c.pk}") for c in self.competencies}

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(question_field_name(q)) or "" for q in self.questions}


class LineManagerSupportForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I support this application and will allow time to take part"), required=True
    )
    comment = forms.CharField(
        label=_("Comments for the programme team (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VisibilityForm(forms.Form):
    visible_to_cohort = forms.BooleanField(
        label=_("Show my name, job title and organisation to the other participants"),
        required=False,
    )


class ProjectWorkForm(forms.ModelForm):
    report = forms.FileField(
        label=_("Upload your report"),
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx"}),
    )

    class Meta:
        model = ProjectWork
        fields = ["title", "summary", "profession_map_area"]
        labels = {"title": _("Title of your project"), "summary": _("Summary")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "profession_map_area": forms.Select,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = _(
            "A PDF, Word (DOCX) or PowerPoint (PPTX) file, smaller than %(limit)s."
        ) % {"limit": filesizeformat(max_upload_bytes())}
        self.fields["profession_map_area"].choices = [
            ("", _("Choose the area your project addresses")),
            *ProfessionMapArea.choices,
        ]
        self.fields["profession_map_area"].help_text = _(
            "The area of the CIPD Profession Map your project addresses."
        )

    def clean_report(self):
        report = self.cleaned_data["report"]
        try:
            detect_report_type(report)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return report


class CompletionForm(forms.Form):
    """Mark one participant completed; the override reason is needed only when the
    completion rule does not hold (the service decides)."""

    participant = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Reason for completing them although the rule does not hold"),
        help_text=_("Leave blank when the rule holds. The reason is kept in the audit log."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProjectReviewForm(forms.Form):
    """A reviewer's scores against each of the version's criteria, and a comment."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=REVIEW_SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Your comment: what would you challenge in the conclusions?"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 6}),
        )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class FeedbackForm(forms.Form):
    overall_rating = forms.TypedChoiceField(
        label=_("Overall, how would you rate the programme?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = list(modules)
        for module in self.modules:
            self.fields[f"module_{module.pk}"] = forms.TypedChoiceField(
                label=_("How would you rate module %(module)s?") % {"module": module},
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["comments"] = forms.CharField(
            label=_("What should we keep, and what should we change for the next cohort?"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 6}),
        )

    def module_ratings(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data[f"module_{m.pk}"] for m in self.modules}
