"""Requests no person's browser sends, answered with a clear 400 before any view runs."""

from django.shortcuts import render


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
