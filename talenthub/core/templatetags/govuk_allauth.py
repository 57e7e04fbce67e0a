"""GOV.UK markup for what django-allauth's templates write themselves."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BARE_LINK = re.compile(r"<a(?![^>]*\sclass=)(\s)")


@register.filter(is_safe=True)
def govuk_links(html: str) -> str:
    """``<a href=…>`` without a class becomes a ``govuk-link``: allauth's sentences
    ("If you do not have an account, create an account") carry bare links. Only
    template output (already safe) is changed; anything else is returned as it is."""
    if not isinstance(html, SafeString):
        return html
    return mark_safe(_BARE_LINK.sub(r'<a class="govuk-link"\1', html))  # noqa: S308 - adds a class to safe HTML
