"""Every native date picker on the site shows its date.

A ``<input type="date">`` only accepts an ISO 8601 value; Django renders a date in the
locale's first input format (en-GB: ``07/12/2026``), which the browser drops, showing the
field empty. On an edit form the date is then posted back blank and wiped; a "today"
default vanishes. Seen on the compact's secretariat forms (a saved action lost its target
date); this walks every form and filter in the apps so a new one cannot bring it back."""

import datetime
import importlib

import django_filters
from django import forms
from django.apps import apps
from django.utils import translation

PROJECT = ("talenthub", "alumni", "api", "cohorts", "compact", "events", "insights")
PROJECT += ("programmes", "resources")
MODULES = ("forms", "filters", "talent_forms", "mentoring_forms", "views", "admin")


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in PROJECT


def _date_widgets():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT:
            continue
        for name in MODULES:
            try:
                importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
    found = []
    for form in filter(_ours, _all_subclasses(forms.BaseForm)):
        for field_name, field in getattr(form, "base_fields", {}).items():
            found.append((f"{form.__module__}.{form.__qualname__}.{field_name}", field.widget))
    for filterset in filter(_ours, _all_subclasses(django_filters.FilterSet)):
        for field_name, filter_ in filterset.base_filters.items():
            if (widget := filter_.extra.get("widget")) is not None:
                where = f"{filterset.__module__}.{filterset.__qualname__}.{field_name}"
                found.append((where, widget))
    widgets = [
        (where, widget if isinstance(widget, forms.Widget) else widget()) for where, widget in found
    ]
    return [
        (where, widget)
        for where, widget in widgets
        if getattr(widget, "input_type", None) == "date" or widget.attrs.get("type") == "date"
    ]


def test_the_walk_finds_the_date_pickers():
    # Forms in alumni, compact, events and resources use them: an empty walk proves nothing.
    modules = {where.split(".")[0] for where, _ in _date_widgets()}
    assert {"alumni", "compact", "events", "resources"} <= modules


def test_every_date_picker_renders_an_iso_value():
    day = datetime.date(2026, 12, 7)
    wrong = []
    with translation.override("en-gb"):
        for where, widget in _date_widgets():
            html = widget.render("d", day)
            if 'value="2026-12-07"' not in html:
                wrong.append(f"{where}: {html}")
    assert not wrong, "date pickers the browser shows empty:\n" + "\n".join(wrong)
