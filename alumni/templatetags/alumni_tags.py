from django import template

from alumni.models import viewer_is_alumnus

register = template.Library()


@register.filter
def is_alumnus(user) -> bool:
    """Whether the viewing user has completed a cohort (one query a request)."""
    return viewer_is_alumnus(user)
