from pathlib import Path

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from . import widget_html
from .choices import Region
from .models import FunctionalArea, Organisation, Profile


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with GOV.UK Frontend markup (error summary, hints,
    error messages). The admin keeps its own widgets: only the form and field templates
    change, not the widget templates."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    def __init__(self):
        super().__init__()
        self._stock = {}

    def render(self, template_name, context, request=None):
        # Django's stock input, textarea and select templates are written in Python
        # (widget_html: the same HTML, without a template include per option), unless
        # the project or an app overrides the template.
        if template_name in widget_html.WRITERS and self._is_stock(template_name):
            html = widget_html.write(template_name, context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)

    def _is_stock(self, template_name: str) -> bool:
        if template_name not in self._stock:
            origin = Path(self.get_template(template_name).origin.name)
            self._stock[template_name] = origin.is_relative_to(_DJANGO_FORM_TEMPLATES)
        return self._stock[template_name]


_DJANGO_FORM_TEMPLATES = Path(forms.__file__).parent / "templates"


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def custom_signup(self, request, user):
        from .services import profile_get_or_create

        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        profile_get_or_create(user=user)


class ProfileForm(forms.ModelForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Choose your organisation"),
        help_text=_("Ask us to add your organisation if it is not listed."),
    )
    functional_areas = forms.ModelMultipleChoiceField(
        queryset=FunctionalArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )

    class Meta:
        model = Profile
        fields = [
            "organisation",
            "job_title",
            "career_level",
            "region",
            "cipd_grade",
            "functional_areas",
            "email_event_announcements",
            "email_programme_announcements",
            "email_reminders",
            "email_bulletins",
        ]
        widgets = {"career_level": forms.RadioSelect, "cipd_grade": forms.Select}
        labels = {"career_level": _("Career level")}
        help_texts = {
            "career_level": _("The level of the HPMA career pathway that fits your current role."),
            "email_bulletins": _(
                "Untick this and no compact sends you its e-bulletin, whichever you subscribe "
                "to. Your subscriptions are kept: tick it again and the next issues come."
            ),
        }

    field_order = ["full_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = user.full_name
        self.fields["career_level"].choices = [
            c for c in self.fields["career_level"].choices if c[0] != ""
        ]
        self.fields["career_level"].required = False
        self.fields["region"].choices = [("", _("Choose your region")), *Region.choices]
        self.fields["cipd_grade"].label = _("CIPD membership grade")


# Characters no person types in a message: NUL and the other C0 controls but tab and
# newlines. PostgreSQL refuses NUL in text; the rest only hide or garble text.
_CONTROL = {c for c in range(32) if c not in (9, 10, 13)} | {127}


def _no_control_characters(value: str) -> None:
    if any(ord(c) in _CONTROL for c in value):
        raise forms.ValidationError(
            _("Remove the hidden control characters from your text (they may come from copying)")
        )


class ContactForm(forms.Form):
    """The help and contact form: what someone needs to ask, and where to reply."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[_no_control_characters],
        error_messages={
            "required": _("Enter your name"),
            "max_length": _("Your name must be 150 characters or fewer"),
        },
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We only use this to reply to you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Your email address must be 254 characters or fewer"),
        },
    )
    message = forms.CharField(
        label=_("How can we help?"),
        max_length=5000,
        help_text=_(
            "Do not include personal details such as health information. You can write up "
            "to 5,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[_no_control_characters],
        error_messages={
            "required": _("Enter your message"),
            "max_length": _("Your message must be 5,000 characters or fewer"),
        },
    )
