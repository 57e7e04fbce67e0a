"""The one error shape every app raises to the person acting.

A service raises its app's ``DomainError`` subclass (``BookingError``, ``CohortError``, …)
with a translated message for the user and a stable ``code`` for tests and the API.
``full_clean()`` failures are wrapped by :func:`clean_or_raise`, so a ``ValidationError``
never escapes a service. Views turn the error into a form error or a flash message with
:class:`talenthub.core.view_mixins.DomainErrorFormMixin`; the admin into a form error or a
message with :class:`talenthub.core.admin_mixins.DomainErrorAdminMixin`. See
docs/architecture.md, "Errors".
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    """A rule was broken; ``message`` is for the user, ``code`` for code and tests.

    ``field_errors`` maps a form field name to its messages when the rule belongs to one
    field (from a model's ``full_clean()``), so a form can show it next to that field.
    ``non_field_errors`` are the messages that belong to no field: by default the message
    itself; for a wrapped ``ValidationError``, only its non-field part (the field part is
    in ``field_errors``, so a form shows each message once).
    """

    code = "invalid"

    def __init__(
        self, message, *, code: str | None = None, field_errors=None, non_field_errors=None
    ):
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})
        self.non_field_errors: list[str] = (
            [self.message] if non_field_errors is None else [str(m) for m in non_field_errors]
        )

    @classmethod
    def from_validation_error(cls, exc: ValidationError, *, code: str | None = None):
        """The same rule, told as this app's error. The first validation code names the
        error when the caller gives none (``"invalid"`` when Django gave none)."""
        field_errors = {}
        non_field_errors = exc.messages
        if hasattr(exc, "error_dict"):
            field_errors = {
                name: [str(m) for m in ValidationError(errors).messages]
                for name, errors in exc.error_dict.items()
                if name != NON_FIELD_ERRORS
            }
            non_field_errors = ValidationError(exc.error_dict.get(NON_FIELD_ERRORS, [])).messages
        if code is None:
            if hasattr(exc, "error_dict"):
                errors = [e for errs in exc.error_dict.values() for e in errs]
            else:
                errors = exc.error_list
            codes = [e.code for e in errors if getattr(e, "code", None)]
            code = codes[0] if codes else None
        return cls(
            " ".join(exc.messages),
            code=code,
            field_errors=field_errors,
            non_field_errors=non_field_errors,
        )

    def add_to_form(self, form) -> None:
        """Show this error on ``form``: each field's messages next to that field (when the
        form has it) and the rest as non-field errors at the top, each message once."""
        rest = list(self.non_field_errors)
        for name, messages in self.field_errors.items():
            if name in form.fields:
                form.add_error(name, messages)
            else:
                rest.extend(messages)
        if rest or not self.field_errors:
            form.add_error(None, rest or [self.message])

    def __repr__(self):
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


def clean_or_raise(obj, error_class: type[DomainError], **kwargs) -> None:
    """``obj.full_clean(**kwargs)``, its failure raised as ``error_class``."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise error_class.from_validation_error(exc) from exc


def constraint_error(exc, models) -> DomainError | None:
    """The ``IntegrityError`` ``exc`` told as a ``DomainError`` when it names one of the
    constraints of ``models`` (PostgreSQL and SQLite name the constraint or its index in
    the message): its ``violation_error_message``, its name as the code. None for any
    other integrity error (a fault, not the person's doing)."""
    text = str(exc)
    named = [
        constraint
        for model in models
        for constraint in model._meta.constraints
        if constraint.name in text
    ]
    if not named:
        return None
    # The longest name wins, should one constraint's name contain another's.
    constraint = max(named, key=lambda c: len(c.name))
    return DomainError(constraint.get_violation_error_message(), code=constraint.name)
