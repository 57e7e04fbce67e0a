"""The yardsticks the page benchmarks compare against, served by the same Django stack as
the pages: a trivial response, and a 50-row list from one query rendered through a
template that extends the site's (the page-speed issue's "one-query list")."""

from functools import cache

from django.http import HttpResponse
from django.template import engines

BASELINE_TEMPLATE = """{% extends "base.html" %}{% block content %}
<h1 class="govuk-heading-l">People</h1>
<table class="govuk-table"><tbody class="govuk-table__body">
{% for person in people %}<tr class="govuk-table__row">
<td class="govuk-table__cell">{{ person.full_name }}</td>
<td class="govuk-table__cell">{{ person.email }}</td>
<td class="govuk-table__cell">{{ person.date_joined|date:"j F Y" }}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


@cache
def _template():
    # Compiled once, as the cached loader does for the site's own templates: a page and
    # its yardstick pay the same per-request costs only.
    return engines["django"].from_string(BASELINE_TEMPLATE)


def baseline_list(request):
    """50 rows from one query, through a template extending the site's."""
    from talenthub.core.models import User

    people = list(User.objects.order_by("pk")[:50])
    return HttpResponse(_template().render({"people": people}, request))


def baseline_trivial(request):
    """The stack alone: middleware, session, URL resolution, no query of its own."""
    return HttpResponse(b"ok", content_type="text/plain")
