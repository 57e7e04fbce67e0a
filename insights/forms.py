from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CHARACTERISTICS
from .models import CONSENT_PURPOSE


class MonitoringForm(forms.Form):
    """The consent and the questions on one page. Without consent nothing is stored,
    but the answers given are shown again, so nothing typed is lost."""

    consent = forms.BooleanField(
        label=CONSENT_PURPOSE,
        required=True,
        error_messages={
            "required": _(
                "Tick the box to give your consent, or leave this page: nothing has been saved."
            )
        },
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, characteristic in CHARACTERISTICS.items():
            self.fields[name] = forms.ChoiceField(
                label=characteristic.question,
                choices=characteristic.choices.choices,
                widget=forms.RadioSelect,
                initial=getattr(record, name, None),
                error_messages={
                    "required": _("Choose an answer, or “Prefer not to say”."),
                    "invalid_choice": _("Choose one of the answers listed."),
                },
            )
        # Consent is asked again on every change: it is renewed with the current wording.
        self.order_fields(["consent", *CHARACTERISTICS])

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in CHARACTERISTICS}
