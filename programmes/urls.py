from django.urls import path

from talenthub.core.page_cache import cache_public_page

from . import views

app_name = "programmes"
urlpatterns = [
    path("", cache_public_page(views.CatalogueView.as_view()), name="index"),
    path("<slug:slug>/", cache_public_page(views.ProgrammeDetailView.as_view()), name="detail"),
]
