"""Whole public pages kept for visitors who carry no cookie, valid for one data version
(issue 16: public pages within the one-query list's time).

A visitor with no cookie is anonymous, has no messages waiting and no CSRF token of
their own, so every such visitor of a URL gets the same page until the data changes.
``cache_public_page`` keeps that page for ``TALENTHUB["PUBLIC_PAGE_CACHE_SECONDS"]``
(default 60 with a Redis cache, which every worker shares; 0, which turns it off,
without one or with ``DEBUG``) with the *data version* it was made under, a number bumped
whenever any row is saved or deleted (``post_save``, ``post_delete``, ``m2m_changed``,
when the transaction commits), and serves it only while that is still the version: a
change shows on the next request. The version and the kept copy are read together, in
one cache round trip.
``QuerySet.update()`` and ``bulk_create`` send no signal, so a change made only that way
shows within the timeout; so does a page that depends on the clock (an event that has
just ended). A response that sets a cookie, touches the session, queues a message or
asks for a CSRF token is never kept, nor is anything but a 200.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

VERSION_KEY = "talenthub:page-cache:version"
# Rows written on almost every request, never shown on a public page.
NOT_PAGE_DATA = {
    "sessions.Session",
    "admin.LogEntry",
    "core.AuditLog",
    "core.SignInEvent",
    "core.OutboundEmail",
}


def timeout() -> int:
    return int(settings.TALENTHUB.get("PUBLIC_PAGE_CACHE_SECONDS", 60))


def cache_is_shared() -> bool:
    """False while the fail-open Redis cache (``talenthub.core.cache``) answers from this
    process because Redis is down: nothing is kept or served from a kept copy then, as a
    save seen by this worker would not reach the others' data version. (Without Redis at
    all, ``PUBLIC_PAGE_CACHE_SECONDS`` defaults to 0: nothing is kept.) Asked after the
    cache has been read, so it tells about that read."""
    return not getattr(cache, "answering_locally", False)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never a number used before: a page kept under an old version must not return
        # if the version key alone was evicted.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _kept(key: str):
    """The copy kept under ``key`` if it was kept under the current data version (else
    None), and that version, for keeping a new copy under: the version and the copy are
    read in one cache round trip. A copy is stored as ``(version, copy)``, read before it
    was made; a copy of an older version is never served, and the next one replaces it."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return None, data_version()  # a new version: nothing kept can be of it
    stored = found.get(key)
    if stored is None or stored[0] != version:
        return None, version
    return stored[1], version


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet, or evicted
        cache.set(VERSION_KEY, time.time_ns(), None)


def _changed(sender, **kwargs) -> None:
    if sender._meta.label in NOT_PAGE_DATA or timeout() <= 0:
        return  # with the cache off, a save costs nothing here
    # Once it commits, and only then: a page rendered from the old rows before the commit
    # is kept under the old version, which the bump retires; a page rendered after the
    # commit shows the new rows whichever version it is kept under. Bumping inside the
    # transaction too would add a cache round trip under the service's row locks (a
    # booking's, say) for nothing, and a slow cache would hold those locks.
    transaction.on_commit(bump_data_version, robust=True)


def connect() -> None:
    from django.db.models import signals  # noqa: PLC0415

    for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
        signal.connect(_changed, dispatch_uid=f"talenthub.page_cache.{id(signal)}")


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.COOKIES and timeout() > 0


def _cacheable_response(request, response) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (messages is not None and getattr(messages, "_queued_messages", None))
    )


def cache_public_page(view):
    """Keep ``view``'s page for cookie-less visitors (see the module's docstring)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"talenthub:kept-page:{get_language()}:{path}"
        kept, version = _kept(key)
        if not cache_is_shared():
            return view(request, *args, **kwargs)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            # As the page itself would: a shared cache must not give it to a signed-in person.
            patch_vary_headers(response, ("Cookie",))
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if _cacheable_response(request, response):
            cache.set(key, (version, (response.content, list(response.items()))), timeout())
        return response

    return cached_view


def kept_fragment(name: str, request, *, vary_on: tuple, render) -> str:
    """The HTML ``render()`` returns, kept under the data version (as a public page is)
    and ``vary_on``: a part of a signed-in person's page that is the same for everyone
    who shares ``vary_on`` (a manager's provider, say), never the page around it (its
    navigation, messages and CSRF token are the person's own). The key names the URL with
    its query string, the language and the date, so links kept in the fragment are the
    request's own and a rule that turns on the date is met. ``vary_on`` must hold
    everything, besides the data, that the fragment depends on: who may see what."""
    if timeout() <= 0:
        return mark_safe(render())  # noqa: S308 -- HTML the template engine escaped
    parts = (request.get_full_path(), get_language(), str(timezone.localdate()), *map(str, vary_on))
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    key = f"talenthub:kept-fragment:{name}:{digest}"
    html, version = _kept(key)
    if not cache_is_shared():
        return mark_safe(render())  # noqa: S308 -- HTML the template engine escaped
    if html is None:
        html = str(render())
        cache.set(key, (version, html), timeout())
    return mark_safe(html)  # noqa: S308 -- HTML the template engine escaped
