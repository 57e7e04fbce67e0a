"""The request-size cap (talenthub.core.request_guards): a body over MAX_REQUEST_BYTES is
refused with 413 before it is read, through Django's real WSGI handler as gunicorn calls
it; an upload under the cap still works, with or without a Content-Length."""

import io
import wsgiref.util

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from cohorts.models import ProjectWork
from tests.cohorts.factories import CohortFactory, ParticipantFactory, pdf_bytes, upload

SIXTY_MB = 60 * 1024 * 1024
CSRF_TOKEN = "a" * 32


class RefusingInput:
    """A wsgi.input that records every read and fails it: the body must not be read."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the request body was read")

    readline = read


class EndlessInput:
    """A streamed body without end (a client that keeps sending): counts what is read."""

    def __init__(self):
        self.bytes_read = 0

    def read(self, size=-1):
        assert size is not None and size >= 0, "an unbounded read of an endless body"
        self.bytes_read += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


def call_wsgi(path, *, method="POST", **environ):
    """Call Django's WSGI application as a WSGI server would; (status, headers, body).
    The request carries a CSRF cookie, as a browser's form post does: without one the
    CSRF check refuses a POST before reading its body, and nothing would be tested."""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "HTTP_COOKIE": f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
    }
    env.update(environ)
    wsgiref.util.setup_testing_defaults(env)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    # As Django's test client does: the handler would close the test's database
    # connection (which holds the test's transaction) at the start and end of a request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(env, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(started["status"].split()[0]), started["headers"], body.decode()


@pytest.mark.django_db
def test_sixty_mb_claim_is_refused_before_the_body_is_read(django_assert_num_queries):
    body = RefusingInput()
    with django_assert_num_queries(0):  # no session, user or anything else loaded
        status, headers, html = call_wsgi(
            "/contact/",
            CONTENT_LENGTH=str(SIXTY_MB),
            CONTENT_TYPE=MULTIPART_CONTENT,
            HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
            **{"wsgi.input": body},
        )
    assert status == 413
    assert body.reads == 0
    assert headers["Content-Type"].startswith("text/html")
    assert "<title>The file you sent is too big – TalentHub</title>" in html
    assert '<h1 class="govuk-heading-l">The file you sent is too big</h1>' in html
    assert "smaller than 12.0\xa0MB" in html
    assert headers["X-Content-Type-Options"] == "nosniff"  # after SecurityMiddleware


@pytest.mark.django_db
def test_refusal_is_plain_text_for_a_client_that_does_not_want_html():
    body = RefusingInput()
    status, headers, text = call_wsgi(
        "/contact/",
        CONTENT_LENGTH="99999999999999999999999",
        CONTENT_TYPE=MULTIPART_CONTENT,
        HTTP_ACCEPT="application/json",
        **{"wsgi.input": body},
    )
    assert (status, body.reads) == (413, 0)
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert text == "Request too large: what is sent must be smaller than 12.0 MB.\n"


@pytest.mark.django_db
def test_a_streamed_body_without_a_length_is_read_only_up_to_the_cap():
    body = EndlessInput()
    status, _, _ = call_wsgi(
        "/contact/",
        CONTENT_TYPE=MULTIPART_CONTENT,
        **{"wsgi.input": body, "wsgi.input_terminated": True},
    )
    assert status == 413
    assert settings.MAX_REQUEST_BYTES < body.bytes_read <= settings.MAX_REQUEST_BYTES + 1


@pytest.mark.django_db
def test_the_cap_follows_the_setting(settings):
    settings.MAX_REQUEST_BYTES = 1000
    status, _, _ = call_wsgi("/contact/", CONTENT_LENGTH="1001", **{"wsgi.input": RefusingInput()})
    assert status == 413
    status, _, _ = call_wsgi(
        "/contact/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH="5",
        **{"wsgi.input": io.BytesIO(b"a=bcd")},
    )
    assert status != 413


@pytest.fixture
def participant(provider):
    return ParticipantFactory(cohort=CohortFactory(provider=provider))


def _report_form(size):
    """The project-work form with a PDF report of ``size`` bytes."""
    report = pdf_bytes()
    report += b"%" + b"0" * (size - len(report) - 1)
    return {
        "title": "Workforce strategies",
        "summary": "Doing it well",
        "profession_map_area": "change",
        "report": upload("report.pdf", report),
    }


def test_the_largest_allowed_upload_is_under_the_cap(client, participant):
    """A report just under the 10 MB limit, with the form's other fields and the
    multipart framing, passes the request cap and is saved."""
    client.force_login(participant.user)
    limit = settings.TALENTHUB["PROJECT_WORK_MAX_BYTES"]
    url = reverse("cohorts:project_work", args=[participant.cohort.slug])
    response = client.post(url, _report_form(limit - 1))
    assert response.status_code == 302
    assert ProjectWork.objects.get().file.size == limit - 1


def test_a_streamed_upload_under_the_cap_is_saved(client, participant):
    """gunicorn de-chunks a body sent with Transfer-Encoding: chunked and passes it with
    no CONTENT_LENGTH and wsgi.input_terminated; it is read (up to the cap) and parsed."""
    client.force_login(participant.user)
    form = {**_report_form(200_000), "csrfmiddlewaretoken": CSRF_TOKEN}
    body = encode_multipart(BOUNDARY, form)
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
    )
    status, headers, _ = call_wsgi(
        reverse("cohorts:project_work", args=[participant.cohort.slug]),
        CONTENT_TYPE=MULTIPART_CONTENT,
        HTTP_COOKIE=cookies,
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )
    assert status == 302, headers
    assert ProjectWork.objects.get().file.size == 200_000
