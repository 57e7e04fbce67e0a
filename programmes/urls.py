from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.CatalogueView.as_view(), name="index"),
    path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
]
