from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<slug:slug>/", views.IndexView.as_view(), name="detail"),
]
