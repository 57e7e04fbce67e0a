from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("", _("No expiry")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell it apart later."),
    )
    scope = forms.ChoiceField(
        label=_("What may the token do?"),
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        initial=ApiToken.Scope.READ,
    )
    expires_in_days = forms.ChoiceField(
        label=_("When should it stop working?"),
        choices=EXPIRY_CHOICES,
        widget=forms.RadioSelect,
        initial="90",
        required=False,
    )

    def clean_expires_in_days(self):
        value = self.cleaned_data.get("expires_in_days")
        return int(value) if value else None
