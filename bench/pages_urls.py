"""The site's URLs plus the benchmark's baseline views: mounted only by bench_pages'
gunicorn (bench/pages_settings.py), never by the portal itself."""

from django.urls import include, path

from bench.baseline import baseline_list, baseline_trivial

urlpatterns = [
    path("bench/baseline-trivial/", baseline_trivial),
    path("bench/baseline-list/", baseline_list),
    path("", include("talenthub.urls")),
]

handler403 = "talenthub.core.views.permission_denied"
handler404 = "talenthub.core.views.page_not_found"
handler500 = "talenthub.core.views.server_error"
