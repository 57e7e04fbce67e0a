"""Forms of the contributions members make (pledges) and of their moderation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import Organisation

from .models import Pledge


class PledgeForm(forms.ModelForm):
    """Seed 001: "To make your pledge – please complete this form"."""

    confirm = forms.BooleanField(
        label=_("The leader named here has agreed to this pledge being published"),
        error_messages={
            "required": _("Confirm that the leader named has agreed to publish this pledge")
        },
    )

    class Meta:
        model = Pledge
        fields = ["leader_name", "leader_role", "organisation", "statement"]
        labels = {
            "leader_name": _("Name of the leader making the pledge"),
            "leader_role": _("Their job title"),
            "statement": _("The pledge"),
        }
        help_texts = {
            "statement": _(
                "What the leader will do to make their HR and OD department more inclusive "
                "and diverse. Up to 3,000 characters."
            ),
        }
        widgets = {"statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = _("Choose the organisation")

    def _post_clean(self):
        # The service validates the pledge (pledge_submit).
        pass


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Do not publish"))],
        error_messages={"required": _("Choose whether to publish it")},
    )
    reason = forms.CharField(
        label=_("Reason (sent to the person who submitted it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
