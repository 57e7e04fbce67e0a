from django import template

from alumni.models import viewer_is_alumnus

register = template.Library()


@register.filter
def is_alumnus(user) -> bool:
    """Whether the viewing user has completed a cohort (one query a request)."""
    return viewer_is_alumnus(user)


@register.filter
def is_moderator(user) -> bool:
    """Whether ``user`` moderates stories and pledges (``alumni.moderation``)."""
    from alumni.moderation import is_moderator as moderates

    return moderates(user)
