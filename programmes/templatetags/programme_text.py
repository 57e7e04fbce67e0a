"""Plain text typed in the admin, shown as GOV.UK paragraphs."""

import re

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def govuk_paragraphs(text: str) -> str:
    """Split ``text`` on blank lines into ``<p class="govuk-body">`` paragraphs, with
    single line breaks kept as ``<br>``. The text is escaped first."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(text or "")) if p.strip()]
    return format_html_join(
        "\n",
        '<p class="govuk-body">{}</p>',
        ((mark_safe(escape(p).replace("\n", "<br>")),) for p in paragraphs),  # noqa: S308
    )
