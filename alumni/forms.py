"""Forms validate and shape input; the views hand cleaned data to one service."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from talenthub.core.choices import CareerLevel, Region
from talenthub.core.forms import IsoDateInput as DateInput
from talenthub.core.models import FunctionalArea

from .models import AlumniProfile, CareerEntry, CareerStory, MentoringOffer, Vacancy


def _without_blank(choices):
    return [c for c in choices if c[0] != ""]


class AlumniProfileForm(forms.ModelForm):
    # No current role, organisation or level: those are the person's profile's (shown
    # beside the form), so nobody types them twice.
    functional_areas = forms.ModelMultipleChoiceField(
        queryset=FunctionalArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    photo = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Optional. A JPEG, PNG or WebP image up to 5 MB and 8,000 pixels on a side; "
            "we resize it."
        ),
        error_messages={"empty": _("The selected file is empty.")},
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    linkedin = forms.URLField(label=_("LinkedIn profile"), required=False, assume_scheme="https")

    class Meta:
        model = AlumniProfile
        fields = [
            "headline",
            "region",
            "functional_areas",
            "skills",
            "bio",
            "photo",
            "website",
            "linkedin",
            "visibility",
            "email_career_updates",
        ]
        widgets = {
            "visibility": forms.RadioSelect,
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Choose your region")), *Region.choices]
        self.fields["visibility"].label = _("Who can see your profile")
        if not (self.instance and self.instance.photo):
            del self.fields["remove_photo"]

    def clean_photo(self):
        """A newly uploaded photo, checked and already made small (``photo_process``), or
        None. With no new file Django's FileField hands back the stored photo: it is left
        alone (not re-read, not re-encoded, and never processed after it is removed)."""
        from .services import photo_process

        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return None
        try:
            return photo_process(photo)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def _post_clean(self):
        # The service validates the instance (and that the owner is an alumnus).
        pass


class CareerEntryForm(forms.ModelForm):
    announce = forms.BooleanField(
        label=_("Announce this to the alumni network as a career update"),
        required=False,
        help_text=_(
            "It appears in the directory’s career updates, and alumni of your cohorts who "
            "asked for career updates are emailed about it once. Your alumni profile must "
            "be visible."
        ),
    )

    class Meta:
        model = CareerEntry
        fields = ["role", "organisation_name", "level", "started_on", "ended_on"]
        widgets = {
            "level": forms.RadioSelect,
            "started_on": DateInput,
            "ended_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _without_blank(self.fields["level"].choices)
        if self.instance.pk and self.instance.announced_at:
            del self.fields["announce"]

    def _post_clean(self):
        pass


class MentoringOfferForm(forms.ModelForm):
    class Meta:
        model = MentoringOffer
        fields = ["topics", "capacity", "is_open"]

    def _post_clean(self):
        pass


class MentoringRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the mentor"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Say what you would like help with."),
    )


class CareerStoryForm(forms.ModelForm):
    class Meta:
        model = CareerStory
        fields = ["title", "functional_area", "career_level", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        labels = {"career_level": _("Your career level now"), "body": _("Your story")}

    def _post_clean(self):
        pass


class MobilityForm(forms.Form):
    mobility_regions = forms.MultipleChoiceField(
        label=_("Other regions you would work in"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_secondment = forms.BooleanField(label=_("I am open to a secondment"), required=False)
    open_to_relocation = forms.BooleanField(label=_("I would relocate anywhere"), required=False)
    share_with_employers = forms.BooleanField(
        label=_("Show me to organisations whose vacancies I match"),
        required=False,
        help_text=_(
            "An organisation that posts a vacancy you match then sees your name, readiness "
            "and mobility. The pool's managers see you whatever you choose."
        ),
    )


class AssessmentForm(forms.Form):
    summary = forms.CharField(
        label=_("Talent assessment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The pool's managers see this; the member too if you share it."),
    )
    shared_with_member = forms.BooleanField(
        label=_("Share this assessment with the member"),
        required=False,
        help_text=_("They will see it on their talent pools page."),
    )


class OutcomesForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Career level reached"),
        choices=CareerLevel.choices,
        coerce=int,
        initial=CareerLevel.LEVEL_4,
    )
    years = forms.IntegerField(
        label=_("Within this many years of completing"), min_value=1, max_value=20, initial=5
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["organisation", "role", "level", "region", "functional_area", "kind",
                  "expected_on", "is_secondment"]  # fmt: skip
        widgets = {"level": forms.RadioSelect, "kind": forms.RadioSelect, "expected_on": DateInput}
        labels = {
            "expected_on": _("Vacant from"),
            "kind": _("Is the vacancy immediate or predicted?"),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("Choose the organisation")
        self.fields["level"].choices = _without_blank(self.fields["level"].choices)
        self.fields["kind"].choices = _without_blank(self.fields["kind"].choices)
        self.fields["region"].choices = [("", _("Choose the region")), *Region.choices]

    def _post_clean(self):
        pass
