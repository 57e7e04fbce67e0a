from django import template

from alumni.models import is_alumnus as _is_alumnus

register = template.Library()


@register.filter
def is_alumnus(user) -> bool:
    """Whether the user has completed a cohort (one query)."""
    return _is_alumnus(user)
