"""The GOV.UK pagination include picks its page links with ``pagination_items`` instead of
walking every page number (issue 16). It must render exactly what the loop did."""

from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, engines
from django.test import RequestFactory

# The loop as templates/includes/pagination.html had it before ``pagination_items``.
# ruff: noqa: E501 (a template line kept whole)
WALKING_LOOP = """{% for number in page_obj.paginator.page_range %}
{% if number == page_obj.number %}current {{ number }} {% querystring_page number %}
{% elif number == 1 or number == page_obj.paginator.num_pages or number >= page_obj.number|add:"-2" and number <= page_obj.number|add:"2" %}link {{ number }} {% querystring_page number %}
{% elif number == page_obj.number|add:"-3" or number == page_obj.number|add:"3" %}ellipsis
{% endif %}{% endfor %}"""

ITEMS_LOOP = """{% for number, kind in page_obj|pagination_items %}
{% if kind == "current" %}current {{ number }} {% querystring_page number %}
{% elif kind == "link" %}link {{ number }} {% querystring_page number %}
{% else %}ellipsis
{% endif %}{% endfor %}"""


def _render(source, page_obj, request):
    """The rendering with runs of whitespace as one space: the walking loop left a blank
    line for each page number it did not show (775 at 100x the demo), the only
    difference in the include's HTML."""
    engine = engines["django"].engine
    html = Template(source, engine=engine).render(
        Context({"page_obj": page_obj, "request": request})
    )
    return " ".join(html.split())


def test_pagination_items_render_what_walking_every_page_rendered():
    request = RequestFactory().get("/alumni/", {"q": "Ann", "page": "3"})
    compared = 0
    for pages in [*range(1, 16), 100, 775]:
        paginator = Paginator(range(pages), 1)
        ends = [1, 2, 3, 4, 5, 50, pages - 4, pages - 3, pages - 2, pages - 1, pages]
        numbers = range(1, pages + 1) if pages < 100 else ends
        for number in numbers:
            page_obj = paginator.page(number)
            assert _render(ITEMS_LOOP, page_obj, request) == _render(
                WALKING_LOOP, page_obj, request
            ), (pages, number)
            compared += 1
    assert compared > 130


@pytest.mark.django_db
def test_the_include_renders_the_items_loop():
    """The include uses the filter (the comparison above would prove nothing if the
    include still walked every page)."""
    source = Path("templates/includes/pagination.html").read_text()
    assert "page_range" not in source
    assert "pagination_items" in source
    html = (
        engines["django"]
        .from_string(source)
        .render(
            {"page_obj": Paginator(range(775), 1).page(50), "request": RequestFactory().get("/")}
        )
    )
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'aria-label="Page 775"' in html and 'aria-current="page">50<' in html
    assert 'aria-label="Page 46"' not in html
