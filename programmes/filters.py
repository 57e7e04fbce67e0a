"""The catalogue's filters. Every filter is a GET parameter, so a filtered catalogue is a
shareable URL and the form works without JavaScript."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from talenthub.core.choices import CareerLevel
from talenthub.core.models import FunctionalArea, Organisation

from .models import Programme
from .selectors import programme_search, programmes_open_now


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Words from the title, summary or modules."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Programme.Kind.choices, empty_label=_("All kinds")
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        field_name="owner",
        to_field_name="slug",
        queryset=Organisation.objects.providers()
        .filter(programmes_owned__status=Programme.Status.PUBLISHED)
        .distinct(),
        empty_label=_("All providers"),
    )
    career_level = django_filters.ChoiceFilter(
        label=_("Career level"),
        field_name="audience_levels__level",
        choices=CareerLevel.choices,
        empty_label=_("All levels"),
    )
    functional_area = django_filters.ModelChoiceFilter(
        label=_("Functional area"),
        field_name="functional_areas",
        to_field_name="slug",
        queryset=FunctionalArea.objects.all(),
        empty_label=_("All functional areas"),
    )
    delivery_mode = django_filters.ChoiceFilter(
        label=_("Delivery"), choices=Programme.DeliveryMode.choices, empty_label=_("Any delivery")
    )
    open_now = django_filters.BooleanFilter(
        label=_("Open for applications or booking now"),
        method="filter_open_now",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Programme
        fields = [
            "q",
            "kind",
            "provider",
            "career_level",
            "functional_area",
            "delivery_mode",
            "open_now",
        ]

    def filter_open_now(self, queryset, name, value):
        # Unticked means "everything", not "only programmes that are closed".
        return programmes_open_now(queryset) if value else queryset

    def filter_search(self, queryset, name, value):
        return programme_search(queryset, value)
