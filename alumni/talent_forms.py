"""Forms of the pool managers' pages and the mentoring relationship page (issue 19):
they validate and shape input; each view hands the cleaned data to one service."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from talenthub.core.choices import CareerLevel, Region
from talenthub.core.forms import IsoDateInput as DateInput
from talenthub.core.models import FunctionalArea, Organisation

from .models import KeyRole, MentoringRequest, Readiness


def _choices(choices):
    return [c for c in choices if c[0] != ""]


class PoolMemberForm(forms.Form):
    """A pool manager's view of one membership: level, readiness, skills, mobility."""

    target_level = forms.TypedChoiceField(
        label=_("Level of role aimed for"), choices=_choices(CareerLevel.choices), coerce=int
    )
    readiness = forms.ChoiceField(
        choices=Readiness.choices, widget=forms.RadioSelect, label=_("Readiness")
    )
    home_region = forms.ChoiceField(choices=_choices(Region.choices), label=_("Home region"))
    functional_areas = forms.ModelMultipleChoiceField(
        queryset=FunctionalArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Functional areas"),
        help_text=_("Select all that apply. Vacancies in these areas list the member first."),
    )
    skills = forms.CharField(max_length=500, required=False, label=_("Skills"))
    experience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Experience")
    )
    mobility_regions = forms.MultipleChoiceField(
        label=_("Other regions the member would work in"),
        choices=_choices(Region.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_secondment = forms.BooleanField(label=_("Open to a secondment"), required=False)
    open_to_relocation = forms.BooleanField(label=_("Would relocate anywhere"), required=False)


class PoolMemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to select"),
        help_text=_("They must already have a TalentHub account."),
    )
    target_level = forms.TypedChoiceField(
        label=_("Level of role aimed for"), choices=_choices(CareerLevel.choices), coerce=int
    )
    readiness = forms.ChoiceField(
        choices=Readiness.choices, widget=forms.RadioSelect, label=_("Readiness")
    )
    home_region = forms.ChoiceField(choices=_choices(Region.choices), label=_("Home region"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with this email address has a TalentHub account."), code="no_account"
            )
        self.cleaned_data["user"] = user
        return email


class KeyRoleForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"))

    class Meta:
        model = KeyRole
        fields = [
            "title",
            "organisation",
            "level",
            "region",
            "incumbent",
            "expected_vacancy_on",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "expected_vacancy_on": DateInput}

    def _post_clean(self):
        pass  # the service validates (clean_or_raise), as everywhere


class SuccessorForm(forms.Form):
    pool_member = forms.ModelChoiceField(queryset=None, label=_("Pool member"))
    readiness = forms.ChoiceField(
        choices=Readiness.choices, widget=forms.RadioSelect, label=_("Ready for this role")
    )
    development = forms.CharField(max_length=500, required=False, label=_("Development needed"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool_member"].queryset = members
        self.fields["pool_member"].label_from_instance = lambda m: m.user.full_name


class AgreementForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text=_("What the mentee wants to achieve."),
    )
    frequency = forms.ChoiceField(
        label=_("How often you meet"),
        choices=[("", _("Not agreed yet")), *MentoringRequest.Frequency.choices],
        required=False,
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the session"), widget=DateInput)
    notes = forms.CharField(
        label=_("What you discussed and agreed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )


class ReviewForm(forms.Form):
    review = forms.CharField(
        label=_("Your closing review"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("What worked, and what the mentee achieved."),
    )


class SuggestionForm(forms.Form):
    looking_for = forms.CharField(
        label=_("What would you like help with?"),
        required=False,
        max_length=200,
        help_text=_("For example, business partnering or organisational development."),
    )
