"""Requests no person's browser sends, answered before any view runs: a NUL character in
the address (400) and a body over the size cap (413).

A cap on the size of a request body, applied before anything reads the body.

Without it Django parses a 60 MB upload (spooling it to a temporary file) before a form
finds it is over the 10 MB limit. Here a request that declares a ``Content-Length`` over
``MAX_REQUEST_BYTES`` is answered 413 without a byte of its body being read, and a body
streamed without a length (``Transfer-Encoding: chunked``, which gunicorn de-chunks and
marks with ``wsgi.input_terminated``) is read only up to the cap.
"""

import logging
import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

READ_CHUNK_BYTES = 64 * 1024


def _declared_length(request) -> int | None:
    """The body length the client declared, None if it declared none. An unreadable value
    counts as 0, as it does for Django's own request (which then reads nothing)."""
    value = request.META.get("CONTENT_LENGTH")
    if value in (None, ""):
        return None
    try:
        return max(int(value), 0)
    except ValueError:
        return 0


def _buffer_streamed_body(request, limit: int) -> bool:
    """Read a body sent without a length into a spooled file, never more than ``limit``
    bytes and one chunk. False if it is longer than ``limit``; otherwise the request reads
    its body from the spooled copy, with the length now known (Django reads no body
    without one)."""
    source = request.META["wsgi.input"]
    # Open for as long as the request is: it is its body. Freed with the request (an
    # unlinked temporary file once it is over FILE_UPLOAD_MAX_MEMORY_SIZE).
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while chunk := source.read(min(READ_CHUNK_BYTES, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            spool.close()
            return False
        spool.write(chunk)
    spool.seek(0)
    # HttpRequest reads its body from _stream; WSGIRequest set it to a 0-byte
    # LimitedStream because no Content-Length was given.
    request._stream = LimitedStream(spool, size)
    request.META["CONTENT_LENGTH"] = str(size)
    return True


def request_too_large(request) -> HttpResponse:
    """The 413 answer: a GOV.UK page for a browser, one line of text for anything else.
    Rendered without the request's context (no session or user is loaded for it)."""
    limit = filesizeformat(settings.MAX_REQUEST_BYTES)
    if request.get_preferred_type(["text/html", "text/plain"]) == "text/html":
        content = render_to_string("413.html", {"limit": limit})
        content_type = "text/html; charset=utf-8"
    else:
        limit = limit.replace("\xa0", " ")
        content = f"Request too large: what is sent must be smaller than {limit}.\n"
        content_type = "text/plain; charset=utf-8"
    return HttpResponse(content, status=413, content_type=content_type)


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is over ``settings.MAX_REQUEST_BYTES`` with 413.

    Listed before every middleware that might read the body (CSRF reads ``request.POST``),
    and before sessions and authentication so a refused request costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        declared = _declared_length(request)
        if declared is not None:
            too_large = declared > limit
        elif request.META.get("wsgi.input_terminated"):
            too_large = not _buffer_streamed_body(request, limit)
        else:
            too_large = False  # no length and no terminated stream: no body is read
        if too_large:
            logger.warning(
                "Refused a request body over %s bytes: %s %s (Content-Length %s)",
                limit,
                request.method,
                request.path,
                request.META.get("CONTENT_LENGTH", "none"),
            )
            return request_too_large(request)
        return self.get_response(request)


class NulCharacterMiddleware:
    """A NUL character (``%00``) in the address or its query: PostgreSQL refuses NUL in
    text, so a search box, a list filter or an autocomplete handed one would fail with a
    500 deep in the ORM. Form bodies are covered by Django's own validator (every
    ``CharField`` refuses NUL with a form error); the address is checked here, once for
    every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
