from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
