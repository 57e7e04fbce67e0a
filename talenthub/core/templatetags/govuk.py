"""Helpers for GOV.UK Frontend markup. Loaded as a builtin, so no {% load %} is needed."""

from django import template
from django.utils.html import format_html

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.simple_tag
def govuk_widget(field, extra_class=""):
    """Render a bound field's widget with the GOV.UK class for its type, the error
    modifier, and aria-describedby pointing at its hint and error message."""
    widget_type = field.widget_type
    css = _WIDGET_CLASSES.get(widget_type, "govuk-input")
    if field.errors and css in {
        "govuk-input",
        "govuk-textarea",
        "govuk-select",
        "govuk-file-upload",
    }:
        css += f" {css}--error"
    if extra_class:
        css += f" {extra_class}"
    existing = field.field.widget.attrs.get("class")
    if existing:
        css = f"{existing} {css}"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


# GOV.UK tag colour modifiers (govuk-tag--<colour>) for common statuses. A status not
# listed gets the default tag, which is blue and since GOV.UK Frontend 6 has no modifier
# class of its own (tests/core/test_frontend.py checks each colour is in the built CSS).
TAG_COLOURS = {
    "published": "green",
    "confirmed": "green",
    "open": "green",
    "done": "green",
    "on_track": "green",
    "completed": "green",
    "waiting": "yellow",
    "offered": "teal",
    "at_risk": "orange",
    "off_track": "red",
    "overdue": "red",
    "cancelled": "grey",
    "draft": "grey",
    "archived": "grey",
    "not_started": "grey",
}


@register.filter
def govuk_tag_colour(status: str) -> str:
    """A GOV.UK tag colour modifier for common statuses; "" for the default tag."""
    return TAG_COLOURS.get(str(status), "")


@register.simple_tag
def govuk_tag(label, status=""):
    colour = govuk_tag_colour(status or label)
    if not colour:
        return format_html('<strong class="govuk-tag">{}</strong>', label)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.simple_tag(takes_context=True)
def querystring_page(context, page_number):
    """The current query string with ``page`` replaced, for pagination links that keep
    the filters."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.filter
def pagination_items(page_obj):
    """The GOV.UK pagination list for ``page_obj``: ``(number, kind)`` pairs, kind
    "current", "link" or "ellipsis", for the first and last pages, the two either side
    of the current one and an ellipsis beyond those. The same items the template's loop
    over ``paginator.page_range`` chose, without walking every page number (775 of them
    for the alumni directory at 100x the demo: 40 % of its render, issue 16)."""
    current, last = page_obj.number, page_obj.paginator.num_pages
    candidates = {1, last, *range(current - 3, current + 4)}
    items = []
    for number in sorted(n for n in candidates if 1 <= n <= last):
        if number == current:
            items.append((number, "current"))
        elif number in (1, last) or current - 2 <= number <= current + 2:
            items.append((number, "link"))
        elif number in (current - 3, current + 3):
            items.append((number, "ellipsis"))
    return items


@register.filter
def govuk_datetime(value):
    """A date and time in the GOV.UK style, in the site's time zone: "Tuesday 10 December
    2026, 10am", "…, 2:30pm", "…, midday". Anything that is not a datetime is returned
    as it is."""
    import datetime

    from django.utils import timezone

    if not isinstance(value, datetime.datetime):
        return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    day = f"{value:%A} {value.day} {value:%B %Y}"
    if value.hour == 12 and value.minute == 0:
        return f"{day}, midday"
    if value.hour == 0 and value.minute == 0:
        return f"{day}, midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{day}, {hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def govuk_time(value):
    """The time of day of a datetime as GOV.UK writes it ("10am", "2:30pm", "midday"),
    in the site's time zone; for the end of something whose day is already given."""
    text = govuk_datetime(value)
    return text.rpartition(", ")[2] if isinstance(text, str) else text
