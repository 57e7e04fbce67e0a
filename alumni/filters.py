"""The directory's filters. They narrow ``selectors.directory_profiles``; they never widen it."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Participant
from programmes.models import Programme
from talenthub.core.choices import CareerLevel, Region
from talenthub.core.models import FunctionalArea, Organisation

from .models import AlumniProfile, CareerStory, Pledge
from .selectors import directory_cohort_years


def _completed(**lookups):
    return Exists(Participant.objects.completed().filter(user=OuterRef("user"), **lookups))


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or headline"), method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme completed"),
        queryset=Programme.objects.exclude(kind=Programme.Kind.TALENT_POOL).order_by("title"),
        method="filter_programme",
        empty_label=_("Any programme"),
    )
    cohort_year = django_filters.ChoiceFilter(
        label=_("Cohort year"),
        choices=[],  # set per viewer in __init__: only years with alumni they can see
        method="filter_cohort_year",
        empty_label=_("Any year"),
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label=_("Any region"))
    functional_area = django_filters.ModelChoiceFilter(
        field_name="functional_areas",
        label=_("Functional area"),
        queryset=FunctionalArea.objects.all(),
        empty_label=_("Any functional area"),
    )
    career_level = django_filters.ChoiceFilter(
        label=_("Career level"), choices=CareerLevel.choices, empty_label=_("Any level")
    )
    open_to_mentoring = django_filters.BooleanFilter(
        label=_("Only alumni open to mentoring"),
        method="filter_mentoring",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = AlumniProfile
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        viewer = getattr(self.request, "user", None)
        self.filters["cohort_year"].extra["choices"] = [
            (year, str(year)) for year in directory_cohort_years(viewer)
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(headline__icontains=value)
            | Q(current_role__icontains=value)
        )

    def filter_programme(self, queryset, name, value):
        return queryset.filter(_completed(cohort__version__programme=value)) if value else queryset

    def filter_cohort_year(self, queryset, name, value):
        return queryset.filter(_completed(cohort__starts_on__year=value)) if value else queryset

    def filter_mentoring(self, queryset, name, value):
        return queryset.filter(open_to_mentoring=True) if value else queryset


class StoryFilter(django_filters.FilterSet):
    functional_area = django_filters.ModelChoiceFilter(
        queryset=FunctionalArea.objects.all(), empty_label=_("Any functional area")
    )
    career_level = django_filters.ChoiceFilter(
        choices=CareerLevel.choices, empty_label=_("Any level")
    )

    class Meta:
        model = CareerStory
        fields = []


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Leader or statement"), method="filter_q")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(pledges__isnull=False).distinct(),
        empty_label=_("Any organisation"),
    )
    sector = django_filters.ChoiceFilter(
        field_name="organisation__sector",
        choices=lambda: Organisation._meta.get_field("sector").choices,
        empty_label=_("Any sector"),
    )

    class Meta:
        model = Pledge
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(leader_name__icontains=value) | Q(statement__icontains=value))
