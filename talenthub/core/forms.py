from pathlib import Path

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import widget_html
from .choices import Region
from .models import FunctionalArea, Organisation, Profile
from .templatetags.govuk_allauth import govuk_links


class IsoDateInput(forms.DateInput):
    """A native date picker (``<input type="date">``). Its value must be ISO 8601 whatever
    the locale: with en-GB's ``DD/MM/YYYY`` the browser shows the field empty, so an edit
    form would post the date back blank (wiping it) and a "today" default would vanish."""

    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs, format="%Y-%m-%d")


def _lower_first(label: str) -> str:
    """ "Email address" -> "email address"; "CIPD membership grade" stays as it is."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


# Labels that are already an instruction.
_IMPERATIVES = {"confirm", "enter", "select", "choose", "tick", "give", "tell", "add", "upload"}


def _django_defaults(field: forms.Field, key: str) -> set[str]:
    """Django's own message for ``key`` on this kind of field, as each class in its
    ancestry words it."""
    return {
        str(cls.__dict__["default_error_messages"][key])
        for cls in type(field).__mro__
        if key in cls.__dict__.get("default_error_messages", {})
    }


def govuk_error_messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK messages for ``field``'s errors, keyed as Django keys them: each names the
    field (by its label) and says what to do ("Enter your full name", "Select your
    region"), where Django's say "This field is required."."""
    question = label.rstrip().endswith("?")
    subject = f"an answer to “{label}”" if question else _lower_first(label)
    name = label[:1].upper() + label[1:]
    widget = field.widget
    choose = f"Select one of the options given for {subject}"
    messages = {"invalid_choice": choose, "invalid_list": choose, "invalid_pk_value": choose}
    if isinstance(field, forms.FileField):
        messages |= {
            "required": f"Select a file for {subject}",
            "missing": f"Select a file for {subject}",
            "empty": f"The file for {subject} is empty",
            "invalid": f"The file for {subject} could not be read: select it again",
        }
    elif isinstance(widget, forms.CheckboxInput):
        messages["required"] = f"Select “{label}” to continue"
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        messages["required"] = f"Select at least one option for {subject}"
    elif isinstance(field, forms.ChoiceField) or isinstance(widget, forms.Select):
        messages["required"] = f"Select {subject}"
    else:
        messages["required"] = f"Enter {subject}"
    if label.split(" ", 1)[0].lower() in _IMPERATIVES:
        # The label already says what to do ("Confirm your password").
        messages["required"] = label
    formats = [
        (forms.DateTimeField, f"{name} must be a real date and time"),
        (forms.DateField, f"{name} must be a real date, like 27 3 2027"),
        (forms.TimeField, f"{name} must be a real time, like 14:30"),
        (forms.IntegerField, f"{name} must be a whole number, like 12"),
        (forms.DecimalField, f"{name} must be a number, like 12.5"),
        (forms.FloatField, f"{name} must be a number, like 12.5"),
        (
            forms.EmailField,
            "Enter an email address in the correct format, like name@example.com",
        ),
        (forms.URLField, f"{name} must be a web address, like https://example.com"),
    ]
    for kind, message in formats:
        if isinstance(field, kind):
            messages.setdefault("invalid", message)
            break
    return messages


class GovukBoundField(BoundField):
    """A bound field in GOV.UK's manner, for every form the site renders:

    - Django's generic error messages ("This field is required.") are replaced, for this
      form's copy of the field only, by messages that name the field and say what to do;
      a message the form set itself is kept;
    - no placeholder repeats the label (allauth sets them): GOV.UK puts hints in hints,
      and a placeholder vanishes as soon as the person types;
    - links in hints are GOV.UK links.
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # ``field`` is the form instance's own deep copy (Form.__init__), so nothing here
        # leaks into other forms or requests.
        field.widget.attrs.pop("placeholder", None)
        if self.help_text:
            # allauth's hints carry bare links ("Forgotten your password?").
            self.help_text = govuk_links(mark_safe(self.help_text))  # noqa: S308 - help text is the form's own HTML
        label = str(self.label or name.replace("_", " ").capitalize())
        for key, message in govuk_error_messages(field, label).items():
            current = field.error_messages.get(key)
            if current is not None and str(current) in _django_defaults(field, key):
                field.error_messages[key] = message


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with GOV.UK Frontend markup (error summary, hints,
    error messages). The admin keeps its own widgets: only the form and field templates
    change, not the widget templates."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

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
