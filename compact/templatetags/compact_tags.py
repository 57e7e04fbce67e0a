from django import template

from compact.models import Status

register = template.Library()


@register.filter
def status_label(value) -> str:
    """The label of an action status value (rolled-up statuses are plain annotations)."""
    try:
        return Status(value).label
    except ValueError:
        return str(value)
