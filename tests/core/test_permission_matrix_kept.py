"""The permission matrix with kept pages on: every page that can keep something (found
from the code), fetched by every role after the others have warmed it, must be that
role's own page and show nothing it may not see (the machinery: ``sweep_kept`` in
``tests/permission_matrix_support.py``; docs/testing.md)."""

import pytest

from tests import permission_matrix_support as support
from tests.events.factories import EventFactory
from tests.permission_matrix_support import (
    KEPT_PAGES,
    Sweep,
    World,
    kept_patterns,
    matrix_world,  # noqa: F401 - a fixture
    quiet_request_log,  # noqa: F401 - a fixture
    record_kept_machinery,
    sweep_kept,
    unfound_kept_pages,
)


@pytest.mark.redis
@pytest.mark.django_db
def test_no_kept_page_reaches_a_reader_it_was_not_made_for(
    matrix_world,  # noqa: F811 - the imported fixture
    settings,
    quiet_request_log,  # noqa: F811 - the imported fixture
    monkeypatch,
):
    counts = sweep_kept(matrix_world, settings, monkeypatch)
    # Kept copies were read, not only made: readers alike (a compact's members, alumni in
    # the directory, the analyst and the superuser in the insights) share one.
    assert sum(served for _kept, served in counts.values()) > 0, counts


def test_the_code_search_finds_every_kept_page():
    names = {name for _route, name, _view in kept_patterns()}
    assert not KEPT_PAGES - names
    # Not every page: a page that keeps nothing is not swept again.
    assert "events:book" not in names and "admin:index" not in names


@pytest.mark.django_db
def test_a_page_that_keeps_but_is_not_found_fails_the_ordinary_sweep(client, monkeypatch):
    """The ordinary sweeps note every request that reached the kept machinery (keeping
    off, as there); a pattern the code search missed is named."""
    EventFactory()
    sweep = Sweep(World())
    record_kept_machinery(sweep, monkeypatch)
    assert sweep.get(client, "/events/").status_code == 200
    assert sweep.get(client, "/accounts/login/").status_code == 200
    assert sweep.reached_kept == {"/events/"}
    assert unfound_kept_pages(sweep) == []
    found = kept_patterns()
    monkeypatch.setattr(
        support, "kept_patterns", lambda: [k for k in found if k[1] != "events:index"]
    )
    assert unfound_kept_pages(sweep) == ["/events/ (events:index)"]
