"""talenthub.urls plus the personal data URLs, for tests (see ``account_urls``)."""

from django.urls import include, path

from talenthub.urls import handler403, handler404, handler500, urlpatterns as project_urls  # noqa: F401

urlpatterns = [path("accounts/", include("alumni.account_urls")), *project_urls]
