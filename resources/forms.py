from django import forms
from django.utils.translation import gettext_lazy as _

from talenthub.core.forms import IsoDateInput

from .models import CareerConversation, Rating, WheelRating


class SelfAssessmentForm(forms.Form):
    """One radio group per competency of the framework and per active wheel item. Field
    names carry the row's id (``competency_12``, ``wheel_3``)."""

    def __init__(self, *args, competencies, wheel_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        self.wheel_items = list(wheel_items)
        for competency in self.competencies:
            self.fields[f"competency_{competency.pk}"] = self._rating_field(
                competency.name, competency.description, Rating
            )
        for item in self.wheel_items:
            self.fields[f"wheel_{item.pk}"] = self._rating_field(
                item.name, item.description, WheelRating
            )
        self.fields["reflection"] = forms.CharField(
            label=_("Notes for yourself (optional)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("What stands out, and what you want to work on before next time."),
        )

    @staticmethod
    def _rating_field(name, description, scale):
        return forms.TypedChoiceField(
            label=name,
            help_text=description,
            choices=scale.choices,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Select a rating for %(name)s") % {"name": name},
                "invalid_choice": _("Select a rating for %(name)s from 1 to 4") % {"name": name},
            },
        )

    def competency_fields(self):
        """``(competency, bound field)`` pairs, so the page can show each one's indicators."""
        return [(c, self[f"competency_{c.pk}"]) for c in self.competencies]

    def wheel_fields(self):
        return [self[f"wheel_{w.pk}"] for w in self.wheel_items]

    def competency_ratings(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"competency_{c.pk}"] for c in self.competencies}

    def wheel_ratings(self) -> dict[int, int]:
        return {w.pk: self.cleaned_data[f"wheel_{w.pk}"] for w in self.wheel_items}


class CareerConversationForm(forms.ModelForm):
    class Meta:
        model = CareerConversation
        fields = [
            "title",
            "planned_for",
            "ambition",
            "aspirations",
            "target_level",
            "strengths",
            "development_needs",
            "wheel_items",
            "support_wanted",
            "barriers",
            "questions",
        ]
        widgets = {
            "planned_for": IsoDateInput(),
            "ambition": forms.RadioSelect,
            "target_level": forms.RadioSelect,
            "wheel_items": forms.CheckboxSelectMultiple,
            "aspirations": forms.Textarea(attrs={"rows": 4}),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "development_needs": forms.Textarea(attrs={"rows": 4}),
            "support_wanted": forms.Textarea(attrs={"rows": 4}),
            "barriers": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"wheel_items": _("From the development wheel. Select all that apply.")}
        error_messages = {
            "ambition": {"required": _("Select what you want from the next year or two")},
            "aspirations": {"required": _("Enter your career aspirations")},
            "strengths": {"required": _("Enter your strengths")},
            "development_needs": {"required": _("Enter your development needs")},
            "support_wanted": {"required": _("Enter the support you would like")},
            "title": {"required": _("Enter a title")},
        }

    def __init__(self, *args, wheel_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wheel_items"].queryset = wheel_items
        self.fields["ambition"].choices = [c for c in self.fields["ambition"].choices if c[0] != ""]
        self.fields["target_level"].choices = [("", _("Not decided yet"))] + [
            c for c in self.fields["target_level"].choices if c[0] != ""
        ]


class ConversationShareForm(forms.Form):
    manager_name = forms.CharField(
        label=_("Your line manager's name"), max_length=150, required=False
    )
    manager_email = forms.EmailField(
        label=_("Your line manager's email address"),
        error_messages={
            "required": _("Enter your line manager's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    message = forms.CharField(
        label=_("A note to your manager (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
