from django.urls import path

from talenthub.core.page_cache import cache_public_page

from . import views

app_name = "programmes"
urlpatterns = [
    path("", cache_public_page(views.CatalogueView.as_view()), name="index"),
    path("me/updates/", views.MyUpdatesView.as_view(), name="my_updates"),
    path(
        "providers/<int:pk>/updates/", views.ProviderUpdatesView.as_view(), name="provider_updates"
    ),
    path(
        "providers/<int:pk>/updates/stop/",
        views.ProviderUpdatesView.as_view(stop=True),
        name="provider_updates_stop",
    ),
    path("<slug:slug>/", cache_public_page(views.ProgrammeDetailView.as_view()), name="detail"),
    path("<slug:slug>/alert/stop/", views.ProgrammeAlertStopView.as_view(), name="alert_stop"),
]
