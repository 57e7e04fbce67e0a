"""A page that fails, for the error-tracking tests."""

from django.urls import path

from talenthub.urls import handler403, handler404, handler500  # noqa: F401
from talenthub.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError(f"could not book {request.POST.get('email')}")


urlpatterns = [path("fail/", failing_view), *project_urlpatterns]
