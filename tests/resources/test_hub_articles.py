"""The hub's sections from seed 001 that were missing (issue 19, item 3): entry routes,
journeys to inclusion, further resources, and "My career story" and the pledges, which
the alumni network contributes to the hub's index through ``resources.contributions``."""

import pytest
from django.urls import reverse

from resources import contributions, demo
from resources.models import HubArticle

from .factories import HubArticleFactory

pytestmark = pytest.mark.django_db

S = HubArticle.Section


def _html(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html


def test_the_index_lists_the_new_sections_and_the_contributed_ones(client):
    html = _html(client.get(reverse("resources:index")))
    for name in ("entry_routes", "journey_list", "further_resources"):
        assert reverse(f"resources:{name}") in html
    # Registered by the alumni app (the hub does not refer up to it).
    assert "My career story" in html and reverse("alumni:stories") in html
    assert "Pledges to drive equality" in html and reverse("alumni:pledges") in html


def test_the_registry_refuses_an_unknown_group():
    with pytest.raises(ValueError):
        contributions.register_section(
            "x", group="nowhere", order=1, title="X", url_name="resources:index", summary=""
        )


@pytest.mark.parametrize(
    ("name", "section"),
    [("entry_routes", S.ENTRY_ROUTE), ("further_resources", S.FURTHER_RESOURCE)],
)
def test_a_section_page_shows_its_published_articles_in_constant_queries(
    client, name, section, django_assert_max_num_queries
):
    url = reverse(f"resources:{name}")
    assert "Nothing has been added" in _html(client.get(url))
    HubArticleFactory(section=section, title="Hidden one", is_published=False)
    HubArticleFactory(section=S.INCLUSION_JOURNEY, title="Another section's")
    counts = []
    for batch in (2, 10):
        for _ in range(batch):
            HubArticleFactory(section=section, entry_point="Band 2/3")
        with django_assert_max_num_queries(4) as queries:
            html = _html(client.get(url))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Hidden one" not in html and "Another section&#x27;s" not in html
    assert html.count('class="govuk-summary-card__title"') == 12


def test_journeys_to_inclusion_list_and_detail(client):
    journey = HubArticleFactory(
        title="Being an ally", author_name="Paul Taylor Pitt", url="https://example.org/ally"
    )
    hidden = HubArticleFactory(is_published=False)
    route = HubArticleFactory(section=S.ENTRY_ROUTE)
    html = _html(client.get(reverse("resources:journey_list")))
    assert "Being an ally" in html and journey.get_absolute_url() in html
    assert hidden.title not in html
    detail = _html(client.get(journey.get_absolute_url()))
    assert "Paul Taylor Pitt" in detail and "https://example.org/ally" in detail
    for other in (hidden, route):
        url = reverse("resources:journey_detail", kwargs={"slug": other.slug})
        assert client.get(url).status_code == 404


def test_the_demo_writes_seed_001s_sections_once():
    assert demo.load_hub_articles() == demo.load_hub_articles()
    titles = set(HubArticle.objects.values_list("title", flat=True))
    assert {"Apprenticeships", "Graduate Management Trainee Scheme (GMTS)"} <= titles
    assert "Being anti-racist not just non-racist" in titles
    assert HubArticle.objects.filter(section=S.ENTRY_ROUTE).count() == len(demo.ENTRY_ROUTES)
    assert HubArticle.objects.count() == (
        len(demo.ENTRY_ROUTES) + len(demo.INCLUSION_JOURNEYS) + len(demo.FURTHER_RESOURCES)
    )
