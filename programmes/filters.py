"""The catalogue's filters. Every filter is a GET parameter, so a filtered catalogue is a
shareable URL and the form works without JavaScript."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from talenthub.core.choices import CareerLevel
from talenthub.core.models import FunctionalArea

from .models import Programme
from .selectors import catalogue_providers, programme_search, programmes_open_now


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
        method="filter_provider",
        to_field_name="slug",
        # A callable, so "current franchise" means today's, not the day the server started.
        queryset=lambda request: catalogue_providers(),
        empty_label=_("All providers"),
        help_text=_("The organisation that owns the programme or runs it under franchise."),
    )
    career_level = django_filters.ChoiceFilter(
        label=_("Career level"),
        method="filter_career_level",
        choices=CareerLevel.choices,
        empty_label=_("All levels"),
    )
    functional_area = django_filters.ModelChoiceFilter(
        label=_("Functional area"),
        method="filter_functional_area",
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

    # django-filter calls these methods only for a chosen (non-empty) value.
    def filter_provider(self, queryset, name, value):
        return queryset.run_by(value)

    def filter_career_level(self, queryset, name, value):
        # Programmes for every level (none chosen) match too: see for_career_level.
        return queryset.for_career_level(int(value))

    def filter_functional_area(self, queryset, name, value):
        return queryset.for_functional_area(value)

    def filter_open_now(self, queryset, name, value):
        # Unticked means "everything", not "only programmes that are closed".
        return programmes_open_now(queryset) if value else queryset

    def filter_search(self, queryset, name, value):
        return programme_search(queryset, value)
