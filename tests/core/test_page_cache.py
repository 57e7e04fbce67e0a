"""Public pages kept for cookie-less visitors (talenthub.core.page_cache, issue 16): served
again without the view's queries, never to a signed-in person, and a saved row shows on
the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Programme
from talenthub.core import page_cache
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_cookie_less_visitor_gets_the_kept_page_until_a_row_changes(
    client, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(title="Aspire Strategic HR")
    first, queries = _get(client, "/programmes/")
    assert "Aspire Strategic HR" in first and queries > 0
    again, queries = _get(client, "/programmes/")
    assert again == first and queries == 0
    programme.title = "Aspire 2.0"
    with django_capture_on_commit_callbacks(execute=False):
        programme.save()
    unchanged, queries = _get(client, "/programmes/")
    assert unchanged == first and queries == 0  # not committed: the kept page stands
    with django_capture_on_commit_callbacks(execute=True):
        programme.save()  # any committed row makes a new data version
    changed, queries = _get(client, "/programmes/")
    assert "Aspire 2.0" in changed and "Aspire Strategic HR" not in changed and queries > 0
    with django_capture_on_commit_callbacks(execute=True):
        ProgrammeFactory(title="Inspire OD", owner=programme.owner)
    assert "Inspire OD" in _get(client, "/programmes/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        programme.delete()
    assert "Aspire 2.0" not in _get(client, "/programmes/")[0]


def test_each_url_and_query_string_is_its_own_page(client):
    ProgrammeFactory(title="Aspire Strategic HR", kind=Programme.Kind.MULTI_MODULE)
    ProgrammeFactory(title="Inspire OD", kind=Programme.Kind.WORKSHOP)
    everything, _queries = _get(client, "/programmes/")
    workshops, _queries = _get(client, "/programmes/?kind=workshop")
    assert "Aspire Strategic HR" in everything and "Inspire OD" in everything
    assert "Inspire OD" in workshops and "Aspire Strategic HR" not in workshops


def test_a_visitor_with_a_cookie_or_signed_in_is_never_given_the_kept_page(client, member):
    ProgrammeFactory(title="Aspire Strategic HR")
    _get(client, "/programmes/")
    client.cookies["anything"] = "x"
    assert _get(client, "/programmes/")[1] > 0
    client.cookies.clear()
    client.force_login(member)
    page, queries = _get(client, "/programmes/")
    assert queries > 0 and "Sign out" in page  # the signed-in header, not the kept one


def test_a_kept_page_varies_on_cookie_and_the_timeout_turns_it_off(client, settings):
    ProgrammeFactory(title="Aspire Strategic HR")
    client.get("/programmes/")
    response = client.get("/programmes/")
    assert "Cookie" in response["Vary"]
    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 0}
    assert _get(client, "/programmes/")[1] > 0


def test_a_lost_version_never_brings_back_an_old_page(client):
    """If the version key alone is evicted, the next version is new, never a number a
    kept page was stored under."""
    ProgrammeFactory(title="Aspire Strategic HR")
    before = page_cache.data_version()
    from django.core.cache import cache

    cache.delete(page_cache.VERSION_KEY)
    assert page_cache.data_version() > before


class _CountingCache:
    """The cache, with the calls made through it written down."""

    def __init__(self, cache):
        self.cache, self.calls = cache, []

    def __getattr__(self, name):
        attribute = getattr(self.cache, name)
        if callable(attribute):
            self.calls.append(name)
        return attribute


def test_a_kept_copy_and_its_version_come_in_one_cache_round_trip(client, rf, monkeypatch):
    from django.core.cache import cache

    counting = _CountingCache(cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    ProgrammeFactory(title="Aspire Strategic HR")
    _get(client, "/programmes/")
    counting.calls.clear()
    _get(client, "/programmes/")
    assert counting.calls == ["get_many"]
    request = rf.get("/alumni/")
    page_cache.kept_fragment("t", request, vary_on=(), render=lambda: "<p>kept</p>")
    counting.calls.clear()
    assert page_cache.kept_fragment("t", request, vary_on=(), render=list) == "<p>kept</p>"
    assert counting.calls == ["get_many"]


def test_a_copy_made_while_a_change_committed_is_not_served_after_it(rf):
    """The version is read before the copy is made and kept with it: a copy that may show
    the rows from before a change that committed while it was made is made again."""
    request = rf.get("/alumni/")
    made = []

    def render_during_a_change():
        made.append(1)
        page_cache.bump_data_version()  # a save elsewhere commits while this renders
        return f"<p>copy {len(made)}</p>"

    first = page_cache.kept_fragment("t", request, vary_on=(), render=render_during_a_change)
    again = page_cache.kept_fragment("t", request, vary_on=(), render=lambda: "<p>after</p>")
    kept = page_cache.kept_fragment("t", request, vary_on=(), render=list)
    assert (first, again, kept) == ("<p>copy 1</p>", "<p>after</p>", "<p>after</p>")
    page_cache.bump_data_version()
    assert page_cache.kept_fragment("t", request, vary_on=(), render=lambda: "<p>new</p>") == (
        "<p>new</p>"
    )
