"""The one error shape every app raises to the person acting.

A service raises its app's ``DomainError`` subclass (``BookingError``, ``CohortError``, …)
with a translated message for the user and a stable ``code`` for tests and the API.
``full_clean()`` failures are wrapped by :func:`clean_or_raise`, so a ``ValidationError``
never escapes a service. Views turn the error into a form error with
:class:`talenthub.core.views.DomainErrorFormMixin`; the admin into a message with
:class:`talenthub.core.admin_mixins.DomainErrorAdminMixin`.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    """A rule was broken; ``message`` is for the user, ``code`` for code and tests.

    ``field_errors`` maps a form field name to its messages when the rule belongs to one
    field (from a model's ``full_clean()``), so a form can show it next to that field.
    """

    code = "invalid"

    def __init__(self, message, *, code: str | None = None, field_errors=None):
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})

    @classmethod
    def from_validation_error(cls, exc: ValidationError, *, code: str | None = None):
        """The same rule, told as this app's error. The first validation code names the
        error when the caller gives none (``"invalid"`` when Django gave none)."""
        field_errors = {}
        if hasattr(exc, "error_dict"):
            field_errors = {
                name: [str(m) for m in ValidationError(errors).messages]
                for name, errors in exc.error_dict.items()
                if name != NON_FIELD_ERRORS
            }
        if code is None:
            if hasattr(exc, "error_dict"):
                errors = [e for errs in exc.error_dict.values() for e in errs]
            else:
                errors = exc.error_list
            codes = [e.code for e in errors if getattr(e, "code", None)]
            code = codes[0] if codes else None
        return cls("; ".join(exc.messages), code=code, field_errors=field_errors)

    def __repr__(self):
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


def clean_or_raise(obj, error_class: type[DomainError], **kwargs) -> None:
    """``obj.full_clean(**kwargs)``, its failure raised as ``error_class``."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise error_class.from_validation_error(exc) from exc
