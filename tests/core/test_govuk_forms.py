"""GOV.UK error messages for every form (issue 15, item 3): Django's generic messages
are replaced by ones naming the field; a form's own messages are kept."""

from django import forms

from talenthub.core.forms import ContactForm


class _Example(forms.Form):
    full_name = forms.CharField(
        label="Full name", widget=forms.TextInput(attrs={"placeholder": "Full name"})
    )
    region = forms.ChoiceField(label="Region", choices=[("a", "A")])
    agree = forms.BooleanField(label="I agree to the charter")
    areas = forms.MultipleChoiceField(
        label="Functional areas", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )
    started_on = forms.DateField(label="Start date")
    places = forms.IntegerField(label="Places")
    report = forms.FileField(label="Project report")
    how = forms.CharField(label="How can we help?")
    password2 = forms.CharField(label="Confirm your password")


def test_required_messages_name_the_field_and_what_to_do():
    form = _Example(data={})
    assert not form.is_valid()
    assert form.errors == {
        "full_name": ["Enter full name"],
        "region": ["Select region"],
        "agree": ["Select “I agree to the charter” to continue"],
        "areas": ["Select at least one option for functional areas"],
        "started_on": ["Enter start date"],
        "places": ["Enter places"],
        "report": ["Select a file for project report"],
        "how": ["Enter an answer to “How can we help?”"],
        "password2": ["Confirm your password"],
    }


def test_invalid_values_say_what_is_wanted():
    form = _Example(data={"region": "z", "areas": ["z"], "started_on": "31 2 2026", "places": "x"})
    form.is_valid()
    assert form.errors["region"] == ["Select one of the options given for region"]
    assert form.errors["areas"] == ["Select one of the options given for functional areas"]
    assert form.errors["started_on"] == ["Start date must be a real date, like 27 3 2027"]
    assert form.errors["places"] == ["Places must be a whole number, like 12"]


def test_a_forms_own_messages_are_kept_and_nothing_leaks_between_forms():
    form = ContactForm(data={})
    form.is_valid()
    assert form.errors["name"] == ["Enter your name"]
    # The class's fields keep Django's defaults; each form changes its own copy.
    assert str(_Example.base_fields["full_name"].error_messages["required"]) == (
        "This field is required."
    )
    assert _Example.base_fields["full_name"].widget.attrs == {"placeholder": "Full name"}


def test_no_placeholder_repeats_the_label():
    html = str(_Example()["full_name"])
    assert "placeholder" not in html
