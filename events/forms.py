from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class TransferOfferForm(forms.Form):
    """The colleague a place is passed to, named by their email address."""

    email = forms.EmailField(
        label=_("Your colleague's email address"),
        help_text=_("The address they use to sign in to TalentHub."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
