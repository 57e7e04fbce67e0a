"""How a view shows a refused request: one place that turns a ``DomainError`` into what
the person sees.

A form view's ``form_valid`` calls its service and, when the service refuses, returns
``self.domain_error_form_invalid(form, error)``: the form is shown again with the
error's field messages next to their fields and the rest at the top (the error summary).
A view without a form (a button that POSTs) wraps its service call in
``with self.domain_error_message():``; a refusal becomes an error banner on the next
page and the code after the block runs as if the call had returned. Only
``DomainError`` is caught: anything else is a fault and reaches the error handler.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages

from .exceptions import DomainError


@dataclass
class Refusal:
    """What ``domain_error_message`` caught: ``error`` is None when the call succeeded."""

    error: DomainError | None = None

    def __bool__(self):
        return self.error is not None


class DomainErrorFormMixin:
    """For views (form views or not) whose service may raise a ``DomainError``."""

    def domain_error_form_invalid(self, form, error: DomainError):
        """Show ``error`` on ``form`` and render the form again (``form_invalid``)."""
        error.add_to_form(form)
        return self.form_invalid(form)

    def domain_error_flash(self, error: DomainError) -> None:
        messages.error(self.request, error.message)

    @contextmanager
    def domain_error_message(self):
        """Run the block; a ``DomainError`` inside it becomes an error message and the
        block is left. ``as refused``: true after the block if it was refused."""
        refused = Refusal()
        try:
            yield refused
        except DomainError as error:
            refused.error = error
            self.domain_error_flash(error)
