"""Every API error as ``application/problem+json`` (RFC 9457), in one place.

    {"type": "about:blank", "title": "Conflict", "status": 409,
     "detail": "Booking for this event is closed.", "code": "booking_closed"}

``code`` is stable (the apps' ``DomainError`` codes, or DRF's: ``not_found``,
``not_authenticated``, ``throttled``…), for programs; ``detail`` is for people and may
change. A validation error adds ``errors``: each field's messages.

- a ``DomainError`` (a rule of the service): 409 Conflict; ``EventBusyError`` (the
  event's lock was not free in time): 503 with ``Retry-After``, safe to try again;
- validation: 400; no or a bad token: 401 with ``WWW-Authenticate``; not allowed: 403;
  not found (Django's ``Http404`` too): 404; too many requests: 429 with ``Retry-After``.
Anything else is a fault: DRF re-raises it and the server's 500 handling logs it.
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from events.exceptions import EventBusyError
from talenthub.core.exceptions import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
BUSY_RETRY_AFTER = 5  # seconds, as the site's "busy" page says


def problem_response(status_code: int, *, code: str, detail: str, headers=None, **extra):
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
        **extra,
    }
    return Response(
        body, status=status_code, headers=headers or {}, content_type=PROBLEM_CONTENT_TYPE
    )


def _first_code(codes) -> str:
    while isinstance(codes, (list, dict)):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def problem_exception_handler(exc, context):
    if isinstance(exc, EventBusyError):
        return problem_response(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            code=exc.code,
            detail=exc.message,
            headers={"Retry-After": str(BUSY_RETRY_AFTER)},
        )
    if isinstance(exc, DomainError):
        extra = {"errors": exc.field_errors} if exc.field_errors else {}
        return problem_response(
            status.HTTP_409_CONFLICT, code=exc.code, detail=exc.message, **extra
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return problem_response(
            exc.status_code,
            code=_first_code(exc.get_codes()),
            detail="The request is not valid: see errors.",
            headers=headers,
            errors=errors,
        )
    return problem_response(
        exc.status_code, code=_first_code(exc.get_codes()), detail=str(exc.detail), headers=headers
    )
