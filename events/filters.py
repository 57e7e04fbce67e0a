import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from talenthub.core.forms import IsoDateInput
from talenthub.core.models import Organisation

from .models import Event, PeoplePlanTheme


class EventFilter(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("People Plan theme"), choices=PeoplePlanTheme.choices, empty_label=_("Any theme")
    )
    organiser = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        queryset=Organisation.objects.providers().order_by("name"),
        empty_label=_("Any provider"),
    )
    starts_after = django_filters.DateFilter(
        label=_("From"),
        field_name="starts_at",
        lookup_expr="date__gte",
        widget=IsoDateInput(),
    )
    starts_before = django_filters.DateFilter(
        label=_("To"),
        field_name="starts_at",
        lookup_expr="date__lte",
        widget=IsoDateInput(),
    )
    mode = django_filters.ChoiceFilter(
        label=_("Online or in person"),
        choices=[("online", _("Online")), ("in_person", _("In person"))],
        empty_label=_("Either"),
        method="filter_mode",
    )
    has_places = django_filters.BooleanFilter(
        label=_("Only events with places left"),
        method="filter_has_places",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Event
        fields = ["theme", "organiser", "starts_after", "starts_before", "mode", "has_places"]

    def filter_mode(self, queryset, name, value):
        if value == "online":
            return queryset.filter(venue="")
        if value == "in_person":
            return queryset.exclude(venue="")
        return queryset

    def filter_has_places(self, queryset, name, value):
        return queryset.filter(places_left__gt=0) if value else queryset
