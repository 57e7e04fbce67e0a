"""The form renderer writes Django's stock widget templates in Python (issue 16,
talenthub/core/widget_html.py): the HTML must be the templates', byte for byte (every
attribute, escape and blank line). The browser tests' accessibility checks were made
against that HTML; a difference here would be a difference on every form."""

import datetime

import pytest
from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from alumni.filters import DirectoryFilter, PledgeFilter, StoryFilter
from events.filters import EventFilter
from programmes.filters import ProgrammeFilter
from talenthub.core import widget_html
from talenthub.core.forms import GovukFormRenderer, ProfileForm
from talenthub.core.templatetags.govuk import govuk_widget
from tests.factories import MemberFactory, OrganisationFactory

HOSTILE = '"><script>alert(1)</script>&amp;'


class EveryWidgetForm(forms.Form):
    name = forms.CharField(help_text="Your name", max_length=20)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    age = forms.IntegerField(required=False, min_value=0)
    amount = forms.DecimalField(required=False, localize=True)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    at = forms.DateTimeField(required=False)
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    colour = forms.ChoiceField(
        choices=[("", "Any colour"), ("red", "Red"), (HOSTILE, mark_safe("<b>bold</b>"))],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[
            ("", _("Any")),
            ("Warm", [("red", "Red"), ("orange", HOSTILE)]),
            (HOSTILE, [(1, 1000), (2, _("Two"))]),
        ]
    )
    moment = forms.ChoiceField(
        choices=[(1, datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.UTC))], required=False
    )
    several = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two"), (3, "Three")], required=False
    )
    locked = forms.CharField(disabled=True, required=False, initial=HOSTILE)
    attrs = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": False, "data-x": True, "class": "x"}
        ),
    )


DATA = {
    "name": HOSTILE,
    "email": "not an email",
    "website": "javascript:alert(1)",
    "age": "-1",
    "amount": "1234.5",
    "secret": HOSTILE,
    "when": "2026-12-07",
    "at": "2026-12-07 10:30",
    "bio": f"line one\n{HOSTILE}",
    "agree": "on",
    "hidden": HOSTILE,
    "colour": HOSTILE,
    "grouped": "2",
    "several": ["1", "3"],
    "attrs": "x",
}


@pytest.fixture
def written(monkeypatch):
    """The widgets the renderer wrote in Python rather than through a template."""
    names = []
    original = widget_html.write

    def write(template_name, context):
        html = original(template_name, context)
        if html is not None:
            names.append(context["widget"]["name"])
        return html

    monkeypatch.setattr(widget_html, "write", write)
    return names


def _assert_same(form, written) -> int:
    """Each field through the project's renderer and through Django's templates; return
    how many the renderer wrote in Python (so a test cannot pass by never doing so)."""
    lean, templates = GovukFormRenderer(), TemplatesSetting()
    before = len(written)
    for field in form:
        for attrs in ({"class": "govuk-input"}, {"class": "a b", "aria-describedby": "x-hint"}):
            form.renderer = lean
            ours = str(field.as_widget(attrs=attrs))
            form.renderer = templates
            assert ours == str(field.as_widget(attrs=attrs)), field.name
    form.renderer = None
    return (len(written) - before) // 2


def test_every_stock_widget_unbound(written):
    assert _assert_same(EveryWidgetForm(initial={"several": [2], "agree": True}), written) == 17


def test_every_stock_widget_bound_with_hostile_and_invalid_values(written):
    form = EveryWidgetForm(data=DATA)
    assert not form.is_valid()
    assert _assert_same(form, written) == 17


def test_every_stock_widget_bound_and_valid(written):
    data = {**DATA, "email": "a@example.com", "website": "https://example.com", "age": "3"}
    data.update(name="Ann", grouped="red", colour="red")
    form = EveryWidgetForm(data=data)
    assert form.is_valid(), form.errors
    assert _assert_same(form, written) == 17


def test_a_value_renders_in_its_widget(written):
    """Not only equal to the templates': the values are there, escaped (a guard against
    both paths rendering nothing), through the GOV.UK tag the site's forms use."""
    form = EveryWidgetForm(data=DATA)
    html = str(govuk_widget(form["colour"]))
    assert '<option value="&quot;&gt;&lt;script&gt;' in html and " selected>" in html
    assert "<b>bold</b>" in html  # a label marked safe stays markup, as in the template
    assert "&lt;script&gt;" in str(govuk_widget(form["bio"]))
    assert written == ["colour", "bio"]


@pytest.mark.django_db
def test_the_admin_action_checkbox_and_the_admin_widgets(written):
    """The admin's row checkbox (one per row of every changelist) is written in Python;
    the admin's own widgets keep their templates."""
    from django.contrib import admin

    from talenthub.core.models import Organisation

    organisation = OrganisationFactory(name=HOSTILE)
    model_admin = admin.site._registry[Organisation]
    html = model_admin.action_checkbox(organisation)
    assert written == [helpers.ACTION_CHECKBOX_NAME]
    assert "&lt;script&gt;" in html and f'value="{organisation.pk}"' in html
    checkbox = forms.CheckboxInput({"class": "action-select"}, lambda value: False)
    assert checkbox.render("x", "7", renderer=GovukFormRenderer()) == checkbox.render(
        "x", "7", renderer=TemplatesSetting()
    )
    date = AdminDateWidget().render("when", None, renderer=GovukFormRenderer())
    assert date == AdminDateWidget().render("when", None, renderer=TemplatesSetting())
    assert written == [helpers.ACTION_CHECKBOX_NAME, "x"]


def test_an_option_with_a_template_of_its_own_goes_through_the_templates(written):
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    html = widget.render("x", "a", renderer=GovukFormRenderer())
    assert written == []
    assert html == widget.render("x", "a", renderer=TemplatesSetting())
    assert 'type="' in html


def test_a_template_the_project_overrides_goes_through_the_templates(written, settings):
    """An override (a project or app template of the same name) wins, as it would."""
    renderer = GovukFormRenderer()
    renderer._stock["django/forms/widgets/text.html"] = False
    forms.TextInput().render("x", "y", renderer=renderer)
    assert written == []
    renderer = GovukFormRenderer()
    forms.TextInput().render("x", "y", renderer=renderer)
    assert written == ["x"]
    assert renderer._stock == {"django/forms/widgets/text.html": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset", [EventFilter, ProgrammeFilter, DirectoryFilter, StoryFilter, PledgeFilter]
)
def test_the_site_filter_forms(filterset, written):
    OrganisationFactory.create_batch(3, is_provider=True)
    for data in ({}, {"q": HOSTILE, "region": "nowhere", "career_level": "2"}):
        assert _assert_same(filterset(data=data).form, written) > 0


@pytest.mark.django_db
def test_the_profile_form(written):
    member = MemberFactory()
    OrganisationFactory.create_batch(3)
    assert _assert_same(ProfileForm(user=member, instance=member.profile), written) > 0
    assert _assert_same(ProfileForm(data={"full_name": ""}, user=member), written) > 0
