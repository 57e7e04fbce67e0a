from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def programme_url(programme) -> str:
    """The catalogue page of a published programme, or "" when there is none to link to
    (a draft or archived programme, or a catalogue without detail pages)."""
    if programme is None or programme.status != "published":
        return ""
    try:
        return programme.get_absolute_url()
    except NoReverseMatch:
        return ""


@register.filter
def signed_change(value) -> str:
    """A change in rating as text: "+1", "−2", "no change"."""
    if value is None:
        return "–"
    if value == 0:
        return "no change"
    return f"+{value}" if value > 0 else f"−{abs(value)}"
