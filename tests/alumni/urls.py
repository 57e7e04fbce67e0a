"""talenthub.urls plus the personal data URLs, for tests (see ``account_urls``)."""

from django.urls import include, path

from talenthub.urls import handler403, handler404, handler500  # noqa: F401
from talenthub.urls import urlpatterns as project_urls

urlpatterns = [path("accounts/", include("alumni.account_urls")), *project_urls]
